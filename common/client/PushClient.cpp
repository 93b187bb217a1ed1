#include "client/PushClient.h"

#include "client/CloseReason.h"
#include "client/FrameInflater.h"
#include "client/ReconnectScheduler.h"
#include "client/WireNames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcClient, "quantpush.client")

using namespace Qt::StringLiterals;

namespace QuantPush {

using namespace ClientWire;

namespace {

constexpr int CloseUnauthorized = 4001;
constexpr int CloseForbidden = 4003;
constexpr int DefaultHandshakeTimeoutMs = 10000;
constexpr int CloseGraceMs = 2000; // wait for the server's close frame, then abort

// Request ids are "string or integer" on the wire; we only send strings but
// accept both.
QString idOf(const QJsonObject &frame)
{
    const QJsonValue id = frame.value(Key::Id);
    if (id.isString())
        return id.toString();
    if (id.isDouble())
        return QString::number(id.toInteger());
    return {};
}

bool isTransientError(const QString &code)
{
    return code == "rate_limited"_L1 || code == "internal"_L1;
}

QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

QStringList sortedList(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list;
}

} // namespace

PushClient::PushClient(QObject *parent)
    : QObject(parent)
    , m_ackedChannels{u"order_updates"_s, u"position_updates"_s, u"risk_alerts"_s}
    , m_reconnect(new ReconnectScheduler(this))
    , m_handshakeTimer(new QTimer(this))
    , m_pingTimer(new QTimer(this))
{
    m_handshakeTimer->setSingleShot(true);
    m_handshakeTimer->setInterval(DefaultHandshakeTimeoutMs);
    connect(m_reconnect, &ReconnectScheduler::due, this, &PushClient::openSocket);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] { dropConnection("handshake timed out"); });
    connect(m_pingTimer, &QTimer::timeout, this, &PushClient::onPingTimer);
}

