#include "SessionHost.h"

#include "Admission.h"
#include "AuthFlow.h"
#include "Clock.h"
#include "Logging.h"
#include "RequestRouter.h"
#include "SessionFlusher.h"
#include "WelcomeFrame.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include "ws/FdTransport.h"
#include "ws/QtSocketTransport.h"
#include "ws/WsConnection.h"

#include <algorithm>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr int HeartbeatCheckMs = 500;
constexpr int AckSweepMs = 50;

// How long after it connects a session gets its first ping: somewhere in
// the first interval, by its id, so that sessions that connected together
// are pinged spread over the interval (and so ever after), not all in one
// heartbeat: 20,000 pings written in one turn hold every delivery of that
// turn back by tens of milliseconds, every interval.
qint64 firstPingDelayMs(SessionId id, qint64 intervalMs)
{
    if (intervalMs <= 0)
        return 0;
    // Fibonacci hashing: consecutive ids land far apart in the interval.
    const quint64 spread = (quint64(id) * 11400714819323198485ull) >> 32;
    return 1 + qint64(spread % quint64(intervalMs));
}

} // namespace

SessionHost::SessionHost(const ServerConfig &config, Admission *admission, const Authenticator *authenticator,
                         const Permissions *permissions, Metrics *metrics, Clock *clock, QObject *parent,
                         SessionId firstId, SessionId idStride)
    : QObject(parent)
    , m_config(config)
    , m_admission(admission)
    , m_metrics(metrics)
    , m_clock(clock ? clock : Clock::system())
    , m_authFlow(new AuthFlow(config, authenticator, permissions, metrics, this))
    , m_router(new RequestRouter(config, permissions, m_authFlow, m_clock, this))
    , m_heartbeat(m_clock->createTimer(this))
    , m_ackSweep(m_clock->createTimer(this))
    , m_deflater(config.websocket.compressionMinBytes, metrics)
    , m_welcome(config.websocket)
    , m_serverName(WelcomeFrame::serverName().toUtf8())
    , m_nextId(firstId)
    , m_idStride(idStride)
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

    connect(m_authFlow, &AuthFlow::authenticated, this, &SessionHost::onAuthenticated);
    connect(m_router, &RequestRouter::subscribeRequested, this, &SessionHost::subscribeRequested);
    connect(m_router, &RequestRouter::unsubscribeRequested, this, &SessionHost::unsubscribeRequested);
    connect(m_router, &RequestRouter::publishRequested, this, &SessionHost::publishRequested);
    connect(m_router, &RequestRouter::adminRequested, this, &SessionHost::adminRequested);

    m_heartbeat->setInterval(HeartbeatCheckMs);
    connect(m_heartbeat, &ClockTimer::timeout, this, &SessionHost::heartbeat);
    m_ackSweep->setInterval(AckSweepMs);
    connect(m_ackSweep, &ClockTimer::timeout, this, &SessionHost::sweepAcks);
}

SessionHost::~SessionHost()
{
    // The sessions (children) outlive this body: none may call back into it.
    for (Session *session : findChildren<Session *>(Qt::FindDirectChildrenOnly))
        session->setReceiver(nullptr);
}

void SessionHost::start()
{
    // On the host's own thread: each thread's flusher paces its own pushes.
    SessionFlusher::forCurrentThread()->setPacingIntervalMs(m_config.websocket.flushPacingMs);
    m_heartbeat->start();
    m_ackSweep->start();
}

int SessionHost::authenticatedCount() const
{
    return int(std::count_if(m_sessions.cbegin(), m_sessions.cend(),
                             [](const Session *s) { return s->isAuthenticated(); }));
}

std::optional<SessionId> SessionHost::find(const QString &wireId) const
{
    bool ok = false;
    const SessionId id = wireId.toULongLong(&ok);
    if (!ok || !m_sessions.contains(id))
        return std::nullopt;
    return id;
}

std::optional<QJsonObject> SessionHost::attributes(SessionId id) const
{
    const Session *session = m_sessions.value(id);
    if (!session)
        return std::nullopt;
    return session->attributes();
}

bool SessionHost::allDrained() const
{
    return std::all_of(m_sessions.cbegin(), m_sessions.cend(), [](const Session *s) { return s->isDrained(); });
}

qint64 SessionHost::queuedFrames() const
{
    qint64 queued = 0;
    for (const Session *session : m_sessions)
        queued += session->queuedFrames();
    return queued;
}

