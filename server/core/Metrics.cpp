#include "Metrics.h"

#include "protocol/StatsKeys.h"

#include <QtCore/QJsonArray>

#include <algorithm>
#include <numeric>
#include <utility>

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
    // On a worker's Metrics the open may have been summed away already: the
    // entry then holds a net change (absorb()).
    auto it = m_connectionsByNetwork.find(remoteNetwork);
    if (it == m_connectionsByNetwork.end())
        it = m_connectionsByNetwork.insert(remoteNetwork, 0);
    if (--it.value() == 0)
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
void Metrics::deliveryLatency(SubscriptionType channel, double seconds, quint64 deliveries)
{
    m_latency.observe(seconds, deliveries);
    m_channelLatency[std::size_t(channel)].observe(seconds, deliveries);
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

QJsonObject windowObject(const LatencyWindows &latency, int seconds)
{
    return QJsonObject {
        {StatsKey::WindowS, seconds},
        {StatsKey::Count, qint64(latency.count(seconds))},
        {StatsKey::P50Ms, toMs(latency.quantile(seconds, 0.50))},
        {StatsKey::P90Ms, toMs(latency.quantile(seconds, 0.90))},
        {StatsKey::P99Ms, toMs(latency.quantile(seconds, 0.99))},
    };
}

// {"10s": {...}, "1m": {...}, "5m": {...}}
QJsonObject windowsObject(const LatencyWindows &latency)
{
    QJsonObject windows;
    for (int seconds : LatencyWindows::WindowsSec)
        windows.insert(StatsKey::latencyWindow(seconds), windowObject(latency, seconds));
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
            : QJsonValue(StatsKey::PlusInf);
        buckets.append(QJsonObject {{StatsKey::Le, le}, {StatsKey::Count, qint64(counts[i])}});
    }
    return QJsonObject {
        {StatsKey::Count, qint64(histogram.count())},
        {StatsKey::SumS, histogram.sum()},
        {StatsKey::MaxS, histogram.max()},
        {StatsKey::Buckets, buckets},
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
        {StatsKey::Count, qint64(h.count())},
        {StatsKey::P50Ms, toMs(h.quantile(0.50))},
        {StatsKey::P90Ms, toMs(h.quantile(0.90))},
        {StatsKey::P99Ms, toMs(h.quantile(0.99))},
        {StatsKey::MaxMs, toMs(h.max())},
        {StatsKey::MeanMs, h.count() ? toMs(h.sum() / double(h.count())) : 0.0},
        {StatsKey::Recent, windowObject(m_latency, RecentWindowSec)},
        {StatsKey::Windows, windowsObject(m_latency)},
    };
}

QJsonObject Metrics::processObject() const
{
    QJsonObject process {
        {StatsKey::Known, m_process.known},
        {StatsKey::CpuPercent, m_process.cpuPercent},
        {StatsKey::CpuSecondsTotal, m_process.cpuSecondsTotal},
        {StatsKey::RssBytes, m_process.rssBytes},
        {StatsKey::Threads, m_process.threads},
        {StatsKey::OpenFds, m_process.openFds},
    };
    // Only where the kernel keeps schedstat: absent rather than a made-up 0.
    if (m_process.cpuWaitSecondsTotal >= 0)
        process.insert(StatsKey::CpuWaitSecondsTotal, m_process.cpuWaitSecondsTotal);
    if (m_process.cpuWaitPercent >= 0)
        process.insert(StatsKey::CpuWaitPercent, m_process.cpuWaitPercent);
    return process;
}

QJsonObject Metrics::compressionObject() const
{
    return QJsonObject {
        {StatsKey::Connections, m_compressedConnections},
        {StatsKey::FramesCompressed, qint64(m_compressions)},
        {StatsKey::InputBytes, qint64(m_compressionInputBytes)},
        {StatsKey::OutputBytes, qint64(m_compressionOutputBytes)},
        {StatsKey::CpuSeconds, m_compressionCpuSeconds},
    };
}