PushClient::~PushClient()
{
    // Sockets are children; just make sure no signal reaches a half-destroyed object.
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

// ---------------------------------------------------------------- settings

void PushClient::setUrl(const QUrl &url) { m_reconnect->setUrl(url); }
void PushClient::setUrls(const QList<QUrl> &urls) { m_reconnect->setUrls(urls); }
QUrl PushClient::url() const { return m_reconnect->url(); }
void PushClient::setCompression(bool deflate) { m_compressionRequested = deflate; }
bool PushClient::compressionRequested() const { return m_compressionRequested; }
bool PushClient::compressed() const { return m_compressed; }

void PushClient::setToken(const QString &jwt)
{
    m_token = jwt;
    m_subscriptions.setToken(jwt);
}

void PushClient::setApiKey(const QString &key) { m_apiKey = key; }
void PushClient::setReconnectPolicy(const ReconnectPolicy &policy)
{
    m_reconnect->setPolicy(policy);
    m_reconnect->setFollowServerAdvice(false);
}
PushClient::ReconnectPolicy PushClient::reconnectPolicy() const { return m_reconnect->policy(); }
void PushClient::setFollowServerReconnectAdvice(bool follow) { m_reconnect->setFollowServerAdvice(follow); }
bool PushClient::followsServerReconnectAdvice() const { return m_reconnect->followsServerAdvice(); }
void PushClient::setIgnoreSslErrors(bool ignore) { m_ignoreSslErrors = ignore; }
void PushClient::setHandshakeTimeout(int ms) { m_handshakeTimer->setInterval(std::max(1, ms)); }
void PushClient::setAutoAck(bool on) { m_autoAck = on; }
bool PushClient::autoAck() const { return m_autoAck; }
void PushClient::setAckedChannels(const QStringList &channels) { m_ackedChannels = toSet(channels); }
QStringList PushClient::ackedChannels() const { return sortedList(m_ackedChannels); }
void PushClient::setGapExemptChannels(const QStringList &channels) { m_subscriptions.setGapExemptChannels(channels); }
QStringList PushClient::gapExemptChannels() const { return m_subscriptions.gapExemptChannels(); }
void PushClient::setPongTimeout(int ms) { m_pongTimeoutMs = std::max(0, ms); }
int PushClient::pingInterval() const { return m_pingIntervalMs; }

void PushClient::setPingInterval(int ms)
{
    m_pingIntervalMs = std::max(0, ms);
    m_pingTimer->setInterval(m_pingIntervalMs);
    if (m_pingIntervalMs == 0)
        m_pingTimer->stop();
    else if (m_state == State::Connected)
        m_pingTimer->start();
}

PushClient::State PushClient::state() const { return m_state; }
QString PushClient::sessionId() const { return m_sessionId; }
QString PushClient::user() const { return m_user; }
QString PushClient::role() const { return m_role; }

// ---------------------------------------------------------------- lifecycle

void PushClient::open()
{
    if (m_socket || m_state == State::Reconnecting) {
        // A reconnect is only waiting: connect now instead of later.
        if (!m_socket && m_reconnect->isWaiting()) {
            m_reconnect->cancel();
            openSocket();
        }
        return;
    }
    if (!url().isValid()) {
        qCWarning(lcClient) << "open(): invalid URL" << url();
        setState(State::Failed);
        return;
    }
    m_reconnect->resetAttempts();
    setState(State::Connecting);
    openSocket();
}

void PushClient::close()
{
    m_reconnect->cancel();
    m_reconnect->resetAttempts();
    QWebSocket *socket = m_socket;
    const bool wasOpen = m_socketConnected;
    if (socket) {
        releaseSocket(socket);
        closeGracefully(socket);
    }
    setState(State::Disconnected);
    if (wasOpen)
        emit disconnected(QWebSocketProtocol::CloseCodeNormal, u"closed by client"_s);
}

void PushClient::openSocket()
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_socketConnected = false;
    m_welcomed = false;
    m_authRejected = false;

    // Lambdas capture the socket so a late signal from an old socket is recognised.
    connect(socket, &QWebSocket::connected, this, [this, socket] { onSocketConnected(socket); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onConnectionLost(socket); });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            onTextMessage(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &bytes) {
        if (socket == m_socket)
            onBinaryMessage(bytes);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(socket, &QWebSocket::errorOccurred, this, [this, socket] { onSocketError(socket); });
#else
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket] { onSocketError(socket); });
#endif
#ifndef QT_NO_SSL
    connect(socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            qCWarning(lcClient) << "TLS:" << error.errorString()
                                << (m_ignoreSslErrors ? "(ignored)" : "");
    });
    if (m_ignoreSslErrors)
        socket->ignoreSslErrors();
#endif

    qCDebug(lcClient) << "connecting to" << url() << "attempt" << m_reconnect->attempt();
    m_handshakeTimer->start();
    m_compressed = false;
    QUrl target = url();
    if (m_compressionRequested) {
        QUrlQuery query(target);
        query.removeAllQueryItems(u"compression"_s);
        query.addQueryItem(u"compression"_s, u"deflate"_s);
        target.setQuery(query);
        if (!m_inflater)
            m_inflater = std::make_unique<FrameInflater>();
    }
    socket->open(target);
}

void PushClient::onSocketConnected(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    m_socketConnected = true;
    qCDebug(lcClient) << "socket open, waiting for welcome";
}

void PushClient::onSocketError(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    qCDebug(lcClient) << "socket error:" << socket->errorString();
    // Not every failure is followed by disconnected(); check once the socket
    // has settled, and let onConnectionLost's identity check deduplicate.
    QTimer::singleShot(0, socket, [this, socket] {
        if (socket == m_socket && socket->state() == QAbstractSocket::UnconnectedState)
            onConnectionLost(socket);
    });
}

void PushClient::onConnectionLost(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    const bool wasOpen = m_socketConnected;
    const CloseReason closed = CloseReason::fromQt(socket->closeCode(), socket->closeReason(), m_welcomed);
    const int closeCode = closed.code;
    const QString reason = wasOpen ? closed.text : socket->errorString();
    releaseSocket(socket);
    socket->deleteLater();
    qCInfo(lcClient) << "connection lost:" << closeCode << reason;

    if (isFatalClose(closeCode)) {
        qCWarning(lcClient) << "server refused this client, not reconnecting";
        setState(State::Failed);
    } else {
        scheduleReconnect();
    }
    if (wasOpen)
        emit disconnected(closeCode, reason);
    else
        emit connectionFailed(reason);
}