void SessionHost::addGauges(Metrics::Gauges &gauges, const QDateTime &now) const
{
    gauges.connections += count();
    gauges.authenticated += authenticatedCount();
    // Called on the host's own thread: its flusher is this thread's.
    if (SessionFlusher::forCurrentThread()->pacer().engaged())
        ++gauges.pacingThreads;
    for (const Session *session : m_sessions) {
        gauges.queuedFrames += session->queuedFrames();
        gauges.bufferedBytes += session->bufferedBytes();
        gauges.openAgesSec.append(double(session->connectedAt().msecsTo(now)) / 1000.0);
        const bool known = session->isAuthenticated();
        ++gauges.byRole[known ? session->identity().role : u"-"_s];
        ++gauges.byUser[known ? session->identity().user : u"-"_s];
    }
}

QList<SessionHost::Description> SessionHost::describeAll() const
{
    QList<Description> list;
    list.reserve(m_sessions.size());
    for (const Session *session : m_sessions)
        list.append({session->id(), describe(*session)});
    return list;
}

QJsonObject SessionHost::describe(const Session &session)
{
    const Identity &identity = session.identity();
    return QJsonObject {
        {u"id"_s, session.wireId()},
        {Key::User, identity.user},
        {Key::Role, identity.role},
        {u"authenticated"_s, session.isAuthenticated()},
        {u"status"_s, wireName(session.isClosing() ? ConnectionStatus::Closing
                              : session.isAuthenticated() ? ConnectionStatus::Authenticated
                                                          : ConnectionStatus::Connected)},
        {u"remote_address"_s, session.remoteAddress()},
        {u"connected_at"_s, session.connectedAt().toString(Qt::ISODateWithMs)},
        {u"messages_in"_s, qint64(session.messagesIn())},
        {u"messages_out"_s, qint64(session.messagesOut())},
        {u"queue_depth"_s, session.queuedFrames()},
        {u"buffered_bytes"_s, session.bufferedBytes()},
        {u"pending_acks"_s, session.pendingAckCount()},
        {Key::Compression, session.isCompressed() ? u"deflate"_s : u"none"_s},
    };
}

int SessionHost::recheckCredentials()
{
    int closed = 0;
    // A copy: closing may end a session before the loop is over.
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions) {
        if (m_authFlow->recheck(*session))
            ++closed;
    }
    return closed;
}

void SessionHost::upgrade(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    // Inbound bytes wait in the kernel (TCP flow control pushes back on the
    // sender) rather than in our memory: Qt's default read buffer is
    // unbounded, and a flood from many sockets would otherwise sit here.
    // Room for the largest allowed frame and its header.
    upgradeTransport(new QtSocketTransport(socket, m_config.websocket.maxMessageSize + 16 * 1024), head);
}

void SessionHost::upgradeTransport(Transport *transport, const FrontDoor::RequestHead &head)
{
    const qsizetype query = head.target.indexOf('?');
    const QByteArray path = query < 0 ? head.target : head.target.left(query);
    if (path != "/" && path != "/ws") {
        m_metrics->connectionRefused(u"unknown_path"_s);
        transport->setParent(this); // goes with the host at the latest
        connect(transport, &Transport::disconnected, transport, &QObject::deleteLater);
        transport->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        transport->disconnectFromHost();
        return;
    }
    // The handshake is answered from the head the front door parsed; the
    // session will write shared frames straight to this transport.
    // Not a child of the host until it needs one: QObject::setParent scans
    // the old parent's children, and the host has one per session, so each
    // reparenting on the way to the session (transport to connection,
    // connection to session) would cost O(sessions) per connect. The
    // connection takes the transport now; the session takes the connection,
    // or the host does below if no session will.
    auto *connection = new WsConnection(transport, head.target, head.headers, head.size, nullptr);
    QByteArray error;
    if (!connection->accept(head.method, m_serverName, &error)) {
        m_metrics->connectionRefused(u"bad_handshake"_s);
        connection->setParent(this);
        qCInfo(lcAccess).noquote() << "refused" << connection->peerAddress().toString() << "bad handshake:"
                                   << QString::fromUtf8(error);
        if (connection->state() == QAbstractSocket::UnconnectedState)
            connection->deleteLater();
        else
            connect(connection, &WsConnection::disconnected, connection, &QObject::deleteLater);
        return;
    }
    onUpgraded(connection);
}

void SessionHost::upgradeDescriptor(qintptr descriptor, FrontDoor::RequestHead head)
{
    const int fd = int(descriptor);
    // The head was peeked whole: reading it off cannot block or come short,
    // short of the peer resetting meanwhile.
    char scratch[4096];
    for (qsizetype left = head.size; left > 0;) {
        const ssize_t got = ::recv(fd, scratch, std::size_t(std::min<qsizetype>(left, qsizetype(sizeof scratch))), MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            ::close(fd);
            return;
        }
        left -= got;
    }
    head.size = 0; // read off: none of it is left to read
    // Ours, not a QTcpSocket (ws/Transport.h says why); the connection made
    // in upgradeTransport() owns it.
    upgradeTransport(new FdTransport(fd), head);
}

