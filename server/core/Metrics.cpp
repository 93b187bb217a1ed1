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
void Metrics::deliveryLatency(double seconds) { m_latency.observe(seconds); }

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

void Metrics::sampleRates()
{
    const qint64 now = m_uptime.elapsed();
    const double seconds = double(now - m_lastSampleMs) / 1000.0;
    if (seconds <= 0)
        return;
    const quint64 published = messagesPublishedTotal();
    const quint64 delivered = messagesDeliveredTotal();
    const quint64 errors = errorsTotal();
    m_publishedPerSec = double(published - m_lastPublished) / seconds;
    m_deliveredPerSec = double(delivered - m_lastDelivered) / seconds;
    m_errorsPerSec = double(errors - m_lastErrors) / seconds;
    m_bytesInPerSec = double(m_bytesIn - m_lastBytesIn) / seconds;
    m_bytesOutPerSec = double(m_bytesOut - m_lastBytesOut) / seconds;
    m_lastPublished = published;
    m_lastDelivered = delivered;
    m_lastErrors = errors;
    m_lastBytesIn = m_bytesIn;
    m_lastBytesOut = m_bytesOut;
    m_lastSampleMs = now;

    m_latencyReadings.push_back(m_latency.bucketCounts());
    while (m_latencyReadings.size() > std::size_t(RecentWindowSec))
        m_latencyReadings.pop_front();
}

std::vector<quint64> Metrics::recentLatencyCounts() const
{
    std::vector<quint64> counts = m_latency.bucketCounts();
    if (m_latencyReadings.empty())
        return counts;
    // The window starts at the oldest reading kept: up to RecentWindowSec
    // seconds ago, plus whatever arrived since the last sample.
    const std::vector<quint64> &oldest = m_latencyReadings.front();
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] -= oldest[i];
    return counts;
}

double Metrics::recentLatencyQuantile(double q) const
{
    return Histogram::quantileOf(m_latency.upperBounds(), recentLatencyCounts(), m_latency.max(), q);
}

quint64 Metrics::recentLatencyCount() const
{
    const std::vector<quint64> counts = recentLatencyCounts();
    return std::accumulate(counts.cbegin(), counts.cend(), quint64(0));
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

} // namespace

QJsonObject Metrics::latencyObject() const
{
    const Histogram &h = m_latency;
    return QJsonObject {
        {u"count"_s, qint64(h.count())},
        {u"p50_ms"_s, toMs(h.quantile(0.50))},
        {u"p90_ms"_s, toMs(h.quantile(0.90))},
        {u"p99_ms"_s, toMs(h.quantile(0.99))},
        {u"max_ms"_s, toMs(h.max())},
        {u"mean_ms"_s, h.count() ? toMs(h.sum() / double(h.count())) : 0.0},
        {u"recent"_s, QJsonObject {
            {u"window_s"_s, RecentWindowSec},
            {u"count"_s, qint64(recentLatencyCount())},
            {u"p50_ms"_s, toMs(recentLatencyQuantile(0.50))},
            {u"p90_ms"_s, toMs(recentLatencyQuantile(0.90))},
            {u"p99_ms"_s, toMs(recentLatencyQuantile(0.99))},
        }},
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

Metrics::Gauges Metrics::gaugesFromSnapshot(const QJsonObject &snapshot)
{
    Gauges gauges;
    const QJsonObject connections = snapshot.value(u"connections"_s).toObject();
    gauges.connections = connections.value(u"current"_s).toInt();
    gauges.authenticated = connections.value(u"authenticated"_s).toInt();
    gauges.subscriptions = snapshot.value(u"subscriptions"_s).toInt();
    const QJsonObject messages = snapshot.value(u"messages"_s).toObject();
    gauges.queuedFrames = messages.value(u"queued_frames"_s).toInteger();
    gauges.bufferedBytes = messages.value(u"buffered_bytes"_s).toInteger();
    const QJsonObject channels = snapshot.value(u"channels"_s).toObject();
    for (SubscriptionType channel : allSubscriptionTypes()) {
        const std::size_t i = std::size_t(channel);
        const QJsonObject c = channels.value(wireName(channel)).toObject();
        gauges.subscriptionsByChannel[i] = c.value(u"subscriptions"_s).toInt();
        gauges.pendingByChannel[i] = c.value(u"pending"_s).toInt();
        gauges.seqByChannel[i] = c.value(u"seq"_s).toInteger();
    }
    return gauges;
}

QJsonObject Metrics::snapshot(const Gauges &gauges) const
{
    QJsonObject channels;
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
        });
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
        {u"connections"_s, QJsonObject {
            {u"current"_s, gauges.connections},
            {u"authenticated"_s, gauges.authenticated},
            {u"peak"_s, m_peakConnections},
            {u"total"_s, qint64(m_totalConnections)},
            {u"refused"_s, countsObject(m_refused)},
            {u"by_network"_s, countsObject(m_connectionsByNetwork)},
        }},
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
        {u"process"_s, processObject()},
        {u"alerts"_s, alertsObject},
        {u"channels"_s, channels},
    };
}

} // namespace QuantPush
