#include "ConnectionManager.h"

#include "Clock.h"
#include "Logging.h"
#include "Metrics.h"
#include "OriginPolicy.h"
#include "Permissions.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr int HeartbeatCheckMs = 500;
constexpr int AckSweepMs = 50;

QString serverName()
{
    return u"QuantPush/"_s + QStringLiteral(QUANTPUSH_VERSION);
}

} // namespace

QString networkOf(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return u"%1/24"_s.arg(QHostAddress(v4 & 0xFFFFFF00u).toString());
    Q_IPV6ADDR v6 = address.toIPv6Address();
    for (int i = 6; i < 16; ++i)
        v6[i] = 0;
    return u"%1/48"_s.arg(QHostAddress(v6).toString());
}

namespace {

// websocket.reconnection as sent in welcome: how clients should retry.
QJsonObject reconnectionAdvice(const ReconnectionConfig &advice)
{
    return QJsonObject {
        {Key::Enabled, advice.enabled},
        {Key::MaxAttempts, advice.maxAttempts},
        {Key::InitialDelayMs, advice.initialDelayMs},
        {Key::MaxDelayMs, advice.maxDelayMs},
        {Key::BackoffMultiplier, advice.backoffMultiplier},
        {Key::JitterEnabled, advice.jitterEnabled},
    };
}

} // namespace

ConnectionManager::ConnectionManager(const ServerConfig &config, Authenticator *authenticator,
                                     const Permissions *permissions, Metrics *metrics, QObject *parent, Clock *clock)
    : QObject(parent)
    , m_config(config)
    , m_authenticator(authenticator)
    , m_permissions(permissions)
    , m_metrics(metrics)
    , m_frontDoor(new FrontDoor({config.http.maxHeaderBytes, config.limits.handshakeTimeoutMs,
                                 config.security.tls.certFile, config.security.tls.keyFile},
                                this))
    , m_webSocketServer(new QWebSocketServer(serverName(), QWebSocketServer::NonSecureMode, this))
    , m_clock(clock ? clock : Clock::system())
    , m_heartbeat(m_clock->createTimer(this))
    , m_ackSweep(m_clock->createTimer(this))
    , m_deflater(config.websocket.compressionMinBytes, metrics)
{
    m_sessionLimits.queueSize = config.websocket.messageQueueSize;
    m_sessionLimits.maxPendingBytes = config.limits.maxPendingBytes;
    m_sessionLimits.preAuthPendingBytes = config.limits.preAuthPendingBytes;
    m_sessionLimits.closeGraceMs = config.limits.closeGraceMs;
    m_sessionLimits.maxMessageSize = config.websocket.maxMessageSize;
    m_sessionLimits.inboundPerSec = config.limits.inboundMessagesPerSec;
    m_sessionLimits.inboundBurst = config.limits.inboundBurst;
    m_sessionLimits.rateLimitStrikes = config.limits.rateLimitStrikes;
    m_sessionLimits.channels = &config.channels;
    m_sessionLimits.clock = m_clock;

    m_webSocketServer->setHandshakeTimeout(config.limits.handshakeTimeoutMs);
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this, &ConnectionManager::onNewWebSocket);
    connect(m_frontDoor, &FrontDoor::webSocketRequested, this, &ConnectionManager::onWebSocketRequested);
    connect(m_frontDoor, &FrontDoor::httpRequested, this, &ConnectionManager::httpRequested);
    connect(m_frontDoor, &FrontDoor::rejected, this, [this](const QString &reason) { m_metrics->connectionRefused(reason); });

    m_heartbeat->setInterval(HeartbeatCheckMs);
    connect(m_heartbeat, &ClockTimer::timeout, this, &ConnectionManager::heartbeat);
    m_ackSweep->setInterval(AckSweepMs);
    connect(m_ackSweep, &ClockTimer::timeout, this, &ConnectionManager::sweepAcks);

    m_handlers = {
        {MessageType::Auth, &ConnectionManager::handleAuth},
        {MessageType::Ping, &ConnectionManager::handlePing},
        {MessageType::Subscribe, &ConnectionManager::handleSubscribe},
        {MessageType::Unsubscribe, &ConnectionManager::handleUnsubscribe},
        {MessageType::Ack, &ConnectionManager::handleAck},
        {MessageType::Publish, &ConnectionManager::handlePublish},
        {MessageType::Stats, &ConnectionManager::handleAdmin},
        {MessageType::Connections, &ConnectionManager::handleAdmin},
        {MessageType::Disconnect, &ConnectionManager::handleAdmin},
    };
}