bool PushClient::isFatalClose(int closeCode) const
{
    // Same credentials would be refused again; retrying only hammers the server.
    return closeCode == CloseUnauthorized || closeCode == CloseForbidden || m_authRejected;
}

// Forget everything tied to one connection; the socket object itself is
// disposed of by the caller.
void PushClient::releaseSocket(QWebSocket *socket)
{
    disconnect(socket, nullptr, this, nullptr);
    if (m_socket == socket)
        m_socket = nullptr;
    m_socketConnected = false;
    m_welcomed = false;
    m_handshakeTimer->stop();
    m_pingTimer->stop();
    m_requests.clear();
    m_subscriptions.connectionLost();
}

void PushClient::closeGracefully(QWebSocket *socket)
{
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(CloseGraceMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (socket->state() == QAbstractSocket::ConnectedState)
        socket->close(QWebSocketProtocol::CloseCodeNormal, u"closed by client"_s);
    else
        socket->abort();
}

void PushClient::dropConnection(const char *why)
{
    if (!m_socket)
        return;
    qCWarning(lcClient) << "dropping connection:" << why;
    QWebSocket *socket = m_socket;
    socket->abort();
    if (m_socket == socket) // abort() did not report the disconnect synchronously
        onConnectionLost(socket);
}

void PushClient::scheduleReconnect()
{
    int delay = 0;
    switch (m_reconnect->schedule(&delay)) {
    case ReconnectScheduler::Outcome::Disabled:
        setState(State::Disconnected);
        return;
    case ReconnectScheduler::Outcome::GaveUp:
        qCWarning(lcClient) << "giving up after" << m_reconnect->policy().maxAttempts << "reconnect attempts";
        setState(State::Failed);
        return;
    case ReconnectScheduler::Outcome::Scheduled:
        break;
    }
    qCInfo(lcClient) << "reconnect attempt" << m_reconnect->attempt() << "in" << delay << "ms";
    setState(State::Reconnecting);
    emit reconnectScheduled(m_reconnect->attempt(), delay);
}

void PushClient::onSessionReady()
{
    m_handshakeTimer->stop();
    m_reconnect->resetAttempts();
    setState(State::Connected);
    resubscribeAll();
    if (m_pingIntervalMs > 0)
        m_pingTimer->start(m_pingIntervalMs);
}

void PushClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool PushClient::hasCredentials() const
{
    return !m_token.isEmpty() || !m_apiKey.isEmpty();
}

// ---------------------------------------------------------------- inbound

const QHash<QString, PushClient::FrameHandler> &PushClient::frameHandlers()
{
    static const QHash<QString, FrameHandler> handlers{
        {FrameType::Welcome, &PushClient::onWelcome},
        {FrameType::AuthOk, &PushClient::onAuthOk},
        {FrameType::Subscribed, &PushClient::onSubscribed},
        {FrameType::Unsubscribed, &PushClient::onUnsubscribed},
        {FrameType::Pong, &PushClient::onPong},
        {FrameType::Error, &PushClient::onError},
        {FrameType::Gap, &PushClient::onGap},
        {FrameType::Batch, &PushClient::onBatch},
    };
    return handlers;
}

void PushClient::onTextMessage(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject()) {
        qCWarning(lcClient) << "ignoring malformed frame:" << error.errorString();
        return;
    }
    dispatch(doc.object());
}

void PushClient::onBinaryMessage(const QByteArray &bytes)
{
    if (!m_compressed || !m_inflater) {
        qCWarning(lcClient) << "ignoring unexpected binary frame of" << bytes.size() << "bytes";
        return;
    }
    const std::optional<QByteArray> text = m_inflater->inflate(bytes);
    if (!text) {
        // A push is lost inside it: reconnecting resumes with "since".
        dropConnection("a compressed frame does not inflate");
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*text, &error);
    if (!doc.isObject()) {
        qCWarning(lcClient) << "ignoring malformed compressed frame:" << error.errorString();
        return;
    }
    dispatch(doc.object());
}

