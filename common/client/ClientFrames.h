#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

namespace QuantPush {

// The frames PushClient sends, built in one place from the wire names of
// WireNames.h (PROTOCOL.md has their shapes), and the request id a reply
// echoes. Pure functions: no state, no socket.
class ClientFrames
{
public:
    // {"type", "id", "data"}; no "data" when it is null or undefined.
    static QJsonObject request(const QString &type, const QString &id, const QJsonValue &data);
    static QJsonObject ping(const QString &id);
    static QJsonObject ack(const QString &channel, qint64 seq);

    // The "data" of requests. auth: the token when there is one, else the API key.
    static QJsonObject authData(const QString &token, const QString &apiKey);
    // `since` < 0: no "since" (nothing seen yet on the channel).
    static QJsonObject subscribeData(const QString &channel, const QJsonObject &filters, qint64 since);
    static QJsonObject unsubscribeData(const QString &channel);
    // `priority` < 0, an empty strategy or empty filters: the server's defaults.
    static QJsonObject publishData(const QString &channel, const QJsonObject &payload, int priority,
                                   const QString &strategy, const QJsonObject &filters, bool dryRun);

    // Request ids are "string or integer" on the wire; we only send strings
    // but accept both. Empty when the frame has none.
    static QString idOf(const QJsonObject &frame);
};

} // namespace QuantPush