QJsonObject Metrics::connectionsObject(const Gauges &gauges) const
{
    Histogram open = Histogram::durationSeconds();
    for (double age : gauges.openAgesSec)
        open.observe(age);
    return QJsonObject {
        {StatsKey::Current, gauges.connections},
        {StatsKey::Authenticated, gauges.authenticated},
        {StatsKey::Peak, m_peakConnections},
        {StatsKey::Total, qint64(m_totalConnections)},
        {StatsKey::Refused, countsObject(m_refused)},
        {StatsKey::ByNetwork, countsObject(m_connectionsByNetwork)},
        {StatsKey::ByRole, intCounts(gauges.byRole)},
        {StatsKey::ByUser, intCounts(gauges.byUser)},
        // How long connections last: the ones that ended, and the age of
        // the ones open now.
        {StatsKey::Duration, QJsonObject {
            {StatsKey::Closed, histogramObject(m_connectionDuration)},
            {StatsKey::Open, histogramObject(open)},
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
            {StatsKey::Seq, gauges.seqByChannel[i]},
            {StatsKey::Subscriptions, gauges.subscriptionsByChannel[i]},
            {StatsKey::Pending, gauges.pendingByChannel[i]},
            {StatsKey::Published, qint64(c.published)},
            {StatsKey::Delivered, qint64(c.delivered)},
            {StatsKey::Coalesced, qint64(c.coalesced)},
            {StatsKey::Gaps, qint64(c.gaps)},
            {StatsKey::Redelivered, qint64(c.redelivered)},
            {StatsKey::AckExpired, qint64(c.ackExpired)},
            {StatsKey::CompressedFrames, qint64(c.compressedFrames)},
            {StatsKey::BytesBeforeCompression, qint64(c.bytesBeforeCompression)},
            {StatsKey::BytesAfterCompression, qint64(c.bytesAfterCompression)},
            {StatsKey::Bytes, qint64(c.bytes)},
            {StatsKey::Latency, windowsObject(m_channelLatency[i])},
        });
        pendingTotal += gauges.pendingByChannel[i];
    }
    QJsonObject alertsObject;
    for (auto it = m_alerts.cbegin(); it != m_alerts.cend(); ++it)
        alertsObject.insert(it.key(), it.value() ? StatsKey::Firing : StatsKey::Ok);
    QJsonObject errors;
    for (std::size_t i = 0; i < m_errors.size(); ++i) {
        if (m_errors[i])
            errors.insert(wireName(ErrorCode(i)), qint64(m_errors[i]));
    }
    return QJsonObject {
        {StatsKey::UptimeS, double(m_uptime.elapsed()) / 1000.0},
        {StatsKey::Connections, connectionsObject(gauges)},
        {StatsKey::Subscriptions, gauges.subscriptions},
        {StatsKey::Messages, QJsonObject {
            {StatsKey::Published, qint64(messagesPublishedTotal())},
            {StatsKey::Delivered, qint64(messagesDeliveredTotal())},
            {StatsKey::PublishedPerSec, m_publishedPerSec},
            {StatsKey::DeliveredPerSec, m_deliveredPerSec},
            {StatsKey::FramesIn, qint64(m_framesIn)},
            {StatsKey::BytesIn, qint64(m_bytesIn)},
            {StatsKey::BytesOut, qint64(m_bytesOut)},
            {StatsKey::QueuedFrames, gauges.queuedFrames},
            {StatsKey::BufferedBytes, gauges.bufferedBytes},
        }},
        {StatsKey::Errors, errors},
        {StatsKey::ErrorsPerSec, m_errorsPerSec},
        {StatsKey::AuthFailures, countsObject(m_authFailures)},
        {StatsKey::SlowConsumerCloses, qint64(m_slowConsumerCloses)},
        {StatsKey::Latency, latencyObject()},
        {StatsKey::Throughput, QJsonObject {
            {StatsKey::PublishedPerSec, m_publishedPerSec},
            {StatsKey::DeliveredPerSec, m_deliveredPerSec},
            {StatsKey::BytesInPerSec, m_bytesInPerSec},
            {StatsKey::BytesOutPerSec, m_bytesOutPerSec},
            {StatsKey::ErrorsPerSec, m_errorsPerSec},
        }},
        {StatsKey::Compression, compressionObject()},
        // Bytes on the wire (WebSocket payloads) and what waits to be sent:
        // frames queued behind slow sockets, messages held by strategies.
        {StatsKey::Bandwidth, QJsonObject {
            {StatsKey::BytesIn, qint64(m_bytesIn)},
            {StatsKey::BytesOut, qint64(m_bytesOut)},
            {StatsKey::BytesInPerSec, m_bytesInPerSec},
            {StatsKey::BytesOutPerSec, m_bytesOutPerSec},
        }},
        {StatsKey::Queues, QJsonObject {
            {StatsKey::QueuedFrames, gauges.queuedFrames},
            {StatsKey::BufferedBytes, gauges.bufferedBytes},
            {StatsKey::PendingMessages, pendingTotal},
        }},
        {StatsKey::Process, processObject()},
        {StatsKey::Alerts, alertsObject},
        {StatsKey::Channels, channels},
    };
}

