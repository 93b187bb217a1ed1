#include "PrometheusExporter.h"

#include <QtCore/QList>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

using Labels = QList<std::pair<QByteArray, QByteArray>>;

QByteArray escapeLabelValue(const QByteArray &value)
{
    QByteArray escaped;
    escaped.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 15);
}

// Reason strings like "server full" become label-friendly "server_full".
QByteArray labelToken(const QString &text)
{
    QByteArray token = text.toLower().toUtf8();
    for (char &c : token) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            c = '_';
    }
    return token;
}

// Accumulates one exposition, family by family.
class Exposition
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_name = QByteArray("quantpush_") + name;
        m_text += "# HELP " + m_name + ' ' + help + '\n';
        m_text += "# TYPE " + m_name + ' ' + type + '\n';
    }

    void sample(double value, const Labels &labels = {}, const char *suffix = "")
    {
        m_text += m_name + suffix;
        if (!labels.isEmpty()) {
            m_text += '{';
            for (qsizetype i = 0; i < labels.size(); ++i) {
                if (i > 0)
                    m_text += ',';
                m_text += labels[i].first + "=\"" + escapeLabelValue(labels[i].second) + '"';
            }
            m_text += '}';
        }
        m_text += ' ' + formatValue(value) + '\n';
    }

    void histogram(const Histogram &histogram)
    {
        const std::vector<quint64> &counts = histogram.bucketCounts();
        quint64 cumulative = 0;
        for (qsizetype i = 0; i < histogram.upperBounds().size(); ++i) {
            cumulative += counts[std::size_t(i)];
            sample(
                double(cumulative), { { "le", QByteArray::number(histogram.upperBounds()[i], 'g', 15) } }, "_bucket");
        }
        sample(double(histogram.count()), { { "le", "+Inf" } }, "_bucket");
        sample(histogram.sum(), {}, "_sum");
        sample(double(histogram.count()), {}, "_count");
    }

    QByteArray text() const { return m_text; }

private:
    QByteArray m_name;
    QByteArray m_text;
};

Labels channelLabels(SubscriptionType channel)
{
    return { { "channel", wireName(channel).toUtf8() }, { "type", wireName(pushTypeOf(channel)).toUtf8() } };
}

Labels channelOnly(SubscriptionType channel)
{
    return { { "channel", wireName(channel).toUtf8() } };
}

void perChannel(Exposition &out, const char *name, const char *type, const char *help,
    const std::function<double(SubscriptionType)> &value, bool withType = false)
{
    out.family(name, type, help);
    for (SubscriptionType channel : allSubscriptionTypes())
        out.sample(value(channel), withType ? channelLabels(channel) : channelOnly(channel));
}

void byReason(Exposition &out, const QHash<QString, quint64> &counts, const char *label)
{
    QList<QString> keys = counts.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : std::as_const(keys))
        out.sample(double(counts.value(key)), { { label, labelToken(key) } });
}

