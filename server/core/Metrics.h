#pragma once

#include "Histogram.h"
#include "LatencyWindows.h"
#include "protocol/Protocol.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <array>
#include <functional>
#include <deque>
#include <vector>

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
    void deliveryLatency(SubscriptionType channel, double seconds, quint64 deliveries = 1);
    // Compression (docs/protocol.md, "Compression"): one frameCompressed per
    // compression (a frame is compressed once for all its recipients), one
    // compressedPushSent per compressed push or batch frame written.
    void frameCompressed(qint64 inputBytes, qint64 outputBytes, double cpuSeconds);
    void compressedPushSent(SubscriptionType channel, qint64 textBytes, qint64 wireBytes);
    void compressedConnectionOpened() { ++m_compressedConnections; }
    void compressedConnectionClosed() { --m_compressedConnections; }
    // Delivery guarantees
    void gapReported(SubscriptionType channel, qint64 messages);
    void redelivered(SubscriptionType channel);
    void ackExpired(SubscriptionType channel);
    void slowConsumerClosed();
    void authFailed(const QString &reason);
    // Operations: the HTTP API, the process, the alert rules.
    void httpRequestServed(const QString &route, int status);

    // This process's resource usage, written once a second by whoever can
    // read it (the server links a /proc sampler; the core stays portable).
    struct ProcessUsage
    {
        bool known = false;
        double cpuPercent = 0;      // of one core, over the last sample interval
        double cpuSecondsTotal = 0; // user + system since start
        qint64 rssBytes = 0;
        int threads = -1;
        int openFds = -1;
        double cpuWaitSecondsTotal = -1; // threads' run-queue wait since start; -1 unknown
        double cpuWaitPercent = -1;      // the same over the last sample interval, % of wall time
    };
    void setProcessUsage(const ProcessUsage &usage) { m_process = usage; }
    const ProcessUsage &processUsage() const { return m_process; }

    // Alert rules by name: true while firing.
    void setAlertActive(const QString &rule, bool active) { m_alerts.insert(rule, active); }
    const QMap<QString, bool> &alerts() const { return m_alerts; }

    // Gauges sampled from their owners when a snapshot is taken.
    struct Gauges
    {
        int connections = 0;
        int authenticated = 0;
        int subscriptions = 0;
        qint64 queuedFrames = 0;
        qint64 bufferedBytes = 0;
        int pacingThreads = 0; // connection threads gathering pushes (FlushPacer engaged)
        std::array<int, SubscriptionTypeCount> subscriptionsByChannel {};
        std::array<int, SubscriptionTypeCount> pendingByChannel {};
        std::array<qint64, SubscriptionTypeCount> seqByChannel {};
        // Open connections: age of each, and counts by role and by user
        // (authenticated ones; the others count as role/user "-").
        QList<double> openAgesSec;
        QHash<QString, int> byRole;
        QHash<QString, int> byUser;
    };

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
        // Push frames written compressed, and their JSON text (before) and
        // wire payload (after) sizes; `bytes` above counts the latter.
        quint64 compressedFrames = 0;
        quint64 bytesBeforeCompression = 0;
        quint64 bytesAfterCompression = 0;
    };
    struct CompressionCounters
    {
        int connections = 0;    // open connections taking compressed frames
        quint64 frames = 0;     // compressions done
        quint64 inputBytes = 0;
        quint64 outputBytes = 0;
        double cpuSeconds = 0;  // thread CPU time spent compressing
    };

    // Read access for the exporters.
    const ChannelCounters &channel(SubscriptionType channel) const { return m_channels[std::size_t(channel)]; }
    const QHash<QString, quint64> &refusedByReason() const { return m_refused; }
    const QHash<QString, quint64> &authFailuresByReason() const { return m_authFailures; }
    const QHash<QString, quint64> &openConnectionsByNetwork() const { return m_connectionsByNetwork; }
    // (route, status) → requests answered by the HTTP API.
    const QHash<std::pair<QString, int>, quint64> &httpRequests() const { return m_httpRequests; }
    quint64 errors(ErrorCode code) const { return m_errors[std::size_t(code)]; }
    quint64 errorsTotal() const;
    int openConnections() const { return m_openConnections; }
    int peakConnections() const { return m_peakConnections; }
    quint64 totalConnections() const { return m_totalConnections; }
    quint64 messagesDeliveredTotal() const;
    quint64 messagesPublishedTotal() const;
    quint64 bytesIn() const { return m_bytesIn; }
    quint64 bytesOut() const { return m_bytesOut; }
    quint64 framesIn() const { return m_framesIn; }
    quint64 slowConsumerCloses() const { return m_slowConsumerCloses; }
    CompressionCounters compression() const;
    const Histogram &latency() const { return m_latency.lifetime(); }
    const LatencyWindows &latencyWindows() const { return m_latency; }
    const LatencyWindows &channelLatency(SubscriptionType channel) const
    {
        return m_channelLatency[std::size_t(channel)];
    }
    const Histogram &connectionDuration() const { return m_connectionDuration; }
    qint64 uptimeMs() const { return m_uptime.elapsed(); }

    // Called once a second: turns counters into per-second rates and keeps
    // the latency readings behind the windows. `queuedFrames` and
    // `pendingMessages` are the queue gauges at that moment (for alerts).
    void sampleRates(qint64 nowMs, qint64 queuedFrames = 0, qint64 pendingMessages = 0);
    qint64 queuedFrames() const { return m_queuedFrames; }
    qint64 pendingMessages() const { return m_pendingMessages; }
    double publishedPerSec() const { return m_publishedPerSec; }
    double deliveredPerSec() const { return m_deliveredPerSec; }
    double errorsPerSec() const { return m_errorsPerSec; }
    double bytesInPerSec() const { return m_bytesInPerSec; }
    double bytesOutPerSec() const { return m_bytesOutPerSec; }

    // Publish-to-write latency over the last RecentWindowSec seconds (the
    // lifetime histogram never forgets a spike; alerts need what is now).
    static constexpr int RecentWindowSec = LatencyWindows::WindowsSec.front();
    double recentLatencyQuantile(double q) const;
    quint64 recentLatencyCount() const;

    QJsonObject snapshot(const Gauges &gauges) const;

    // Adds what a worker thread's Metrics counted since the last call and
    // zeroes it there. Called on the worker's thread while the owner of
    // this object waits (SessionWorkers::collectMetrics): counters are
    // per thread and summed when read.
    void absorb(Metrics &worker);
    // Whoever reads these figures to decide something (alert rules, the
    // stats, /metrics) calls refresh() first: it runs the collector the
    // server installed (summing its worker threads' counters in here).
    void setCollector(std::function<void()> collector) { m_collector = std::move(collector); }
    void refresh()
    {
        if (m_collector)
            m_collector();
    }

