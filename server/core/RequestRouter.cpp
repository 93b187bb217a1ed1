#include "RequestRouter.h"

#include "AuthFlow.h"
#include "Clock.h"
#include "Logging.h"
#include "Permissions.h"
#include "Session.h"
#include "protocol/JsonKeys.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

RequestRouter::RequestRouter(const ServerConfig &config, const Permissions *permissions, AuthFlow *authFlow,
                             Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_permissions(permissions)
    , m_authFlow(authFlow)
    , m_clock(clock)
{
    m_handlers = {
        {MessageType::Auth, &RequestRouter::handleAuth},
        {MessageType::Ping, &RequestRouter::handlePing},
        {MessageType::Subscribe, &RequestRouter::handleSubscribe},
        {MessageType::Unsubscribe, &RequestRouter::handleUnsubscribe},
        {MessageType::Ack, &RequestRouter::handleAck},
        {MessageType::Publish, &RequestRouter::handlePublish},
        {MessageType::Stats, &RequestRouter::handleAdmin},
        {MessageType::Connections, &RequestRouter::handleAdmin},
        {MessageType::Disconnect, &RequestRouter::handleAdmin},
    };
}

bool RequestRouter::rateLimit(Session &session, const QJsonValue &requestId)
{
    if (session.admitInbound(m_clock->nowMs()))
        return false;
    if (session.rateLimitStrikes() > m_config.limits.rateLimitStrikes) {
        qCWarning(lcAccess).noquote() << "rate limit" << session.remoteAddress() << "session" << session.id()
                                      << "closed after" << session.rateLimitStrikes() << "frames over the limit";
        session.close(CloseCode::RateLimited, u"inbound rate limit exceeded"_s);
    } else {
        session.sendError(ErrorCode::RateLimited,
                          u"more than %1 frames per second; slow down or be disconnected"_s
                              .arg(m_config.limits.inboundMessagesPerSec),
                          requestId);
    }
    return true;
}

void RequestRouter::routeText(Session &session, const QString &text)
{
    if (session.isClosing())
        return;
    session.markActivity(m_clock->nowMs());
    const QByteArray utf8 = text.toUtf8();
    session.countInbound(utf8.size());
    DecodeResult decoded = Message::unserialize(utf8, DecodeLimits {m_config.limits.maxJsonDepth});
    // The ack of a message awaiting one costs no inbound budget: a client may
    // acknowledge every message of a busy acknowledged channel.
    const QJsonValue requestId = std::holds_alternative<Message>(decoded) ? std::get<Message>(decoded).id()
                                                                          : std::get<DecodeFailure>(decoded).id;
    if (!isAwaitedAck(session, decoded) && rateLimit(session, requestId))
        return;
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        qCDebug(lcRouter) << "session" << session.id() << "sent an undecodable frame:" << failure->error.message;
        session.sendError(failure->error.code, failure->error.message, failure->id);
        return;
    }
    const Message &message = std::get<Message>(decoded);
    const auto handler = m_handlers.constFind(message.type());
    if (handler == m_handlers.constEnd()) {
        session.sendError(ErrorCode::UnknownType, u"\"%1\" is not a request a client can send"_s.arg(wireName(message.type())),
                          message.id());
        return;
    }
    const bool open = message.type() == MessageType::Auth || message.type() == MessageType::Ping;
    if (!session.isAuthenticated() && !open) {
        session.sendError(ErrorCode::Unauthorized, u"authenticate first"_s, message.id());
        return;
    }
    (this->*handler.value())(session, message);
}

bool RequestRouter::isAwaitedAck(const Session &session, const DecodeResult &decoded)
{
    const Message *message = std::get_if<Message>(&decoded);
    if (!message || message->type() != MessageType::Ack || !session.hasPendingAcks())
        return false;
    const Parsed<AckRequest> ack = parseAckRequest(message->data());
    const auto *request = std::get_if<AckRequest>(&ack);
    return request && session.awaitsAck(request->channel, request->seq);
}

void RequestRouter::routeBinary(Session &session, qint64 bytes)
{
    if (session.isClosing())
        return;
    session.markActivity(m_clock->nowMs());
    session.countInbound(bytes);
    if (rateLimit(session, QJsonValue()))
        return;
    session.sendError(ErrorCode::BadRequest, u"binary frames are not accepted; send JSON text frames"_s);
}

void RequestRouter::routePing(Session &session, const QByteArray &payload)
{
    if (session.isClosing())
        return;
    session.markActivity(m_clock->nowMs());
    session.countInbound(payload.size());
    if (rateLimit(session, QJsonValue()))
        return;
    session.answerPing(payload);
}

