#include "StatsSnapshot.h"

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

} // namespace

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

    const QJsonObject latency = body.value("latency"_L1).toObject();
    s.latencyP50Ms = latency.value("p50_ms"_L1).toDouble();
    s.latencyP99Ms = latency.value("p99_ms"_L1).toDouble();
    s.latencyCount = latency.value("count"_L1).toInteger();

    // "process" is optional: older servers do not report their own CPU/RSS.
    const QJsonObject process = body.value("process"_L1).toObject();
    s.cpuPercent = optionalNumber(process, "cpu_percent"_L1);
    if (const auto rss = optionalNumber(process, "rss_bytes"_L1))
        s.rssBytes = qint64(*rss);

    const QJsonObject channels = body.value("channels"_L1).toObject();
    for (auto it = channels.constBegin(); it != channels.constEnd(); ++it) {
        const QJsonObject c = it.value().toObject();
        s.channels.insert(it.key(), ChannelCounters {c.value("published"_L1).toInteger(),
                                                     c.value("delivered"_L1).toInteger(),
                                                     c.value("subscriptions"_L1).toInteger(),
                                                     c.value("seq"_L1).toInteger()});
    }
    return s;
}

} // namespace QuantPush
