#pragma once

#include "Histogram.h"
#include "protocol/Protocol.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <array>

namespace QuantPush {

// The one registry every figure is measured into where the work happens;
// the stats JSON, the admin stream and /metrics all read from it.
class Metrics : public QObject
{
    Q_OBJECT
public:
    explicit Metrics(QObject *parent = nullptr);

    // Connections
    void connectionOpened(const QString &remoteNetwork);
    void connectionClosed(const QString &remoteNetwork, double durationSec);
    void connectionRefused(const QString &reason);
    // Traffic
    void messagePublished(SubscriptionType channel);
    void messageCoalesced(SubscriptionType channel);
    void framesDelivered(SubscriptionType channel, int messages, qint64 bytes);
    void frameReceived(qint64 bytes);
    void controlFrameSent(qint64 bytes);
    void errorSent(ErrorCode code);
    void deliveryLatency(double seconds);
    // Delivery guarantees
    void gapReported(SubscriptionType channel, qint64 messages);
    void redelivered(SubscriptionType channel);
    void ackExpired(SubscriptionType channel);
    void slowConsumerClosed();
    void authFailed(const QString &reason);

    // Gauges sampled from their owners when a snapshot is taken.
    struct Gauges
    {
        int connections = 0;
        int authenticated = 0;
        int subscriptions = 0;
        qint64 queuedFrames = 0;
        qint64 bufferedBytes = 0;
        std::array<int, SubscriptionTypeCount> subscriptionsByChannel {};
        std::array<int, SubscriptionTypeCount> pendingByChannel {};
        std::array<qint64, SubscriptionTypeCount> seqByChannel {};
    };

    int peakConnections() const { return m_peakConnections; }
    quint64 totalConnections() const { return m_totalConnections; }
    quint64 messagesDeliveredTotal() const;
    quint64 messagesPublishedTotal() const;
    const Histogram &latency() const { return m_latency; }
    const Histogram &connectionDuration() const { return m_connectionDuration; }
    qint64 uptimeMs() const { return m_uptime.elapsed(); }

    // Called once a second: turns counters into per-second rates.
    void sampleRates();
    double publishedPerSec() const { return m_publishedPerSec; }
    double deliveredPerSec() const { return m_deliveredPerSec; }
    double errorsPerSec() const { return m_errorsPerSec; }

    QJsonObject snapshot(const Gauges &gauges) const;

private:
    struct ChannelCounters
    {
        quint64 published = 0;
        quint64 delivered = 0;  // messages written to sockets (per recipient)
        quint64 frames = 0;
        quint64 bytes = 0;
        quint64 coalesced = 0;
        quint64 gaps = 0;
        quint64 gapMessages = 0;
        quint64 redelivered = 0;
        quint64 ackExpired = 0;
    };

    std::array<ChannelCounters, SubscriptionTypeCount> m_channels {};
    QHash<QString, quint64> m_refused;
    QHash<QString, quint64> m_authFailures;
    QHash<QString, quint64> m_connectionsByNetwork;
    std::array<quint64, 9> m_errors {};
    quint64 m_totalConnections = 0;
    int m_openConnections = 0;
    int m_peakConnections = 0;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
    quint64 m_framesIn = 0;
    quint64 m_slowConsumerCloses = 0;
    Histogram m_latency = Histogram::latencySeconds();
    Histogram m_connectionDuration = Histogram::durationSeconds();
    QElapsedTimer m_uptime;

    quint64 m_lastPublished = 0;
    quint64 m_lastDelivered = 0;
    quint64 m_lastErrors = 0;
    qint64 m_lastSampleMs = 0;
    double m_publishedPerSec = 0;
    double m_deliveredPerSec = 0;
    double m_errorsPerSec = 0;
};

} // namespace QuantPush