ConnectionManager::~ConnectionManager() = default;

bool ConnectionManager::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_frontDoor->loadTls(error))
        return false;
    if (!m_frontDoor->listen(address, port)) {
        *error = m_frontDoor->errorString();
        return false;
    }
    m_heartbeat->start();
    m_ackSweep->start();
    return true;
}

quint16 ConnectionManager::port() const
{
    return m_frontDoor->serverPort();
}

void ConnectionManager::stopAccepting()
{
    m_accepting = false;
    m_frontDoor->close();
}

int ConnectionManager::authenticatedCount() const
{
    return int(std::count_if(m_sessions.cbegin(), m_sessions.cend(),
                             [](const Session *s) { return s->isAuthenticated(); }));
}

Session *ConnectionManager::sessionByWireId(const QString &wireId) const
{
    bool ok = false;
    const SessionId id = wireId.toULongLong(&ok);
    return ok ? m_sessions.value(id) : nullptr;
}

bool ConnectionManager::allDrained() const
{
    return std::all_of(m_sessions.cbegin(), m_sessions.cend(), [](const Session *s) { return s->isDrained(); });
}

QJsonObject ConnectionManager::describe(const Session *session) const
{
    const Identity &identity = session->identity();
    return QJsonObject {
        {u"id"_s, session->wireId()},
        {Key::User, identity.user},
        {Key::Role, identity.role},
        {u"authenticated"_s, session->isAuthenticated()},
        {u"status"_s, wireName(session->isClosing() ? ConnectionStatus::Closing
                              : session->isAuthenticated() ? ConnectionStatus::Authenticated
                                                            : ConnectionStatus::Connected)},
        {u"remote_address"_s, session->remoteAddress()},
        {u"connected_at"_s, session->connectedAt().toString(Qt::ISODateWithMs)},
        {u"messages_in"_s, qint64(session->messagesIn())},
        {u"messages_out"_s, qint64(session->messagesOut())},
        {u"queue_depth"_s, session->queuedFrames()},
        {u"buffered_bytes"_s, session->bufferedBytes()},
        {u"pending_acks"_s, session->pendingAckCount()},
        {Key::Compression, session->isCompressed() ? u"deflate"_s : u"none"_s},
    };
}

