#pragma once

#include "Delivery.h"
#include "protocol/Message.h"
#include "protocol/Requests.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

namespace QuantPush {

class AuthFlow;
class Clock;
class Permissions;
class Session;

// Turns a session's inbound frames into requests: decoding (depth limit),
// the inbound rate limit (rate_limited, then 4029; the ack of a message the
// session awaits is free), the auth gate, then the type → handler table.
// Handlers parse the typed request, check Permissions and emit one signal
// per request kind with the session's id; `auth` goes to the AuthFlow.
// Works on the session its host hands it for the length of a call and keeps
// no pointer to it.
class RequestRouter : public QObject
{
    Q_OBJECT
public:
    RequestRouter(const ServerConfig &config, const Permissions *permissions, AuthFlow *authFlow, Clock *clock,
                  QObject *parent = nullptr);

    void routeText(Session &session, const QString &text);
    void routeBinary(Session &session, qint64 bytes);
    // A WebSocket ping frame: counted against the inbound rate limit like a
    // request (a ping flood was answered without limit before), then answered.
    void routePing(Session &session, const QByteArray &payload);
    // A WebSocket pong: activity, and a frame against the inbound limit.
    void routePong(Session &session);

Q_SIGNALS:
    void subscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                            const QuantPush::SubscribeRequest &request, const QuantPush::Filter &authorisationFilter);
    void unsubscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                              const QuantPush::UnsubscribeRequest &request);
    void publishRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                          const QuantPush::PublishRequest &request);
    void adminRequested(QuantPush::SessionId session, const QJsonValue &requestId, QuantPush::MessageType type,
                        const QJsonValue &data);

private:
    using Handler = void (RequestRouter::*)(Session &, const Message &);

    bool rateLimit(Session &session, const QJsonValue &requestId);
    static bool isAwaitedAck(const Session &session, const DecodeResult &decoded);

    void handleAuth(Session &session, const Message &message);
    void handlePing(Session &session, const Message &message);
    void handleSubscribe(Session &session, const Message &message);
    void handleUnsubscribe(Session &session, const Message &message);
    void handleAck(Session &session, const Message &message);
    void handlePublish(Session &session, const Message &message);
    void handleAdmin(Session &session, const Message &message);

    const ServerConfig &m_config;
    const Permissions *m_permissions;
    AuthFlow *m_authFlow;
    Clock *m_clock;
    QHash<MessageType, Handler> m_handlers;
};

} // namespace QuantPush
