#pragma once

#include <QHash>
#include <QList>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace QuantPush {

// The figures the dashboard shows, read from one `stats` body (the reply to
// the admin `stats` request, or data.stats of a system_monitor push).
// Anything the server did not send stays absent rather than zero, so the UI
// can show "—" instead of a made-up number.
struct StatsSnapshot
{
    // Publish-to-write latency over one window of the server's (10 s, 1 min, 5 min).
    struct Latency
    {
        qint64 count = 0;
        double p50Ms = 0;
        double p99Ms = 0;
    };
    enum Window { TenSeconds, OneMinute, FiveMinutes, WindowCount };

    struct ChannelCounters
    {
        qint64 published = 0;
        qint64 delivered = 0;
        qint64 subscriptions = 0;
        qint64 seq = 0; // the channel's latest sequence number
        qint64 pending = 0; // held by the channel's strategy queue
        std::optional<Latency> latency[WindowCount];
    };

    // A histogram as the server sends it: per-bucket counts, bounds in seconds
    // (the last bound is +Inf, stored as infinity).
    struct Histogram
    {
        QList<double> upperBounds;
        QList<qint64> counts;
        qint64 count = 0;
    };

    // The node that sent the stats and its broker; with Redis, every node
    // alive by its heartbeat (the "cluster view").
    struct ClusterNode
    {
        QString nodeId;
        qint64 connections = 0;
        std::optional<double> beatAgeMs; // absent from servers that do not send it
    };
    struct Broker
    {
        QString type; // "local" or "redis"
        QString nodeId;
        bool available = true;
        QString unavailableReason;
        qint64 clusterConnections = 0;
        QList<ClusterNode> nodes; // with Redis: the nodes alive (the last list read while it is away)
    };

    double uptimeSec = 0;
    qint64 connections = 0;
    qint64 peakConnections = 0;
    qint64 totalConnections = 0;
    qint64 subscriptions = 0;
    double publishedPerSec = 0;
    double deliveredPerSec = 0;
    double errorsPerSec = 0;
    // Live latency: the server's windows. Absent when the server does not
    // send them; the lifetime figures are kept apart, for the record only.
    std::optional<Latency> latency[WindowCount];
    double lifetimeP99Ms = 0;
    qint64 lifetimeLatencyCount = 0;
    // Bandwidth and queues.
    std::optional<double> bytesInPerSec;
    std::optional<double> bytesOutPerSec;
    std::optional<qint64> queuedFrames;
    std::optional<qint64> pendingMessages;
    // Who is connected.
    QHash<QString, qint64> byNetwork;
    QHash<QString, qint64> byRole;
    QHash<QString, qint64> byUser;
    std::optional<Histogram> openDurations;
    std::optional<Histogram> closedDurations;
    std::optional<double> cpuPercent;
    // The server's threads waiting for a CPU over the last second, % of one
    // thread's time summed over threads; absent where the kernel keeps no
    // schedstat (and from older servers).
    std::optional<double> cpuWaitPercent;
    std::optional<qint64> rssBytes;
    QHash<QString, ChannelCounters> channels;
    std::optional<Broker> broker; // absent from servers older than the broker

    // Missing or malformed fields leave their defaults; a body that is not
    // a stats body at all (no "connections" object) gives std::nullopt.
    static std::optional<StatsSnapshot> fromJson(const QJsonObject &body);
    // The window names of the stats body, in Window order ("10s", "1m", "5m").
    static QString windowName(Window window);
};

} // namespace QuantPush