void PushClient::dispatch(const QJsonObject &frame)
{
    const QString type = frame.value(Key::Type).toString();
    const QString id = idOf(frame);
    const Request request = m_requests.take(id);

    if (const FrameHandler handler = frameHandlers().value(type))
        (this->*handler)(frame, request);
    else if (frame.contains(Key::Channel)) // the push types, including custom channels
        handlePush(frame);
    else if (!request.generic)
        qCDebug(lcClient) << "unhandled frame type" << type;

    if (request.generic && type != FrameType::Error)
        emit replyReceived(id, type, frame.value(Key::Data));
}

void PushClient::onWelcome(const QJsonObject &frame, const Request &)
{
    if (m_welcomed)
        return;
    m_welcomed = true;
    const QJsonObject data = frame.value(Key::Data).toObject();
    m_sessionId = data.value(Key::SessionId).toString();
    m_compressed = m_compressionRequested && data.value(Key::Compression).toString() == "deflate"_L1;
    m_reconnect->adoptAdvice(data.value(Key::Reconnection).toObject()); // unless an explicit policy was set
    emit welcomeReceived(data);
    if (!m_socket) // a slot closed us
        return;
    if (hasCredentials()) {
        setState(State::Authenticating);
        sendAuth();
    } else {
        onSessionReady();
    }
}

void PushClient::onAuthOk(const QJsonObject &frame, const Request &)
{
    const QJsonObject data = frame.value(Key::Data).toObject();
    m_user = data.value(Key::User).toString();
    m_role = data.value(Key::Role).toString();
    const QString sessionId = data.value(Key::SessionId).toString();
    if (!sessionId.isEmpty())
        m_sessionId = sessionId;
    onSessionReady();
    emit authenticated(m_user, m_role, m_sessionId);
}

void PushClient::onSubscribed(const QJsonObject &frame, const Request &request)
{
    const QJsonObject data = frame.value(Key::Data).toObject();
    const QString channel = data.value(Key::Type).toString(request.channel);
    SubscriptionSet::Subscription *subscription = m_subscriptions.find(channel);
    if (!subscription) {
        qCDebug(lcClient) << "subscribed to a channel we no longer want:" << channel;
        return;
    }
    const QString subscriptionId = data.value(Key::SubscriptionId).toString();
    subscription->subscriptionId = subscriptionId;
    const QJsonValue seqValue = data.value(Key::Seq);
    const qint64 seq = seqValue.isDouble() ? seqValue.toInteger() : -1;
    const bool recovered = data.value(Key::Recovered).toBool(true);
    applyResumeResult(channel, request, seq, seqValue.isDouble(), recovered);
    emit subscribed(channel, subscriptionId, seq, recovered);
}

// Aligns the channel's seq bookkeeping with what the server says it can
// resume, and tells the application when it must resynchronise.
void PushClient::applyResumeResult(const QString &channel, const Request &request, qint64 seq,
                                   bool hasSeq, bool recovered)
{
    const qint64 since = request.type == FrameType::Subscribe ? request.since : -1;
    switch (m_subscriptions.applyResume(channel, since, seq, hasSeq, recovered)) {
    case SubscriptionSet::Resume::Complete:
        return;
    case SubscriptionSet::Resume::SeqRestarted:
        qCWarning(lcClient) << channel << "seq restarted at the server:" << seq << "<" << since;
        break;
    case SubscriptionSet::Resume::Incomplete:
        break;
    }
    emit recoveryIncomplete(channel, since);
}

void PushClient::onUnsubscribed(const QJsonObject &frame, const Request &request)
{
    qCDebug(lcClient) << "unsubscribed" << request.channel
                      << frame.value(Key::Data).toObject().value(Key::SubscriptionId).toString();
}

void PushClient::onPong(const QJsonObject &frame, const Request &)
{
    if (const std::optional<double> rttMs = m_requests.pongReceived(idOf(frame)))
        emit latencyMeasured(*rttMs);
}