void ConnectionManager::onWebSocketRequested(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    const qsizetype query = head.target.indexOf('?');
    const QByteArray path = query < 0 ? head.target : head.target.left(query);
    if (path != "/" && path != "/ws") {
        m_metrics->connectionRefused(u"unknown_path"_s);
        socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    // Inbound bytes wait in the kernel (TCP flow control pushes back on the
    // sender) rather than in our memory: Qt's default read buffer is
    // unbounded, and a flood from many sockets would otherwise sit here.
    // Room for the largest allowed frame and its header.
    socket->setReadBufferSize(m_config.websocket.maxMessageSize + 16 * 1024);
    // The WebSocket server completes the upgrade on this (already buffered)
    // head; the session will write shared frames straight to this socket.
    const std::pair key {socket->peerAddress().toString(), socket->peerPort()};
    m_upgrading.insert(key, socket);
    connect(socket, &QObject::destroyed, this, [this, key, socket] {
        if (m_upgrading.value(key) == socket) // compared, never dereferenced
            m_upgrading.remove(key);
    });
    m_webSocketServer->handleConnection(socket);
}

std::optional<std::pair<int, QString>> ConnectionManager::admissionRefusal(const QWebSocket *socket) const
{
    if (!m_accepting)
        return std::pair {int(CloseCode::GoingAway), u"server shutting down"_s};
    if (m_sessions.size() >= m_config.websocket.maxConnections)
        return std::pair {int(CloseCode::TryAgainLater), u"server full"_s};
    if (!OriginPolicy(m_config.security.allowedOrigins).allows(socket->origin()))
        return std::pair {int(CloseCode::PolicyViolation), u"origin not allowed"_s};
    if (m_perAddress.value(socket->peerAddress().toString()) >= m_config.limits.maxConnectionsPerIp)
        return std::pair {int(CloseCode::PolicyViolation), u"too many connections from this address"_s};
    return std::nullopt;
}

void ConnectionManager::onNewWebSocket()
{
    while (QWebSocket *socket = m_webSocketServer->nextPendingConnection()) {
        socket->setMaxAllowedIncomingMessageSize(quint64(m_config.websocket.maxMessageSize));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_config.websocket.maxMessageSize));
        if (const auto refusal = admissionRefusal(socket)) {
            qCInfo(lcAccess).noquote() << "refused" << socket->peerAddress().toString() << "close" << refusal->first
                                       << refusal->second;
            m_metrics->connectionRefused(refusal->second);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCode(refusal->first), refusal->second);
            QTimer::singleShot(m_config.limits.closeGraceMs, socket, &QWebSocket::abort);
            continue;
        }
        Session *session = createSession(socket);
        // ?compression=deflate, unless the operator turned it off (welcome then says "none").
        const auto compression = FrameDeflater::negotiate(socket->requestUrl(), m_config.websocket.compressionEnabled);
        if (compression.deflate) {
            session->setDeflater(&m_deflater);
            m_metrics->compressedConnectionOpened();
        }
        sendWelcome(session);
        if (!compression.refusal.isEmpty())
            session->sendError(ErrorCode::BadRequest, compression.refusal);
        if (!m_config.websocket.authRequired)
            session->setIdentity(m_authenticator->anonymous());
        authenticateFromHandshake(session);
        if (!session->isAuthenticated() && !session->isClosing())
            startAuthTimeout(session);
        if (session->isAuthenticated() && !session->isClosing())
            Q_EMIT sessionAuthenticated(session->id());
    }
}

Session *ConnectionManager::createSession(QWebSocket *socket)
{
    QTcpSocket *transport = m_upgrading.take({socket->peerAddress().toString(), socket->peerPort()});
    auto *session = new Session(m_nextId++, socket, transport, m_sessionLimits, m_metrics, this);
    m_sessions.insert(session->id(), session);
    ++m_perAddress[session->peerAddress().toString()];
    m_metrics->connectionOpened(networkOf(session->peerAddress()));
    connect(session, &Session::textReceived, this, &ConnectionManager::onText);
    connect(session, &Session::binaryReceived, this, &ConnectionManager::onBinary);
    connect(session, &Session::closed, this, &ConnectionManager::onSessionClosed);
    qCInfo(lcAccess).noquote() << "connect" << session->remoteAddress() << "session" << session->id()
                               << "origin" << (socket->origin().isEmpty() ? u"-"_s : socket->origin());
    Q_EMIT sessionOpened(session->id());
    return session;
}

void ConnectionManager::sendWelcome(Session *session)
{
    session->sendMessage(Message(MessageType::Welcome, QJsonObject {
        {Key::SessionId, session->wireId()},
        {Key::Server, serverName()},
        {Key::Protocol, ProtocolVersion},
        {Key::AuthRequired, m_config.websocket.authRequired},
        {Key::HeartbeatInterval, m_config.websocket.pingIntervalSec * 1000},
        {Key::Compression, session->isCompressed() ? u"deflate"_s : u"none"_s},
        {Key::Reconnection, reconnectionAdvice(m_config.websocket.reconnection)},
    }));
}