void RequestRouter::routePong(Session &session)
{
    // Not a message (frames_received_total counts messages): only the rate.
    if (session.isClosing())
        return;
    session.markActivity(m_clock->nowMs());
    rateLimit(session, QJsonValue());
}

void RequestRouter::handleAuth(Session &session, const Message &message)
{
    m_authFlow->handleAuth(session, message);
}

void RequestRouter::handlePing(Session &session, const Message &message)
{
    session.sendMessage(Message::reply(MessageType::Pong, message.id(), QJsonObject {{Key::Ts, nowMicroseconds()}}));
}

void RequestRouter::handleSubscribe(Session &session, const Message &message)
{
    const Parsed<SubscribeRequest> request =
        parseSubscribeRequest(message.data(), FilterLimits {m_config.limits.maxFilterConditions});
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session.sendError(error->code, error->message, message.id());
        return;
    }
    const SubscribeRequest &subscribe = std::get<SubscribeRequest>(request);
    const Identity &identity = session.identity();
    if (!m_permissions->maySubscribe(identity, subscribe.channel)) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session.remoteAddress() << "user" << identity.user << "role"
                                   << identity.role << "channel" << wireName(subscribe.channel)
                                   << "reason: channel not allowed";
        session.sendError(ErrorCode::Forbidden,
                          u"role '%1' may not subscribe to %2"_s.arg(identity.role, wireName(subscribe.channel)),
                          message.id());
        return;
    }
    if (m_permissions->needsAccountsClaim(identity, subscribe.channel)) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session.remoteAddress() << "user" << identity.user << "role"
                                   << identity.role << "channel" << wireName(subscribe.channel)
                                   << "reason: no accounts claim";
        session.sendError(ErrorCode::Forbidden, u"role '%1' sees %2 only with an accounts claim in its token "
                                                "or API key (require_accounts)"_s
                                                    .arg(identity.role, wireName(subscribe.channel)),
                          message.id());
        return;
    }
    const QStringList foreign = m_permissions->foreignAccounts(identity, subscribe.channel, subscribe.filter);
    if (!foreign.isEmpty()) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session.remoteAddress() << "user" << identity.user << "role"
                                   << identity.role << "channel" << wireName(subscribe.channel)
                                   << "reason: filter names an account not granted";
        session.sendError(ErrorCode::Forbidden,
                          u"account '%1' is not among this connection's accounts"_s.arg(foreign.first().left(64)),
                          message.id());
        return;
    }
    Q_EMIT subscribeRequested(session.id(), message.id(), subscribe,
                              m_permissions->authorisationFilter(identity, subscribe.channel));
}

void RequestRouter::handleUnsubscribe(Session &session, const Message &message)
{
    const Parsed<UnsubscribeRequest> request = parseUnsubscribeRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session.sendError(error->code, error->message, message.id());
        return;
    }
    Q_EMIT unsubscribeRequested(session.id(), message.id(), std::get<UnsubscribeRequest>(request));
}

void RequestRouter::handleAck(Session &session, const Message &message)
{
    const Parsed<AckRequest> request = parseAckRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session.sendError(error->code, error->message, message.id());
        return;
    }
    const AckRequest &ack = std::get<AckRequest>(request);
    session.acknowledge(ack.channel, ack.seq);
}

void RequestRouter::handlePublish(Session &session, const Message &message)
{
    if (!m_permissions->mayPublish(session.identity())) {
        qCInfo(lcAccess).noquote() << "denied publish" << session.remoteAddress() << "user" << session.identity().user
                                   << "role" << session.identity().role << "reason: role may not publish";
        session.sendError(ErrorCode::Forbidden, u"role '%1' may not publish"_s.arg(session.identity().role), message.id());
        return;
    }
    const Parsed<PublishRequest> request =
        parsePublishRequest(message.data(), FilterLimits {m_config.limits.maxFilterConditions});
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session.sendError(error->code, error->message, message.id());
        return;
    }
    Q_EMIT publishRequested(session.id(), message.id(), std::get<PublishRequest>(request));
}

void RequestRouter::handleAdmin(Session &session, const Message &message)
{
    if (!m_permissions->isAdmin(session.identity())) {
        qCInfo(lcAccess).noquote() << "denied" << wireName(message.type()) << session.remoteAddress() << "user"
                                   << session.identity().user << "role" << session.identity().role
                                   << "reason: not admin";
        session.sendError(ErrorCode::Forbidden, u"\"%1\" needs the admin role"_s.arg(wireName(message.type())),
                          message.id());
        return;
    }
    Q_EMIT adminRequested(session.id(), message.id(), message.type(), message.data());
}

} // namespace QuantPush