void renderConnections(Exposition &out, const Metrics &m, const Metrics::Gauges &g)
{
    out.family("connections_current", "gauge", "Open WebSocket connections.");
    out.sample(g.connections);
    out.family("connections_authenticated", "gauge", "Open WebSocket connections that have authenticated.");
    out.sample(g.authenticated);
    out.family("connections_peak", "gauge", "Most WebSocket connections open at once since start.");
    out.sample(m.peakConnections());
    out.family("connections_accepted_total", "counter", "WebSocket connections accepted since start.");
    out.sample(double(m.totalConnections()));
    out.family(
        "connections_refused_total", "counter", "Connections refused before or at the WebSocket handshake, by reason.");
    byReason(out, m.refusedByReason(), "reason");
    out.family("auth_failures_total", "counter", "Failed authentications (WebSocket and HTTP), by reason.");
    byReason(out, m.authFailuresByReason(), "reason");
    out.family("connection_duration_seconds", "histogram", "How long closed WebSocket connections lasted.");
    out.histogram(m.connectionDuration());

    out.family("connections_by_network", "gauge", "Open WebSocket connections by remote network (IPv4 /24, IPv6 /48).");
    QList<std::pair<QString, quint64>> networks;
    const QHash<QString, quint64> &byNetwork = m.openConnectionsByNetwork();
    for (auto it = byNetwork.cbegin(); it != byNetwork.cend(); ++it)
        networks.append({ it.key(), it.value() });
    std::sort(networks.begin(), networks.end(),
        [](const auto &a, const auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    quint64 other = 0;
    for (qsizetype i = 0; i < networks.size(); ++i) {
        if (i < PrometheusExporter::MaxNetworkSeries)
            out.sample(double(networks[i].second), { { "network", networks[i].first.toUtf8() } });
        else
            other += networks[i].second;
    }
    if (other > 0)
        out.sample(double(other), { { "network", "other" } });
}

void renderCompression(Exposition &out, const Metrics &m)
{
    perChannel(out, "push_compressed_frames_sent_total", "counter",
        "Push frames written compressed (?compression=deflate connections), by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).compressedFrames); });
    perChannel(out, "push_bytes_before_compression_total", "counter",
        "JSON bytes of the push frames written compressed, before compression, by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).bytesBeforeCompression); });
    perChannel(out, "push_bytes_after_compression_total", "counter",
        "Bytes of the push frames written compressed, as sent (DEFLATE), by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).bytesAfterCompression); });
    const Metrics::CompressionCounters compression = m.compression();
    out.family("connections_compressed", "gauge", "Open WebSocket connections taking compressed push frames.");
    out.sample(compression.connections);
    out.family("compressions_total", "counter",
        "Frames compressed: once per push or batch frame, however many compressed recipients.");
    out.sample(double(compression.frames));
    out.family("compression_input_bytes_total", "counter", "Bytes given to the compressor.");
    out.sample(double(compression.inputBytes));
    out.family("compression_output_bytes_total", "counter", "Bytes the compressor produced.");
    out.sample(double(compression.outputBytes));
    out.family("compression_cpu_seconds_total", "counter", "CPU time spent compressing frames.");
    out.sample(compression.cpuSeconds);
}

void renderTraffic(Exposition &out, const Metrics &m)
{
    perChannel(
        out, "messages_published_total", "counter", "Messages published, by channel and push type.",
        [&](SubscriptionType c) { return double(m.channel(c).published); }, true);
    perChannel(
        out, "messages_delivered_total", "counter",
        "Messages written to subscribers (one per recipient), by channel and push type.",
        [&](SubscriptionType c) { return double(m.channel(c).delivered); }, true);
    perChannel(out, "push_frames_sent_total", "counter", "Push frames written (a batch frame counts once), by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).frames); });
    perChannel(out, "push_sent_bytes_total", "counter", "Bytes of push frames written, by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).bytes); });
    perChannel(out, "messages_coalesced_total", "counter",
        "Messages replaced by a newer one with the same key before release (rate_limited), by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).coalesced); });
    renderCompression(out, m);
    out.family("frames_received_total", "counter", "WebSocket messages received from clients.");
    out.sample(double(m.framesIn()));
    out.family("received_bytes_total", "counter", "Bytes of WebSocket messages received from clients.");
    out.sample(double(m.bytesIn()));
    out.family("sent_bytes_total", "counter", "Bytes of WebSocket messages sent to clients (pushes and replies).");
    out.sample(double(m.bytesOut()));
    out.family("messages_published_per_second", "gauge", "Messages published per second, over the last second.");
    out.sample(m.publishedPerSec());
    out.family("messages_delivered_per_second", "gauge", "Messages delivered per second, over the last second.");
    out.sample(m.deliveredPerSec());
    out.family("sent_bytes_per_second", "gauge", "Bytes sent per second, over the last second.");
    out.sample(m.bytesOutPerSec());
    out.family("received_bytes_per_second", "gauge", "Bytes received per second, over the last second.");
    out.sample(m.bytesInPerSec());
    out.family("errors_total", "counter", "Protocol error frames sent to clients, by error code.");
    for (int code = 0; code < ErrorCodeCount; ++code)
        out.sample(double(m.errors(ErrorCode(code))), { { "code", wireName(ErrorCode(code)).toUtf8() } });
    out.family("delivery_latency_seconds", "histogram",
        "Publish-to-write latency: from a message's publish to its frame's write to a subscriber's socket.");
    out.histogram(m.latency());
    // The histogram above is cumulative since start; these are the live
    // figures the console plots and alert rules read, per channel and window.
    out.family("delivery_latency_window_seconds", "gauge",
        "Publish-to-write latency quantile over a recent window (10s, 1m, 5m), by channel.");
    for (SubscriptionType c : allSubscriptionTypes()) {
        for (int seconds : LatencyWindows::WindowsSec) {
            const QByteArray window = seconds % 60 ? QByteArray::number(seconds) + 's'
                                                   : QByteArray::number(seconds / 60) + 'm';
            for (double q : {0.5, 0.99}) {
                out.sample(m.channelLatency(c).quantile(seconds, q),
                    { { "channel", wireName(c).toUtf8() }, { "window", window },
                      { "quantile", q == 0.5 ? QByteArray("0.5") : QByteArray("0.99") } });
            }
        }
    }
}

void renderDelivery(Exposition &out, const Metrics &m, const Metrics::Gauges &g)
{
    perChannel(out, "gaps_total", "counter", "Gap notices sent to slow subscribers, by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).gaps); });
    perChannel(out, "gap_messages_total", "counter",
        "Messages skipped for slow subscribers (inside gap notices), by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).gapMessages); });
    perChannel(out, "redeliveries_total", "counter", "Unacknowledged messages sent again, by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).redelivered); });
    perChannel(out, "ack_expired_total", "counter", "Messages never acknowledged after every retry, by channel.",
        [&](SubscriptionType c) { return double(m.channel(c).ackExpired); });
    out.family("slow_consumer_closes_total", "counter", "Connections closed (4008) as slow consumers.");
    out.sample(double(m.slowConsumerCloses()));
    out.family("subscriptions", "gauge", "Active subscriptions, by channel.");
    for (SubscriptionType c : allSubscriptionTypes())
        out.sample(g.subscriptionsByChannel[std::size_t(c)], channelOnly(c));
    out.family("channel_pending_messages", "gauge", "Messages held by a channel's strategy queue, by channel.");
    for (SubscriptionType c : allSubscriptionTypes())
        out.sample(g.pendingByChannel[std::size_t(c)], channelOnly(c));
    out.family("channel_seq", "gauge", "Last sequence number published, by channel.");
    for (SubscriptionType c : allSubscriptionTypes())
        out.sample(double(g.seqByChannel[std::size_t(c)]), channelOnly(c));
    out.family("session_queued_frames", "gauge", "Frames waiting in per-connection queues (all connections).");
    out.sample(double(g.queuedFrames));
    out.family("session_buffered_bytes", "gauge", "Bytes waiting in connections' socket buffers (all connections).");
    out.sample(double(g.bufferedBytes));
    out.family("flush_pacing_threads", "gauge",
               "Connection threads gathering pushes for websocket.flush_pacing_ms because they wait for a CPU.");
    out.sample(double(g.pacingThreads));
}

void renderOperations(Exposition &out, const Metrics &m)
{
    const Metrics::ProcessUsage &process = m.processUsage();
    if (process.known) {
        out.family("process_cpu_seconds_total", "counter", "User and system CPU time of the server process.");
        out.sample(process.cpuSecondsTotal);
        if (process.cpuWaitSecondsTotal >= 0) {
            out.family("process_cpu_wait_seconds_total", "counter",
                       "Time the server's threads were runnable but waiting for a CPU (run-queue wait), summed.");
            out.sample(process.cpuWaitSecondsTotal);
        }
        out.family("process_cpu_ratio", "gauge", "CPU used over the last second, in cores (1 = one core busy).");
        out.sample(process.cpuPercent / 100.0);
        out.family("process_resident_memory_bytes", "gauge", "Resident set size of the server process.");
        out.sample(double(process.rssBytes));
        out.family("process_threads", "gauge", "Threads of the server process.");
        out.sample(process.threads);
        out.family("process_open_fds", "gauge", "Open file descriptors (sockets included) of the server process.");
        out.sample(process.openFds);
    }
    out.family("uptime_seconds", "gauge", "Seconds since the server started.");
    out.sample(double(m.uptimeMs()) / 1000.0);
    out.family("http_requests_total", "counter", "HTTP API requests answered, by route and status.");
    QList<std::pair<QString, int>> keys = m.httpRequests().keys();
    std::sort(keys.begin(), keys.end());
    for (const auto &key : std::as_const(keys)) {
        out.sample(double(m.httpRequests().value(key)),
            { { "route", key.first.toUtf8() }, { "status", QByteArray::number(key.second) } });
    }
    out.family("alert_active", "gauge", "1 while an alert rule is firing, else 0, by rule.");
    for (auto it = m.alerts().cbegin(); it != m.alerts().cend(); ++it)
        out.sample(it.value() ? 1 : 0, { { "rule", it.key().toUtf8() } });
    out.family("build_info", "gauge", "Always 1; the version is in the label.");
    out.sample(1, { { "version", QUANTPUSH_VERSION } });
}

} // namespace

QByteArray PrometheusExporter::render(const Metrics &metrics, const Metrics::Gauges &gauges)
{
    Exposition out;
    renderConnections(out, metrics, gauges);
    renderTraffic(out, metrics);
    renderDelivery(out, metrics, gauges);
    renderOperations(out, metrics);
    return out.text();
}

QByteArray PrometheusExporter::renderBroker(const QJsonObject &broker)
{
    Exposition out;
    const QByteArray nodeId = broker.value(u"node_id"_s).toString().toUtf8();
    out.family("node_info", "gauge", "This node: its id and broker type (local: one node; redis: a cluster).");
    out.sample(1, { { "node_id", nodeId }, { "broker", broker.value(u"type"_s).toString().toUtf8() } });
    if (broker.value(u"type"_s).toString() != u"redis"_s)
        return out.text();
    out.family("broker_available", "gauge", "1 while Redis is reachable and publishes go through the cluster.");
    out.sample(broker.value(u"available"_s).toBool() ? 1 : 0);
    out.family("cluster_nodes_alive", "gauge", "Nodes whose heartbeat key in Redis is alive.");
    out.sample(broker.value(u"nodes_alive"_s).toDouble());
    out.family("cluster_connections", "gauge", "Connections per node, as each node last reported.");
    for (const QJsonValue &node : broker.value(u"nodes"_s).toArray()) {
        const QJsonObject entry = node.toObject();
        out.sample(entry.value(u"connections"_s).toDouble(), { { "node_id", entry.value(u"node_id"_s).toString().toUtf8() } });
    }
    return out.text();
}

} // namespace QuantPush