void SessionHost::refuse(WsConnection *socket, int code, const QString &reason)
{
    qCInfo(lcAccess).noquote() << "refused" << socket->peerAddress().toString() << "close" << code << reason;
    m_metrics->connectionRefused(reason);
    socket->setParent(this);
    connect(socket, &WsConnection::disconnected, socket, &QObject::deleteLater);
    socket->forgetRequest();
    // A refused connection waits up to the close grace for the peer's answer
    // to the close, holding its descriptor. Past a few such waits from one
    // address, or in all (Admission::holdRefusal), it closes once the close
    // frame is written: one address refused at 11 k/s filled the descriptor
    // table otherwise (review, session 27).
    const QHostAddress address = socket->peerAddress();
    if (!m_admission->holdRefusal(address)) {
        socket->close(code, reason);
        socket->transport()->disconnectFromHost();
        return;
    }
    connect(socket, &QObject::destroyed, this, [this, address] { m_admission->releaseRefusal(address); });
    socket->start(); // to read the peer's answer to the close
    socket->close(code, reason);
    QTimer::singleShot(m_config.limits.closeGraceMs, socket, &WsConnection::abort);
}

void SessionHost::onUpgraded(WsConnection *socket)
{
    socket->setMaxAllowedIncomingMessageSize(quint64(m_config.websocket.maxMessageSize));
    if (const auto refusal = m_admission->admit(socket->origin(), socket->peerAddress())) {
        refuse(socket, refusal->code, refusal->reason);
        return;
    }
    Session *session = createSession(socket);
    // ?compression=deflate, unless the operator turned it off (welcome then says "none").
    const auto compression = FrameDeflater::negotiate(socket->requestUrl(), m_config.websocket.compressionEnabled);
    if (compression.deflate) {
        session->setDeflater(&m_deflater);
        m_metrics->compressedConnectionOpened();
    }
    sendWelcome(*session);
    if (!compression.refusal.isEmpty())
        session->sendError(ErrorCode::BadRequest, compression.refusal);
    m_authFlow->start(*session);
    // The request was needed for the above only: not kept per connection.
    socket->forgetRequest();
    socket->start();
}

Session *SessionHost::createSession(WsConnection *socket)
{
    const SessionId id = m_nextId;
    m_nextId += m_idStride;
    auto *session = new Session(id, socket, m_sessionLimits, m_metrics, this);
    session->setNextPingMs(m_clock->nowMs() + firstPingDelayMs(id, qint64(m_config.websocket.pingIntervalSec) * 1000));
    m_sessions.insert(session->id(), session);
    m_metrics->connectionOpened(networkOf(session->peerAddress()));
    session->setReceiver(this); // direct calls: see TransportReceiver
    // Pings go through the router (the inbound rate limit) before a pong.
    socket->setPingHandler([this, id](const QByteArray &payload) { onPing(id, payload); });
    qCInfo(lcAccess).noquote() << "connect" << session->remoteAddress() << "session" << session->id()
                               << "origin" << (socket->origin().isEmpty() ? u"-"_s : socket->origin());
    Q_EMIT sessionOpened(session->id());
    return session;
}

void SessionHost::sendWelcome(Session &session)
{
    session.sendSerialized(m_welcome.forSession(session.id(), session.isCompressed()));
}

void SessionHost::onAuthenticated(SessionId id)
{
    if (const Session *session = m_sessions.value(id))
        Q_EMIT sessionAuthenticated(id, session->identity(), session->attributes());
}

void SessionHost::sessionText(SessionId id, const QString &text)
{
    if (Session *session = m_sessions.value(id))
        m_router->routeText(*session, text);
}

void SessionHost::sessionBinary(SessionId id, qint64 bytes)
{
    if (Session *session = m_sessions.value(id))
        m_router->routeBinary(*session, bytes);
}

void SessionHost::sessionPong(SessionId id)
{
    if (Session *session = m_sessions.value(id))
        m_router->routePong(*session);
}

void SessionHost::onPing(SessionId id, const QByteArray &payload)
{
    if (Session *session = m_sessions.value(id))
        m_router->routePing(*session, payload);
}