void PushClient::onError(const QJsonObject &frame, const Request &request)
{
    const QJsonObject data = frame.value(Key::Data).toObject();
    const QString code = data.value(Key::Code).toString();
    const QString message = data.value(Key::Message).toString();
    qCWarning(lcClient) << "server error" << code << message << "for" << request.type;
    if (code == "unauthorized"_L1) // the server closes with 4001 next; don't retry
        m_authRejected = true;

    if (request.type == FrameType::Subscribe) {
        // Re-sending it on every reconnect would fail the same way.
        if (!isTransientError(code))
            m_subscriptions.remove(request.channel);
        emit subscriptionFailed(request.channel, code, message);
    }
    emit errorReceived(idOf(frame), code, message);
}

void PushClient::onGap(const QJsonObject &frame, const Request &)
{
    const QString channel = frame.value(Key::Channel).toString();
    const QJsonObject data = frame.value(Key::Data).toObject();
    const qint64 from = data.value(Key::From).toInteger();
    const qint64 to = data.value(Key::To).toInteger();
    qCWarning(lcClient) << "server skipped" << channel << from << "-" << to;
    const qint64 silentlyMissing = m_subscriptions.skip(channel, from, to);
    if (silentlyMissing >= 0)
        emit gapDetected(channel, silentlyMissing, from);
    emit gapReported(channel, from, to);
}

void PushClient::onBatch(const QJsonObject &frame, const Request &)
{
    const QString channel = frame.value(Key::Channel).toString();
    const QJsonArray items = frame.value(Key::Data).toArray();
    const QWebSocket *socket = m_socket;
    for (const QJsonValue &item : items) {
        if (m_socket != socket) // a slot closed the connection mid-batch
            return;
        QJsonObject message = item.toObject();
        if (!message.contains(Key::Channel))
            message.insert(Key::Channel, channel);
        handlePush(message);
    }
}

void PushClient::handlePush(const QJsonObject &frame)
{
    const QString channel = frame.value(Key::Channel).toString();
    if (!m_subscriptions.contains(channel)) {
        qCDebug(lcClient) << "dropping message for unsubscribed channel" << channel;
        return;
    }
    const QJsonValue seqValue = frame.value(Key::Seq);
    const bool hasSeq = seqValue.isDouble() && seqValue.toInteger() >= 0;
    const qint64 seq = hasSeq ? seqValue.toInteger() : -1;
    if (hasSeq) {
        const SubscriptionSet::Push push = m_subscriptions.accept(channel, seq);
        if (push.duplicate) {
            emit duplicateDropped(channel, seq);
            maybeAutoAck(channel, seq); // our earlier ack may have been lost
            return;
        }
        if (push.gapExpected >= 0)
            emit gapDetected(channel, push.gapExpected, seq);
    }
    emit messageReceived(channel, frame.value(Key::Type).toString(), seq,
                         frame.value(Key::Ts).toInteger(), frame.value(Key::Data).toObject(),
                         frame.value(Key::Redelivered).toBool());
    if (hasSeq)
        maybeAutoAck(channel, seq);
}

// ---------------------------------------------------------------- outbound

bool PushClient::sendFrame(const QJsonObject &frame)
{
    if (!m_socket || !m_socketConnected)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    return true;
}

QString PushClient::sendTracked(const QString &type, const QJsonValue &data, const Request &request)
{
    const QString id = m_requests.nextId();
    QJsonObject frame;
    frame.insert(Key::Type, type);
    frame.insert(Key::Id, id);
    if (!data.isNull() && !data.isUndefined())
        frame.insert(Key::Data, data);
    if (!sendFrame(frame))
        return {};
    m_requests.track(id, request);
    return id;
}

void PushClient::sendAuth()
{
    QJsonObject data;
    if (!m_token.isEmpty())
        data.insert(Key::Token, m_token);
    else
        data.insert(Key::ApiKey, m_apiKey);
    sendTracked(FrameType::Auth, data, Request{FrameType::Auth});
}

void PushClient::sendSubscribe(const QString &channel)
{
    SubscriptionSet::Subscription *subscription = m_subscriptions.find(channel);
    if (!subscription)
        return;
    QJsonObject data;
    data.insert(Key::Type, channel);
    if (!subscription->filters.isEmpty())
        data.insert(Key::Filters, subscription->filters);
    const qint64 since = lastSeq(channel);
    if (since >= 0)
        data.insert(Key::Since, since);
    const QString requestId = sendTracked(FrameType::Subscribe, data, Request{FrameType::Subscribe, channel, since});
    if (SubscriptionSet::Subscription *sent = m_subscriptions.find(channel))
        sent->requestId = requestId;
}

