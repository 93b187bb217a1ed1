#include "StatsSnapshot.h"

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
    return StatsSnapshot::Latency {object.value("count"_L1).toInteger(), object.value("p50_ms"_L1).toDouble(),
                                   object.value("p99_ms"_L1).toDouble()};
}

std::optional<StatsSnapshot::Histogram> histogramOf(const QJsonValue &value)
{
    const QJsonArray buckets = value.toObject().value("buckets"_L1).toArray();
    if (buckets.isEmpty())
        return std::nullopt;
    StatsSnapshot::Histogram histogram;
    for (const QJsonValue &bucket : buckets) {
        const QJsonValue le = bucket.toObject().value("le"_L1);
        histogram.upperBounds.append(le.isDouble() ? le.toDouble() : std::numeric_limits<double>::infinity());
        histogram.counts.append(bucket.toObject().value("count"_L1).toInteger());
    }
    histogram.count = value.toObject().value("count"_L1).toInteger();
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

} // namespace

QLatin1StringView StatsSnapshot::windowName(Window window)
{
    static constexpr QLatin1StringView names[WindowCount] = {"10s"_L1, "1m"_L1, "5m"_L1};
    return names[window];
}

std::optional<StatsSnapshot> StatsSnapshot::fromJson(const QJsonObject &body)
{
    const QJsonValue connectionsValue = body.value("connections"_L1);
    if (!connectionsValue.isObject())
        return std::nullopt;
    StatsSnapshot s;
    const QJsonObject connections = connectionsValue.toObject();
    s.uptimeSec = body.value("uptime_s"_L1).toDouble();
    s.connections = connections.value("current"_L1).toInteger();
    s.peakConnections = connections.value("peak"_L1).toInteger();
    s.totalConnections = connections.value("total"_L1).toInteger();
    s.subscriptions = body.value("subscriptions"_L1).toInteger();

    const QJsonObject messages = body.value("messages"_L1).toObject();
    s.publishedPerSec = messages.value("published_per_sec"_L1).toDouble();
    s.deliveredPerSec = messages.value("delivered_per_sec"_L1).toDouble();
    s.errorsPerSec = body.value("errors_per_sec"_L1).toDouble();

    s.byNetwork = countsOf(connections.value("by_network"_L1));
    s.byRole = countsOf(connections.value("by_role"_L1));
    s.byUser = countsOf(connections.value("by_user"_L1));
    const QJsonObject duration = connections.value("duration"_L1).toObject();
    s.openDurations = histogramOf(duration.value("open"_L1));
    s.closedDurations = histogramOf(duration.value("closed"_L1));

    // The tiles and charts show what is happening now: the windows. A server
    // that sends only "recent" (10 s) still fills the first one.
    const QJsonObject latency = body.value("latency"_L1).toObject();
    const QJsonObject windows = latency.value("windows"_L1).toObject();
    for (int w = 0; w < WindowCount; ++w)
        s.latency[w] = latencyOf(windows.value(windowName(Window(w))));
    if (!s.latency[TenSeconds])
        s.latency[TenSeconds] = latencyOf(latency.value("recent"_L1));
    s.lifetimeP99Ms = latency.value("p99_ms"_L1).toDouble();
    s.lifetimeLatencyCount = latency.value("count"_L1).toInteger();

    const QJsonObject bandwidth = body.value("bandwidth"_L1).toObject();
    s.bytesInPerSec = optionalNumber(bandwidth, "bytes_in_per_sec"_L1);
    s.bytesOutPerSec = optionalNumber(bandwidth, "bytes_out_per_sec"_L1);
    const QJsonObject queues = body.value("queues"_L1).toObject();
    if (const auto queued = optionalNumber(queues, "queued_frames"_L1))
        s.queuedFrames = qint64(*queued);
    if (const auto pending = optionalNumber(queues, "pending_messages"_L1))
        s.pendingMessages = qint64(*pending);

    // "process" is optional: older servers do not report their own CPU/RSS.
    const QJsonObject process = body.value("process"_L1).toObject();
    s.cpuPercent = optionalNumber(process, "cpu_percent"_L1);
    if (const auto rss = optionalNumber(process, "rss_bytes"_L1))
        s.rssBytes = qint64(*rss);

    const QJsonObject channels = body.value("channels"_L1).toObject();
    for (auto it = channels.constBegin(); it != channels.constEnd(); ++it) {
        const QJsonObject c = it.value().toObject();
        ChannelCounters counters;
        counters.published = c.value("published"_L1).toInteger();
        counters.delivered = c.value("delivered"_L1).toInteger();
        counters.subscriptions = c.value("subscriptions"_L1).toInteger();
        counters.seq = c.value("seq"_L1).toInteger();
        counters.pending = c.value("pending"_L1).toInteger();
        const QJsonObject channelLatency = c.value("latency"_L1).toObject();
        for (int w = 0; w < WindowCount; ++w)
            counters.latency[w] = latencyOf(channelLatency.value(windowName(Window(w))));
        s.channels.insert(it.key(), counters);
    }
    return s;
}

} // namespace QuantPush
