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
    const quint64 errors = std::accumulate(m_errors.cbegin(), m_errors.cend(), quint64(0));
    m_publishedPerSec = double(published - m_lastPublished) / seconds;
    m_deliveredPerSec = double(delivered - m_lastDelivered) / seconds;
    m_errorsPerSec = double(errors - m_lastErrors) / seconds;
    m_lastPublished = published;
    m_lastDelivered = delivered;
    m_lastErrors = errors;
    m_lastSampleMs = now;
}

namespace {

QJsonObject countsObject(const QHash<QString, quint64> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), qint64(it.value()));
    return object;
}

QJsonObject latencyObject(const Histogram &histogram)
{
    const auto ms = [](double seconds) { return seconds * 1000.0; };
    return QJsonObject {
        {u"count"_s, qint64(histogram.count())},
        {u"p50_ms"_s, ms(histogram.quantile(0.50))},
        {u"p90_ms"_s, ms(histogram.quantile(0.90))},
        {u"p99_ms"_s, ms(histogram.quantile(0.99))},
        {u"max_ms"_s, ms(histogram.max())},
        {u"mean_ms"_s, histogram.count() ? ms(histogram.sum() / double(histogram.count())) : 0.0},
    };
}

} // namespace

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
        });
    }
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
        {u"latency"_s, latencyObject(m_latency)},
        {u"channels"_s, channels},
    };
}

} // namespace QuantPush