void Metrics::absorb(Metrics &worker)
{
    for (std::size_t i = 0; i < m_channels.size(); ++i) {
        ChannelCounters &to = m_channels[i];
        ChannelCounters &from = worker.m_channels[i];
        to.published += from.published;
        to.delivered += from.delivered;
        to.frames += from.frames;
        to.bytes += from.bytes;
        to.coalesced += from.coalesced;
        to.gaps += from.gaps;
        to.gapMessages += from.gapMessages;
        to.redelivered += from.redelivered;
        to.ackExpired += from.ackExpired;
        to.compressedFrames += from.compressedFrames;
        to.bytesBeforeCompression += from.bytesBeforeCompression;
        to.bytesAfterCompression += from.bytesAfterCompression;
        from = ChannelCounters {};
        m_channelLatency[i].absorb(worker.m_channelLatency[i]);
    }
    auto addAll = [](auto &to, auto &from) {
        for (auto it = from.cbegin(); it != from.cend(); ++it)
            to[it.key()] += it.value();
        from.clear();
    };
    addAll(m_refused, worker.m_refused);
    addAll(m_authFailures, worker.m_authFailures);
    addAll(m_httpRequests, worker.m_httpRequests);
    // Open connections by network: the worker's entries are net changes
    // (opened minus closed, modulo 2^64), so an entry that reaches zero here goes.
    for (auto it = worker.m_connectionsByNetwork.cbegin(); it != worker.m_connectionsByNetwork.cend(); ++it) {
        quint64 &open = m_connectionsByNetwork[it.key()];
        open += it.value();
        if (open == 0)
            m_connectionsByNetwork.remove(it.key());
    }
    worker.m_connectionsByNetwork.clear();
    for (std::size_t i = 0; i < m_errors.size(); ++i) {
        m_errors[i] += worker.m_errors[i];
        worker.m_errors[i] = 0;
    }
    m_totalConnections += std::exchange(worker.m_totalConnections, 0);
    m_openConnections += std::exchange(worker.m_openConnections, 0);
    // Sampled when summed: a peak between two reads is seen only as far as
    // the worker's own peak shows it.
    m_peakConnections = std::max({m_peakConnections, m_openConnections, std::exchange(worker.m_peakConnections, 0)});
    m_bytesIn += std::exchange(worker.m_bytesIn, 0);
    m_bytesOut += std::exchange(worker.m_bytesOut, 0);
    m_framesIn += std::exchange(worker.m_framesIn, 0);
    m_slowConsumerCloses += std::exchange(worker.m_slowConsumerCloses, 0);
    m_compressedConnections += std::exchange(worker.m_compressedConnections, 0);
    m_compressions += std::exchange(worker.m_compressions, 0);
    m_compressionInputBytes += std::exchange(worker.m_compressionInputBytes, 0);
    m_compressionOutputBytes += std::exchange(worker.m_compressionOutputBytes, 0);
    m_compressionCpuSeconds += std::exchange(worker.m_compressionCpuSeconds, 0.0);
    m_latency.absorb(worker.m_latency);
    m_connectionDuration.absorb(worker.m_connectionDuration);
}

} // namespace QuantPush
