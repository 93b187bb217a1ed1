#include "StatsSnapshot.h"

#include "WireNames.h"

#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

std::optional<double> optionalNumber(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toDouble();
}

std::optional<StatsSnapshot::Latency> latencyOf(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    return StatsSnapshot::Latency {object.value(Wire::Stats::Count).toInteger(), object.value(Wire::Stats::P50Ms).toDouble(),
                                   object.value(Wire::Stats::P99Ms).toDouble()};
}

std::optional<StatsSnapshot::Histogram> histogramOf(const QJsonValue &value)
{
    const QJsonArray buckets = value.toObject().value(Wire::Stats::Buckets).toArray();
    if (buckets.isEmpty())
        return std::nullopt;
    StatsSnapshot::Histogram histogram;
    for (const QJsonValue &bucket : buckets) {
        const QJsonValue le = bucket.toObject().value(Wire::Stats::Le);
        histogram.upperBounds.append(le.isDouble() ? le.toDouble() : std::numeric_limits<double>::infinity());
        histogram.counts.append(bucket.toObject().value(Wire::Stats::Count).toInteger());
    }
    histogram.count = value.toObject().value(Wire::Stats::Count).toInteger();
    return histogram;
}

QHash<QString, qint64> countsOf(const QJsonValue &value)
{
    QHash<QString, qint64> counts;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        counts.insert(it.key(), it.value().toInteger());
    return counts;
}

std::optional<StatsSnapshot::Broker> brokerOf(const QJsonObject &body)
{
    const QJsonObject object = body.value(Wire::Stats::Broker).toObject();
    if (object.isEmpty())
        return std::nullopt;
    StatsSnapshot::Broker broker;
    broker.type = object.value(Wire::Stats::Type).toString();
    broker.nodeId = object.value(Wire::Stats::NodeId).toString(body.value(Wire::Stats::NodeId).toString());
    broker.available = object.value(Wire::Stats::Available).toBool(true);
    broker.unavailableReason = object.value(Wire::Stats::UnavailableReason).toString();
    broker.clusterConnections = object.value(Wire::Stats::ClusterConnections).toInteger();
    const QJsonArray nodes = object.value(Wire::Stats::Nodes).toArray();
    for (const QJsonValue &value : nodes) {
        const QJsonObject node = value.toObject();
        StatsSnapshot::ClusterNode entry;
        entry.nodeId = node.value(Wire::Stats::NodeId).toString();
        entry.connections = node.value(Wire::Stats::Connections).toInteger();
        entry.beatAgeMs = optionalNumber(node, Wire::Stats::BeatAgeMs);
        broker.nodes.append(entry);
    }
    return broker;
}

} // namespace

QString StatsSnapshot::windowName(Window window)
{
    static constexpr int seconds[WindowCount] = {10, 60, 300};
    return Wire::Stats::latencyWindow(seconds[window]);
}

std::optional<StatsSnapshot> StatsSnapshot::fromJson(const QJsonObject &body)
{
    const QJsonValue connectionsValue = body.value(Wire::Stats::Connections);
    if (!connectionsValue.isObject())
        return std::nullopt;
    StatsSnapshot s;
    const QJsonObject connections = connectionsValue.toObject();
    s.uptimeSec = body.value(Wire::Stats::UptimeS).toDouble();
    s.connections = connections.value(Wire::Stats::Current).toInteger();
    s.peakConnections = connections.value(Wire::Stats::Peak).toInteger();
    s.totalConnections = connections.value(Wire::Stats::Total).toInteger();
    s.subscriptions = body.value(Wire::Stats::Subscriptions).toInteger();

    const QJsonObject messages = body.value(Wire::Stats::Messages).toObject();
    s.publishedPerSec = messages.value(Wire::Stats::PublishedPerSec).toDouble();
    s.deliveredPerSec = messages.value(Wire::Stats::DeliveredPerSec).toDouble();
    s.errorsPerSec = body.value(Wire::Stats::ErrorsPerSec).toDouble();

    s.byNetwork = countsOf(connections.value(Wire::Stats::ByNetwork));
    s.byRole = countsOf(connections.value(Wire::Stats::ByRole));
    s.byUser = countsOf(connections.value(Wire::Stats::ByUser));
    const QJsonObject duration = connections.value(Wire::Stats::Duration).toObject();
    s.openDurations = histogramOf(duration.value(Wire::Stats::Open));
    s.closedDurations = histogramOf(duration.value(Wire::Stats::Closed));

    // The tiles and charts show what is happening now: the windows. A server
    // that sends only "recent" (10 s) still fills the first one.
    const QJsonObject latency = body.value(Wire::Stats::Latency).toObject();
    const QJsonObject windows = latency.value(Wire::Stats::Windows).toObject();
    for (int w = 0; w < WindowCount; ++w)
        s.latency[w] = latencyOf(windows.value(windowName(Window(w))));
    if (!s.latency[TenSeconds])
        s.latency[TenSeconds] = latencyOf(latency.value(Wire::Stats::Recent));
    s.lifetimeP99Ms = latency.value(Wire::Stats::P99Ms).toDouble();
    s.lifetimeLatencyCount = latency.value(Wire::Stats::Count).toInteger();

    const QJsonObject bandwidth = body.value(Wire::Stats::Bandwidth).toObject();
    s.bytesInPerSec = optionalNumber(bandwidth, Wire::Stats::BytesInPerSec);
    s.bytesOutPerSec = optionalNumber(bandwidth, Wire::Stats::BytesOutPerSec);
    const QJsonObject queues = body.value(Wire::Stats::Queues).toObject();
    if (const auto queued = optionalNumber(queues, Wire::Stats::QueuedFrames))
        s.queuedFrames = qint64(*queued);
    if (const auto pending = optionalNumber(queues, Wire::Stats::PendingMessages))
        s.pendingMessages = qint64(*pending);

    // "process" is optional: older servers do not report their own CPU/RSS.
    const QJsonObject process = body.value(Wire::Stats::Process).toObject();
    s.cpuPercent = optionalNumber(process, Wire::Stats::CpuPercent);
    s.cpuWaitPercent = optionalNumber(process, Wire::Stats::CpuWaitPercent);
    if (const auto rss = optionalNumber(process, Wire::Stats::RssBytes))
        s.rssBytes = qint64(*rss);

    const QJsonObject channels = body.value(Wire::Stats::Channels).toObject();
    for (auto it = channels.constBegin(); it != channels.constEnd(); ++it) {
        const QJsonObject c = it.value().toObject();
        ChannelCounters counters;
        counters.published = c.value(Wire::Stats::Published).toInteger();
        counters.delivered = c.value(Wire::Stats::Delivered).toInteger();
        counters.subscriptions = c.value(Wire::Stats::Subscriptions).toInteger();
        counters.seq = c.value(Wire::Stats::Seq).toInteger();
        counters.pending = c.value(Wire::Stats::Pending).toInteger();
        const QJsonObject channelLatency = c.value(Wire::Stats::Latency).toObject();
        for (int w = 0; w < WindowCount; ++w)
            counters.latency[w] = latencyOf(channelLatency.value(windowName(Window(w))));
        s.channels.insert(it.key(), counters);
    }
    s.broker = brokerOf(body);
    return s;
}

} // namespace QuantPush