void ConnectionManager::authenticateFromHandshake(Session *session)
{
    const QNetworkRequest request = session->socket()->request();
    Authenticator::Credentials credentials;
    const QByteArray authorization = request.rawHeader("Authorization");
    credentials.apiKey = QString::fromLatin1(request.rawHeader("X-API-Key"));
    if (authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0) {
        // A JWT has dots; anything else after Bearer is taken as an API key,
        // as on the HTTP API (tools that can only set Authorization).
        const QString bearer = QString::fromLatin1(authorization.mid(7).trimmed());
        if (bearer.contains(u'.'))
            credentials.token = bearer;
        else if (credentials.apiKey.isEmpty())
            credentials.apiKey = bearer;
    }
    if (credentials.token.isEmpty())
        credentials.token = QUrlQuery(session->socket()->requestUrl()).queryItemValue(u"token"_s);
    if (credentials.isEmpty())
        return;
    completeAuth(session, m_authenticator->authenticate(credentials), QJsonValue());
}

void ConnectionManager::startAuthTimeout(Session *session)
{
    QTimer::singleShot(m_config.limits.authTimeoutMs, session, [this, session] {
        if (session->isAuthenticated() || session->isClosing())
            return;
        qCInfo(lcAccess).noquote() << "auth timeout" << session->remoteAddress() << "session" << session->id();
        m_metrics->authFailed(u"timeout"_s);
        session->sendError(ErrorCode::Unauthorized, u"no credentials within %1 ms"_s.arg(m_config.limits.authTimeoutMs));
        session->close(CloseCode::Unauthorized, u"auth timeout"_s);
    });
}

void ConnectionManager::completeAuth(Session *session, const Authenticator::Outcome &outcome, const QJsonValue &requestId)
{
    const bool knownRole = outcome.identity && m_permissions->knowsRole(outcome.identity->role);
    if (!outcome.identity || !knownRole) {
        const QString reason = outcome.identity ? u"unknown role '%1'"_s.arg(outcome.identity->role) : outcome.reason;
        qCWarning(lcAccess).noquote() << "auth failed" << session->remoteAddress() << "session" << session->id()
                                      << "reason:" << reason;
        m_metrics->authFailed(outcome.identity ? u"unknown_role"_s : reason.section(u':', 0, 0));
        session->sendError(ErrorCode::Unauthorized, u"authentication failed"_s, requestId);
        session->close(CloseCode::Unauthorized, u"unauthorized"_s);
        return;
    }
    session->setIdentity(*outcome.identity);
    qCInfo(lcAccess).noquote() << "auth ok" << session->remoteAddress() << "session" << session->id() << "user"
                               << outcome.identity->user << "role" << outcome.identity->role;
    session->sendMessage(Message::reply(MessageType::AuthOk, requestId, QJsonObject {
        {Key::User, outcome.identity->user},
        {Key::Role, outcome.identity->role},
        {Key::SessionId, session->wireId()},
    }));
    // Also after an anonymous start: routing and permissions must read the
    // new identity (role, accounts), not the one it replaced.
    Q_EMIT sessionAuthenticated(session->id());
}

bool ConnectionManager::rateLimit(Session *session, const QJsonValue &requestId)
{
    if (session->admitInbound(m_clock->nowMs()))
        return false;
    if (session->rateLimitStrikes() > m_config.limits.rateLimitStrikes) {
        qCWarning(lcAccess).noquote() << "rate limit" << session->remoteAddress() << "session" << session->id()
                                      << "closed after" << session->rateLimitStrikes() << "frames over the limit";
        session->close(CloseCode::RateLimited, u"inbound rate limit exceeded"_s);
    } else {
        session->sendError(ErrorCode::RateLimited,
                           u"more than %1 frames per second; slow down or be disconnected"_s
                               .arg(m_config.limits.inboundMessagesPerSec),
                           requestId);
    }
    return true;
}