void PushClient::resubscribeAll()
{
    const QStringList channels = m_subscriptions.unsent();
    for (const QString &channel : channels) {
        const SubscriptionSet::Subscription *subscription = m_subscriptions.find(channel);
        if (subscription && subscription->requestId.isEmpty())
            sendSubscribe(channel);
    }
}

void PushClient::subscribe(const QString &channel, const QJsonObject &filters)
{
    const SubscriptionSet::Subscription *existing = m_subscriptions.find(channel);
    if (existing && existing->filters == filters)
        return;
    const bool replacing = existing && !existing->requestId.isEmpty();
    if (replacing) {
        QJsonObject data;
        data.insert(Key::Type, channel);
        sendTracked(FrameType::Unsubscribe, data, Request{FrameType::Unsubscribe, channel});
    }
    m_subscriptions.insert(channel, filters);
    if (m_state == State::Connected)
        sendSubscribe(channel);
}

void PushClient::unsubscribe(const QString &channel)
{
    const SubscriptionSet::Subscription *subscription = m_subscriptions.find(channel);
    if (!subscription)
        return;
    const bool sent = !subscription->requestId.isEmpty();
    m_subscriptions.remove(channel);
    if (sent) {
        QJsonObject data;
        data.insert(Key::Type, channel);
        sendTracked(FrameType::Unsubscribe, data, Request{FrameType::Unsubscribe, channel});
    }
}

QStringList PushClient::subscriptions() const { return m_subscriptions.channels(); }
qint64 PushClient::lastSeq(const QString &channel) const { return m_subscriptions.lastSeq(channel); }

QString PushClient::sendRequest(const QString &type, const QJsonValue &data)
{
    if (m_state != State::Connected) {
        qCWarning(lcClient) << "not connected, dropping request" << type;
        return {};
    }
    Request request{type};
    request.generic = true;
    return sendTracked(type, data, request);
}

namespace {

QJsonObject publishData(const QString &channel, const QJsonObject &payload, int priority, const QString &strategy,
                        const QJsonObject &filters)
{
    QJsonObject data;
    data.insert(Key::Type, channel);
    data.insert(Key::Payload, payload);
    if (priority >= 0)
        data.insert(Key::Priority, priority);
    if (!strategy.isEmpty())
        data.insert(Key::Strategy, strategy);
    if (!filters.isEmpty())
        data.insert(Key::Filters, filters);
    return data;
}

} // namespace

QString PushClient::publish(const QString &channel, const QJsonObject &payload, int priority,
                            const QString &strategy, const QJsonObject &filters)
{
    return sendRequest(FrameType::Publish, publishData(channel, payload, priority, strategy, filters));
}

QString PushClient::publishDryRun(const QString &channel, const QJsonObject &payload, int priority,
                                  const QString &strategy, const QJsonObject &filters)
{
    QJsonObject data = publishData(channel, payload, priority, strategy, filters);
    data.insert(Key::DryRun, true);
    return sendRequest(FrameType::Publish, data);
}

void PushClient::ack(const QString &channel, qint64 seq)
{
    QJsonObject data;
    data.insert(Key::Channel, channel);
    data.insert(Key::Seq, seq);
    QJsonObject frame;
    frame.insert(Key::Type, FrameType::Ack);
    frame.insert(Key::Data, data);
    sendFrame(frame);
}

void PushClient::maybeAutoAck(const QString &channel, qint64 seq)
{
    if (m_autoAck && m_ackedChannels.contains(channel))
        ack(channel, seq);
}

void PushClient::ping()
{
    const QString id = m_requests.nextId();
    QJsonObject frame;
    frame.insert(Key::Type, FrameType::Ping);
    frame.insert(Key::Id, id);
    if (sendFrame(frame))
        m_requests.pingSent(id);
}

void PushClient::onPingTimer()
{
    if (m_pongTimeoutMs > 0 && m_requests.pongOverdue(m_pongTimeoutMs)) {
        dropConnection("no pong within the pong timeout");
        return;
    }
    ping();
}

} // namespace QuantPush
