#include "Metrics.h"

#include <QtCore/QJsonArray>

#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

Metrics::Metrics(QObject *parent)
    : QObject(parent)
{
    m_uptime.start();
}

void Metrics::connectionOpened(const QString &remoteNetwork)
{
    ++m_totalConnections;
    ++m_openConnections;
    m_peakConnections = std::max(m_peakConnections, m_openConnections);
    ++m_connectionsByNetwork[remoteNetwork];
}

void Metrics::connectionClosed(const QString &remoteNetwork, double durationSec)
{
    --m_openConnections;
    m_connectionDuration.observe(durationSec);
    auto it = m_connectionsByNetwork.find(remoteNetwork);
    if (it != m_connectionsByNetwork.end() && --it.value() == 0)
        m_connectionsByNetwork.erase(it);
}

void Metrics::connectionRefused(const QString &reason) { ++m_refused[reason]; }
void Metrics::messagePublished(SubscriptionType channel) { ++m_channels[std::size_t(channel)].published; }
void Metrics::messageCoalesced(SubscriptionType channel) { ++m_channels[std::size_t(channel)].coalesced; }

void Metrics::framesDelivered(SubscriptionType channel, int messages, qint64 bytes)
{
    ChannelCounters &counters = m_channels[std::size_t(channel)];
    counters.delivered += quint64(messages);
    ++counters.frames;
    counters.bytes += quint64(bytes);
    m_bytesOut += quint64(bytes);
}

void Metrics::frameCompressed(qint64 inputBytes, qint64 outputBytes, double cpuSeconds)
{
    ++m_compressions;
    m_compressionInputBytes += quint64(inputBytes);
    m_compressionOutputBytes += quint64(outputBytes);
    m_compressionCpuSeconds += cpuSeconds;
}

void Metrics::compressedPushSent(SubscriptionType channel, qint64 textBytes, qint64 wireBytes)
{
    ChannelCounters &counters = m_channels[std::size_t(channel)];
    ++counters.compressedFrames;
    counters.bytesBeforeCompression += quint64(textBytes);
    counters.bytesAfterCompression += quint64(wireBytes);
}

Metrics::CompressionCounters Metrics::compression() const
{
    return CompressionCounters {m_compressedConnections, m_compressions, m_compressionInputBytes,
                                m_compressionOutputBytes, m_compressionCpuSeconds};
}

void Metrics::frameReceived(qint64 bytes)
{
    ++m_framesIn;
    m_bytesIn += quint64(bytes);
}

void Metrics::controlFrameSent(qint64 bytes) { m_bytesOut += quint64(bytes); }
void Metrics::errorSent(ErrorCode code) { ++m_errors[std::size_t(code)]; }
void Metrics::deliveryLatency(SubscriptionType channel, double seconds)
{
    m_latency.observe(seconds);
    m_channelLatency[std::size_t(channel)].observe(seconds);
}

void Metrics::gapReported(SubscriptionType channel, qint64 messages)
{
    ChannelCounters &counters = m_channels[std::size_t(channel)];
    ++counters.gaps;
    counters.gapMessages += quint64(messages);
}

void Metrics::redelivered(SubscriptionType channel) { ++m_channels[std::size_t(channel)].redelivered; }
void Metrics::ackExpired(SubscriptionType channel) { ++m_channels[std::size_t(channel)].ackExpired; }
void Metrics::slowConsumerClosed() { ++m_slowConsumerCloses; }
void Metrics::authFailed(const QString &reason) { ++m_authFailures[reason]; }
void Metrics::httpRequestServed(const QString &route, int status) { ++m_httpRequests[{route, status}]; }

quint64 Metrics::errorsTotal() const
{
    return std::accumulate(m_errors.cbegin(), m_errors.cend(), quint64(0));
}

quint64 Metrics::messagesDeliveredTotal() const
{
    return std::accumulate(m_channels.cbegin(), m_channels.cend(), quint64(0),
                           [](quint64 sum, const ChannelCounters &c) { return sum + c.delivered; });
}

quint64 Metrics::messagesPublishedTotal() const
{
    return std::accumulate(m_channels.cbegin(), m_channels.cend(), quint64(0),
                           [](quint64 sum, const ChannelCounters &c) { return sum + c.published; });
}