void ConnectionManager::onText(SessionId id, const QString &text)
{
    Session *session = m_sessions.value(id);
    if (!session || session->isClosing())
        return;
    session->markActivity(m_clock->nowMs());
    const QByteArray utf8 = text.toUtf8();
    session->countInbound(utf8.size());
    DecodeResult decoded = Message::unserialize(utf8, DecodeLimits {m_config.limits.maxJsonDepth});
    // The ack of a message awaiting one costs no inbound budget: a client may
    // acknowledge every message of a busy acknowledged channel.
    const QJsonValue requestId = std::holds_alternative<Message>(decoded) ? std::get<Message>(decoded).id()
                                                                          : std::get<DecodeFailure>(decoded).id;
    if (!isAwaitedAck(session, decoded) && rateLimit(session, requestId))
        return;
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        session->sendError(failure->error.code, failure->error.message, failure->id);
        return;
    }
    const Message &message = std::get<Message>(decoded);
    const auto handler = m_handlers.constFind(message.type());
    if (handler == m_handlers.constEnd()) {
        session->sendError(ErrorCode::UnknownType, u"\"%1\" is not a request a client can send"_s.arg(wireName(message.type())),
                           message.id());
        return;
    }
    const bool open = message.type() == MessageType::Auth || message.type() == MessageType::Ping;
    if (!session->isAuthenticated() && !open) {
        session->sendError(ErrorCode::Unauthorized, u"authenticate first"_s, message.id());
        return;
    }
    (this->*handler.value())(session, message);
}

bool ConnectionManager::isAwaitedAck(const Session *session, const DecodeResult &decoded)
{
    const Message *message = std::get_if<Message>(&decoded);
    if (!message || message->type() != MessageType::Ack || !session->hasPendingAcks())
        return false;
    const Parsed<AckRequest> ack = parseAckRequest(message->data());
    const auto *request = std::get_if<AckRequest>(&ack);
    return request && session->awaitsAck(request->channel, request->seq);
}

void ConnectionManager::onBinary(SessionId id, qint64 bytes)
{
    Session *session = m_sessions.value(id);
    if (!session || session->isClosing())
        return;
    session->markActivity(m_clock->nowMs());
    session->countInbound(bytes);
    if (rateLimit(session, QJsonValue()))
        return;
    session->sendError(ErrorCode::BadRequest, u"binary frames are not accepted; send JSON text frames"_s);
}

void ConnectionManager::handleAuth(Session *session, const Message &message)
{
    const bool anonymous = session->identity().method == Identity::Method::Anonymous;
    if (session->isAuthenticated() && !anonymous) {
        session->sendError(ErrorCode::BadRequest, u"already authenticated"_s, message.id());
        return;
    }
    const Parsed<AuthRequest> request = parseAuthRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session->sendError(error->code, error->message, message.id());
        return;
    }
    const AuthRequest &auth = std::get<AuthRequest>(request);
    completeAuth(session, m_authenticator->authenticate({auth.token, auth.apiKey}), message.id());
}

void ConnectionManager::handlePing(Session *session, const Message &message)
{
    session->sendMessage(Message::reply(MessageType::Pong, message.id(), QJsonObject {{Key::Ts, nowMicroseconds()}}));
}

