#pragma once

#include <QHash>
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
    struct ChannelCounters
    {
        qint64 published = 0;
        qint64 delivered = 0;
        qint64 subscriptions = 0;
        qint64 seq = 0; // the channel's latest sequence number
    };

    double uptimeSec = 0;
    qint64 connections = 0;
    qint64 peakConnections = 0;
    qint64 totalConnections = 0;
    qint64 subscriptions = 0;
    double publishedPerSec = 0;
    double deliveredPerSec = 0;
    double errorsPerSec = 0;
    double latencyP50Ms = 0;
    double latencyP99Ms = 0;
    qint64 latencyCount = 0;
    std::optional<double> cpuPercent;
    std::optional<qint64> rssBytes;
    QHash<QString, ChannelCounters> channels;

    // Missing or malformed fields leave their defaults; a body that is not
    // a stats body at all (no "connections" object) gives std::nullopt.
    static std::optional<StatsSnapshot> fromJson(const QJsonObject &body);
};

} // namespace QuantPush