void Metrics::sampleRates(qint64 nowMs, qint64 queuedFrames, qint64 pendingMessages)
{
    m_queuedFrames = queuedFrames;
    m_pendingMessages = pendingMessages;
    m_latency.sample();
    for (LatencyWindows &channel : m_channelLatency)
        channel.sample();

    const quint64 published = messagesPublishedTotal();
    const quint64 delivered = messagesDeliveredTotal();
    const quint64 errors = errorsTotal();
    // The first sample only sets the baseline: there is no interval yet.
    if (m_lastSampleMs >= 0) {
        const double seconds = double(nowMs - m_lastSampleMs) / 1000.0;
        if (seconds <= 0)
            return;
        m_publishedPerSec = double(published - m_lastPublished) / seconds;
        m_deliveredPerSec = double(delivered - m_lastDelivered) / seconds;
        m_errorsPerSec = double(errors - m_lastErrors) / seconds;
        m_bytesInPerSec = double(m_bytesIn - m_lastBytesIn) / seconds;
        m_bytesOutPerSec = double(m_bytesOut - m_lastBytesOut) / seconds;
    }
    m_lastPublished = published;
    m_lastDelivered = delivered;
    m_lastErrors = errors;
    m_lastBytesIn = m_bytesIn;
    m_lastBytesOut = m_bytesOut;
    m_lastSampleMs = nowMs;
}

double Metrics::recentLatencyQuantile(double q) const
{
    return m_latency.quantile(RecentWindowSec, q);
}

quint64 Metrics::recentLatencyCount() const
{
    return m_latency.count(RecentWindowSec);
}

namespace {

QJsonObject countsObject(const QHash<QString, quint64> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), qint64(it.value()));
    return object;
}

double toMs(double seconds)
{
    return seconds * 1000.0;
}

QString windowName(int seconds)
{
    return seconds % 60 == 0 ? u"%1m"_s.arg(seconds / 60) : u"%1s"_s.arg(seconds);
}

QJsonObject windowObject(const LatencyWindows &latency, int seconds)
{
    return QJsonObject {
        {u"window_s"_s, seconds},
        {u"count"_s, qint64(latency.count(seconds))},
        {u"p50_ms"_s, toMs(latency.quantile(seconds, 0.50))},
        {u"p90_ms"_s, toMs(latency.quantile(seconds, 0.90))},
        {u"p99_ms"_s, toMs(latency.quantile(seconds, 0.99))},
    };
}

// {"10s": {...}, "1m": {...}, "5m": {...}}
QJsonObject windowsObject(const LatencyWindows &latency)
{
    QJsonObject windows;
    for (int seconds : LatencyWindows::WindowsSec)
        windows.insert(windowName(seconds), windowObject(latency, seconds));
    return windows;
}

// Non-cumulative buckets, each with its upper bound in seconds ("+Inf" last).
QJsonObject histogramObject(const Histogram &histogram)
{
    QJsonArray buckets;
    const std::vector<quint64> &counts = histogram.bucketCounts();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const QJsonValue le = i < std::size_t(histogram.upperBounds().size())
            ? QJsonValue(histogram.upperBounds().at(qsizetype(i)))
            : QJsonValue(u"+Inf"_s);
        buckets.append(QJsonObject {{u"le"_s, le}, {u"count"_s, qint64(counts[i])}});
    }
    return QJsonObject {
        {u"count"_s, qint64(histogram.count())},
        {u"sum_s"_s, histogram.sum()},
        {u"max_s"_s, histogram.max()},
        {u"buckets"_s, buckets},
    };
}

QJsonObject intCounts(const QHash<QString, int> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

} // namespace

QJsonObject Metrics::latencyObject() const
{
    const Histogram &h = m_latency.lifetime();
    return QJsonObject {
        {u"count"_s, qint64(h.count())},
        {u"p50_ms"_s, toMs(h.quantile(0.50))},
        {u"p90_ms"_s, toMs(h.quantile(0.90))},
        {u"p99_ms"_s, toMs(h.quantile(0.99))},
        {u"max_ms"_s, toMs(h.max())},
        {u"mean_ms"_s, h.count() ? toMs(h.sum() / double(h.count())) : 0.0},
        {u"recent"_s, windowObject(m_latency, RecentWindowSec)},
        {u"windows"_s, windowsObject(m_latency)},
    };
}

QJsonObject Metrics::processObject() const
{
    return QJsonObject {
        {u"known"_s, m_process.known},
        {u"cpu_percent"_s, m_process.cpuPercent},
        {u"cpu_seconds_total"_s, m_process.cpuSecondsTotal},
        {u"rss_bytes"_s, m_process.rssBytes},
        {u"threads"_s, m_process.threads},
        {u"open_fds"_s, m_process.openFds},
    };
}

QJsonObject Metrics::compressionObject() const
{
    return QJsonObject {
        {u"connections"_s, m_compressedConnections},
        {u"frames_compressed"_s, qint64(m_compressions)},
        {u"input_bytes"_s, qint64(m_compressionInputBytes)},
        {u"output_bytes"_s, qint64(m_compressionOutputBytes)},
        {u"cpu_seconds"_s, m_compressionCpuSeconds},
    };
}