private:
    QJsonObject latencyObject() const;
    QJsonObject connectionsObject(const Gauges &gauges) const;
    QJsonObject processObject() const;
    QJsonObject compressionObject() const;

    std::array<ChannelCounters, SubscriptionTypeCount> m_channels {};
    QHash<QString, quint64> m_refused;
    QHash<QString, quint64> m_authFailures;
    QHash<QString, quint64> m_connectionsByNetwork;
    QHash<std::pair<QString, int>, quint64> m_httpRequests;
    std::array<quint64, ErrorCodeCount> m_errors {};
    quint64 m_totalConnections = 0;
    int m_openConnections = 0;
    int m_peakConnections = 0;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
    quint64 m_framesIn = 0;
    quint64 m_slowConsumerCloses = 0;
    int m_compressedConnections = 0;
    quint64 m_compressions = 0;
    quint64 m_compressionInputBytes = 0;
    quint64 m_compressionOutputBytes = 0;
    double m_compressionCpuSeconds = 0;
    LatencyWindows m_latency;
    std::array<LatencyWindows, SubscriptionTypeCount> m_channelLatency;
    Histogram m_connectionDuration = Histogram::durationSeconds();
    QElapsedTimer m_uptime;
    ProcessUsage m_process;
    QMap<QString, bool> m_alerts;
    std::function<void()> m_collector;

    quint64 m_lastPublished = 0;
    quint64 m_lastDelivered = 0;
    quint64 m_lastErrors = 0;
    quint64 m_lastBytesIn = 0;
    quint64 m_lastBytesOut = 0;
    qint64 m_lastSampleMs = -1;
    qint64 m_queuedFrames = 0;
    qint64 m_pendingMessages = 0;
    double m_publishedPerSec = 0;
    double m_deliveredPerSec = 0;
    double m_errorsPerSec = 0;
    double m_bytesInPerSec = 0;
    double m_bytesOutPerSec = 0;
};

} // namespace QuantPush
