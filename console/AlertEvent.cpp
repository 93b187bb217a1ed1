#include "AlertEvent.h"

#include "WireNames.h"

using namespace Qt::StringLiterals;

namespace QuantPush {

std::optional<AlertEvent> AlertEvent::fromMessage(const QJsonObject &data, qint64 seq, const QDateTime &receivedAt)
{
    if (data.value(Wire::Key::Kind).toString() != Wire::Key::Alert)
        return std::nullopt;
    const QJsonObject alert = data.value(Wire::Key::Alert).toObject();
    AlertEvent event;
    event.receivedAt = receivedAt;
    event.rule = alert.value("rule"_L1).toString();
    event.state = alert.value("state"_L1).toString();
    event.phase = phaseOf(event.state);
    event.value = alert.value("value"_L1);
    event.threshold = alert.value("threshold"_L1);
    event.since = alert.value("since"_L1);
    event.seq = seq;
    if (event.rule.isEmpty() && event.state.isEmpty())
        return std::nullopt;
    return event;
}

AlertEvent::Phase AlertEvent::phaseOf(const QString &state)
{
    // The alerting engineer may pick any of the usual words; read them all.
    static const QStringList firing {u"firing"_s, u"fire"_s, u"fired"_s, u"active"_s, u"raised"_s, u"triggered"_s};
    static const QStringList cleared {u"cleared"_s, u"clear"_s, u"resolved"_s, u"ok"_s, u"inactive"_s, u"recovered"_s};
    const QString lower = state.toLower();
    if (firing.contains(lower))
        return Phase::Firing;
    if (cleared.contains(lower))
        return Phase::Cleared;
    return Phase::Other;
}

QDateTime AlertEvent::sinceTime(const QJsonValue &since)
{
    if (since.isString())
        return QDateTime::fromString(since.toString(), Qt::ISODateWithMs);
    if (since.isDouble()) {
        const double n = since.toDouble();
        // Heuristic on magnitude: seconds until year 33658, then milliseconds,
        // then microseconds (the protocol's own "ts" unit).
        if (n > 1e15)
            return QDateTime::fromMSecsSinceEpoch(qint64(n / 1000));
        if (n > 1e12)
            return QDateTime::fromMSecsSinceEpoch(qint64(n));
        if (n > 1e8)
            return QDateTime::fromSecsSinceEpoch(qint64(n));
    }
    return {};
}

} // namespace QuantPush