QJsonObject Metrics::connectionsObject(const Gauges &gauges) const
{
    Histogram open = Histogram::durationSeconds();
    for (double age : gauges.openAgesSec)
        open.observe(age);
    return QJsonObject {
        {u"current"_s, gauges.connections},
        {u"authenticated"_s, gauges.authenticated},
        {u"peak"_s, m_peakConnections},
        {u"total"_s, qint64(m_totalConnections)},
        {u"refused"_s, countsObject(m_refused)},
        {u"by_network"_s, countsObject(m_connectionsByNetwork)},
        {u"by_role"_s, intCounts(gauges.byRole)},
        {u"by_user"_s, intCounts(gauges.byUser)},
        // How long connections last: the ones that ended, and the age of
        // the ones open now.
        {u"duration"_s, QJsonObject {
            {u"closed"_s, histogramObject(m_connectionDuration)},
            {u"open"_s, histogramObject(open)},
        }},
    };
}

QJsonObject Metrics::snapshot(const Gauges &gauges) const
{
    QJsonObject channels;
    qint64 pendingTotal = 0;
    for (SubscriptionType channel : allSubscriptionTypes()) {
        const std::size_t i = std::size_t(channel);
        const ChannelCounters &c = m_channels[i];
        channels.insert(wireName(channel), QJsonObject {
            {u"seq"_s, gauges.seqByChannel[i]},
            {u"subscriptions"_s, gauges.subscriptionsByChannel[i]},
            {u"pending"_s, gauges.pendingByChannel[i]},
            {u"published"_s, qint64(c.published)},
            {u"delivered"_s, qint64(c.delivered)},
            {u"coalesced"_s, qint64(c.coalesced)},
            {u"gaps"_s, qint64(c.gaps)},
            {u"redelivered"_s, qint64(c.redelivered)},
            {u"ack_expired"_s, qint64(c.ackExpired)},
            {u"compressed_frames"_s, qint64(c.compressedFrames)},
            {u"bytes_before_compression"_s, qint64(c.bytesBeforeCompression)},
            {u"bytes_after_compression"_s, qint64(c.bytesAfterCompression)},
            {u"bytes"_s, qint64(c.bytes)},
            {u"latency"_s, windowsObject(m_channelLatency[i])},
        });
        pendingTotal += gauges.pendingByChannel[i];
    }
    QJsonObject alertsObject;
    for (auto it = m_alerts.cbegin(); it != m_alerts.cend(); ++it)
        alertsObject.insert(it.key(), it.value() ? u"firing"_s : u"ok"_s);
    QJsonObject errors;
    for (std::size_t i = 0; i < m_errors.size(); ++i) {
        if (m_errors[i])
            errors.insert(wireName(ErrorCode(i)), qint64(m_errors[i]));
    }
    return QJsonObject {
        {u"uptime_s"_s, double(m_uptime.elapsed()) / 1000.0},
        {u"connections"_s, connectionsObject(gauges)},
        {u"subscriptions"_s, gauges.subscriptions},
        {u"messages"_s, QJsonObject {
            {u"published"_s, qint64(messagesPublishedTotal())},
            {u"delivered"_s, qint64(messagesDeliveredTotal())},
            {u"published_per_sec"_s, m_publishedPerSec},
            {u"delivered_per_sec"_s, m_deliveredPerSec},
            {u"frames_in"_s, qint64(m_framesIn)},
            {u"bytes_in"_s, qint64(m_bytesIn)},
            {u"bytes_out"_s, qint64(m_bytesOut)},
            {u"queued_frames"_s, gauges.queuedFrames},
            {u"buffered_bytes"_s, gauges.bufferedBytes},
        }},
        {u"errors"_s, errors},
        {u"errors_per_sec"_s, m_errorsPerSec},
        {u"auth_failures"_s, countsObject(m_authFailures)},
        {u"slow_consumer_closes"_s, qint64(m_slowConsumerCloses)},
        {u"latency"_s, latencyObject()},
        {u"throughput"_s, QJsonObject {
            {u"published_per_sec"_s, m_publishedPerSec},
            {u"delivered_per_sec"_s, m_deliveredPerSec},
            {u"bytes_in_per_sec"_s, m_bytesInPerSec},
            {u"bytes_out_per_sec"_s, m_bytesOutPerSec},
            {u"errors_per_sec"_s, m_errorsPerSec},
        }},
        {u"compression"_s, compressionObject()},
        // Bytes on the wire (WebSocket payloads) and what waits to be sent:
        // frames queued behind slow sockets, messages held by strategies.
        {u"bandwidth"_s, QJsonObject {
            {u"bytes_in"_s, qint64(m_bytesIn)},
            {u"bytes_out"_s, qint64(m_bytesOut)},
            {u"bytes_in_per_sec"_s, m_bytesInPerSec},
            {u"bytes_out_per_sec"_s, m_bytesOutPerSec},
        }},
        {u"queues"_s, QJsonObject {
            {u"queued_frames"_s, gauges.queuedFrames},
            {u"buffered_bytes"_s, gauges.bufferedBytes},
            {u"pending_messages"_s, pendingTotal},
        }},
        {u"process"_s, processObject()},
        {u"alerts"_s, alertsObject},
        {u"channels"_s, channels},
    };
}

} // namespace QuantPush