void ConnectionManager::handleSubscribe(Session *session, const Message &message)
{
    const Parsed<SubscribeRequest> request =
        parseSubscribeRequest(message.data(), FilterLimits {m_config.limits.maxFilterConditions});
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session->sendError(error->code, error->message, message.id());
        return;
    }
    const SubscribeRequest &subscribe = std::get<SubscribeRequest>(request);
    if (!m_permissions->maySubscribe(session->identity(), subscribe.channel)) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session->remoteAddress() << "user"
                                   << session->identity().user << "role" << session->identity().role << "channel"
                                   << wireName(subscribe.channel) << "reason: channel not allowed";
        session->sendError(ErrorCode::Forbidden, u"role '%1' may not subscribe to %2"_s
                                                     .arg(session->identity().role, wireName(subscribe.channel)),
                           message.id());
        return;
    }
    if (m_permissions->needsAccountsClaim(session->identity(), subscribe.channel)) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session->remoteAddress() << "user"
                                   << session->identity().user << "role" << session->identity().role << "channel"
                                   << wireName(subscribe.channel) << "reason: no accounts claim";
        session->sendError(ErrorCode::Forbidden, u"role '%1' sees %2 only with an accounts claim in its token "
                                                 "or API key (require_accounts)"_s
                                                     .arg(session->identity().role, wireName(subscribe.channel)),
                           message.id());
        return;
    }
    const QStringList foreign =
        m_permissions->foreignAccounts(session->identity(), subscribe.channel, subscribe.filter);
    if (!foreign.isEmpty()) {
        qCInfo(lcAccess).noquote() << "denied subscribe" << session->remoteAddress() << "user"
                                   << session->identity().user << "role" << session->identity().role << "channel"
                                   << wireName(subscribe.channel) << "reason: filter names an account not granted";
        session->sendError(ErrorCode::Forbidden, u"account '%1' is not among this connection's accounts"_s
                                                     .arg(foreign.first().left(64)),
                           message.id());
        return;
    }
    Q_EMIT subscribeRequested(session->id(), message.id(), subscribe,
                              m_permissions->authorisationFilter(session->identity(), subscribe.channel));
}

void ConnectionManager::handleUnsubscribe(Session *session, const Message &message)
{
    const Parsed<UnsubscribeRequest> request = parseUnsubscribeRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session->sendError(error->code, error->message, message.id());
        return;
    }
    Q_EMIT unsubscribeRequested(session->id(), message.id(), std::get<UnsubscribeRequest>(request));
}

void ConnectionManager::handleAck(Session *session, const Message &message)
{
    const Parsed<AckRequest> request = parseAckRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session->sendError(error->code, error->message, message.id());
        return;
    }
    const AckRequest &ack = std::get<AckRequest>(request);
    session->acknowledge(ack.channel, ack.seq);
}

void ConnectionManager::handlePublish(Session *session, const Message &message)
{
    if (!m_permissions->mayPublish(session->identity())) {
        qCInfo(lcAccess).noquote() << "denied publish" << session->remoteAddress() << "user" << session->identity().user
                                   << "role" << session->identity().role << "reason: role may not publish";
        session->sendError(ErrorCode::Forbidden, u"role '%1' may not publish"_s.arg(session->identity().role), message.id());
        return;
    }
    const Parsed<PublishRequest> request =
        parsePublishRequest(message.data(), FilterLimits {m_config.limits.maxFilterConditions});
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session->sendError(error->code, error->message, message.id());
        return;
    }
    Q_EMIT publishRequested(session->id(), message.id(), std::get<PublishRequest>(request));
}

void ConnectionManager::handleAdmin(Session *session, const Message &message)
{
    if (!m_permissions->isAdmin(session->identity())) {
        qCInfo(lcAccess).noquote() << "denied" << wireName(message.type()) << session->remoteAddress() << "user"
                                   << session->identity().user << "role" << session->identity().role
                                   << "reason: not admin";
        session->sendError(ErrorCode::Forbidden, u"\"%1\" needs the admin role"_s.arg(wireName(message.type())),
                           message.id());
        return;
    }
    Q_EMIT adminRequested(session->id(), message.id(), message.type(), message.data());
}

