#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace QuantPush {

// One fire or clear event of a server alert rule, from a system_monitor
// message with data.kind == "alert": {"alert": {rule, state, value,
// threshold, since}}.
struct AlertEvent
{
    enum class Phase { Firing, Cleared, Other };

    QDateTime receivedAt;
    QString rule;
    QString state;   // as sent; phase is the console's reading of it
    Phase phase = Phase::Other;
    QJsonValue value;
    QJsonValue threshold;
    QJsonValue since;
    qint64 seq = -1;

    static std::optional<AlertEvent> fromMessage(const QJsonObject &data, qint64 seq, const QDateTime &receivedAt);
    static Phase phaseOf(const QString &state);
    // "since" may be an ISO string, epoch seconds or milliseconds.
    static QDateTime sinceTime(const QJsonValue &since);
};

} // namespace QuantPush