void SessionHost::sessionEnded(SessionId id)
{
    Session *session = m_sessions.take(id);
    if (!session)
        return;
    m_admission->release(session->peerAddress());
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

void SessionHost::heartbeat()
{
    const qint64 now = m_clock->nowMs();
    const qint64 timeoutMs = qint64(m_config.websocket.connectionTimeoutSec) * 1000;
    const qint64 pingEveryMs = qint64(m_config.websocket.pingIntervalSec) * 1000;
    int pinged = 0;
    const QDateTime wallClock = QDateTime::currentDateTimeUtc();
    // A copy: an abort or close below may end a session (and take it out of
    // m_sessions) before the loop is over; the Session itself lives on until
    // the event loop deletes it.
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions) {
        if (session->isClosing()) {
            // Closing is not closed: a peer that never answers is cut off here
            // at the latest, so it cannot hold its buffers or a connection slot.
            session->abortIfCloseOverdue(now);
            continue;
        }
        if (m_authFlow->expireIfDue(*session, wallClock))
            continue;
        if (now - session->lastActivityMs() > timeoutMs) {
            qCInfo(lcConnection) << "session" << session->id() << "silent for" << (now - session->lastActivityMs())
                                 << "ms: closing";
            // A dead peer never answers the close handshake: close() cuts it off.
            session->close(CloseCode::PolicyViolation, u"connection timeout"_s);
        } else if (now >= session->nextPingMs()) {
            session->socket()->ping();
            session->setNextPingMs(now + pingEveryMs);
            ++pinged;
        }
    }
    qCDebug(lcSessionHost) << "heartbeat over" << m_sessions.size() << "sessions," << pinged << "pinged";
}

void SessionHost::sweepAcks()
{
    const qint64 now = m_clock->nowMs();
    for (auto it = m_ackSessions.begin(); it != m_ackSessions.end();) {
        Session *session = m_sessions.value(*it);
        // A frame still queued has not been tracked yet (acks are tracked
        // when written): such a session stays until its queue is empty too.
        if (!session || (!session->hasPendingAcks() && session->queuedFrames() == 0)) {
            it = m_ackSessions.erase(it);
            continue;
        }
        session->redeliverDue(now);
        ++it;
    }
}

void SessionHost::deliver(const QList<SessionId> &sessions, const OutboundFrame &frame)
{
    const bool needsAck = !frame.needsAck.isEmpty();
    // One clock reading and one latency sample (weighted) per frame and
    // thread, not per recipient.
    Session::FanOut fanOut = Session::startFanOut(m_clock);
    // Perf: at 1,000 recipients the fan-out's cost was mostly cache misses
    // on each Session's first touch. The sessions are looked up first, and
    // each is fetched a few recipients ahead of its turn. (A session that
    // closes during the loop is deleted later, never inside it.)
    std::vector<Session *> recipients; // one allocation per frame, not per recipient
    recipients.reserve(std::size_t(sessions.size()));
    for (SessionId id : sessions) {
        if (Session *session = m_sessions.value(id))
            recipients.push_back(session);
    }
    constexpr std::size_t Ahead = 6;
    const auto prefetch = [](const Session *session) {
        const char *bytes = reinterpret_cast<const char *>(session);
        for (std::size_t offset = 0; offset < sizeof(Session); offset += 64)
            __builtin_prefetch(bytes + offset);
    };
    for (std::size_t i = 0; i < std::min(Ahead, recipients.size()); ++i)
        prefetch(recipients[i]);
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        if (i + Ahead < recipients.size())
            prefetch(recipients[i + Ahead]);
        Session *session = recipients[i];
        session->sendFrame(frame, fanOut);
        if (needsAck)
            m_ackSessions.insert(session->id());
    }
    if (fanOut.written > 0)
        m_metrics->deliveryLatency(frame.channel, double(fanOut.nowUs - frame.publishedAtUs) / 1e6, fanOut.written);
}

void SessionHost::sendMessage(SessionId id, const Message &message)
{
    if (Session *session = m_sessions.value(id))
        session->sendMessage(message);
}

void SessionHost::sendError(SessionId id, ErrorCode code, const QString &text, const QJsonValue &requestId)
{
    if (Session *session = m_sessions.value(id))
        session->sendError(code, text, requestId);
}

bool SessionHost::disconnectSession(SessionId id, int code, const QString &reason)
{
    Session *session = m_sessions.value(id);
    if (!session)
        return false;
    qCInfo(lcAccess).noquote() << "disconnecting session" << id << "code" << code << "reason" << reason;
    session->close(code, reason);
    return true;
}

void SessionHost::closeAll(int code, const QString &reason)
{
    // By id, from a copy: closing one session may end it at once (its peer
    // already gone), which takes it out of m_sessions mid-loop.
    const QList<SessionId> ids = m_sessions.keys();
    for (SessionId id : ids)
        disconnectSession(id, code, reason);
}

} // namespace QuantPush