void ConnectionManager::onSessionClosed(SessionId id)
{
    Session *session = m_sessions.take(id);
    if (!session)
        return;
    const QString address = session->peerAddress().toString();
    if (--m_perAddress[address] <= 0)
        m_perAddress.remove(address);
    const double seconds = double(session->connectedAt().msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0;
    m_metrics->connectionClosed(networkOf(session->peerAddress()), seconds);
    if (session->isCompressed())
        m_metrics->compressedConnectionClosed();
    qCInfo(lcAccess).noquote() << "disconnect" << session->remoteAddress() << "session" << id << "user"
                               << (session->isAuthenticated() ? session->identity().user : u"-"_s) << "role"
                               << (session->isAuthenticated() ? session->identity().role : u"-"_s) << "code"
                               << session->socket()->closeCode()
                               << "reason" << session->socket()->closeReason();
    Q_EMIT sessionClosed(id);
    session->deleteLater();
}

void ConnectionManager::heartbeat()
{
    const qint64 now = m_clock->nowMs();
    const qint64 timeoutMs = qint64(m_config.websocket.connectionTimeoutSec) * 1000;
    const qint64 pingEveryMs = qint64(m_config.websocket.pingIntervalSec) * 1000;
    const bool pingDue = now - m_lastPingMs >= pingEveryMs;
    if (pingDue)
        m_lastPingMs = now;
    const QDateTime wallClock = QDateTime::currentDateTimeUtc();
    for (Session *session : std::as_const(m_sessions)) {
        if (session->isClosing()) {
            // Closing is not closed: a peer that never answers is cut off here
            // at the latest, so it cannot hold its buffers or a connection slot.
            session->abortIfCloseOverdue(now);
            continue;
        }
        const QDateTime expiry = session->identity().expiresAt;
        if (expiry.isValid() && expiry <= wallClock) {
            // A token is checked when presented; its expiry still ends the session.
            qCInfo(lcAccess).noquote() << "token expired" << session->remoteAddress() << "session" << session->id()
                                       << "user" << session->identity().user << "role" << session->identity().role;
            session->sendError(ErrorCode::Unauthorized, u"token expired"_s);
            session->close(CloseCode::Unauthorized, u"token expired"_s);
        } else if (now - session->lastActivityMs() > timeoutMs) {
            qCInfo(lcConnection) << "session" << session->id() << "silent for" << (now - session->lastActivityMs())
                                 << "ms: closing";
            // A dead peer never answers the close handshake: close() cuts it off.
            session->close(CloseCode::PolicyViolation, u"connection timeout"_s);
        } else if (pingDue) {
            session->socket()->ping();
        }
    }
}

void ConnectionManager::sweepAcks()
{
    const qint64 now = m_clock->nowMs();
    for (Session *session : std::as_const(m_sessions)) {
        if (session->hasPendingAcks())
            session->redeliverDue(now);
    }
}

void ConnectionManager::deliver(const QList<SessionId> &sessions, const OutboundFrame &frame)
{
    for (SessionId id : sessions) {
        if (Session *session = m_sessions.value(id))
            session->sendFrame(frame);
    }
}

void ConnectionManager::sendMessage(SessionId id, const Message &message)
{
    if (Session *session = m_sessions.value(id))
        session->sendMessage(message);
}

void ConnectionManager::sendError(SessionId id, ErrorCode code, const QString &text, const QJsonValue &requestId)
{
    if (Session *session = m_sessions.value(id))
        session->sendError(code, text, requestId);
}

bool ConnectionManager::disconnectSession(SessionId id, int code, const QString &reason)
{
    Session *session = m_sessions.value(id);
    if (!session)
        return false;
    qCInfo(lcAccess).noquote() << "disconnecting session" << id << "code" << code << "reason" << reason;
    session->close(code, reason);
    return true;
}

void ConnectionManager::closeAll(int code, const QString &reason)
{
    for (Session *session : std::as_const(m_sessions))
        disconnectSession(session->id(), code, reason);
}

} // namespace QuantPush
