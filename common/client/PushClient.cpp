#include "client/PushClient.h"

#include "client/ClientConnection.h"
#include "client/ClientFrames.h"
#include "client/CloseReason.h"
#include "client/ReconnectScheduler.h"
#include "client/WireNames.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>
#include <QWebSocketProtocol>

#include <algorithm>

Q_LOGGING_CATEGORY(lcClient, "quantpush.client")

using namespace Qt::StringLiterals;

namespace QuantPush {

using namespace ClientWire;

namespace {

constexpr int CloseUnauthorized = 4001;
constexpr int CloseForbidden = 4003;
constexpr int DefaultHandshakeTimeoutMs = 10000;

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
    , m_connection(new ClientConnection(this))
    , m_reconnect(new ReconnectScheduler(this))
    , m_handshakeTimer(new QTimer(this))
    , m_pingTimer(new QTimer(this))
{
    m_handshakeTimer->setSingleShot(true);
    m_handshakeTimer->setInterval(DefaultHandshakeTimeoutMs);
    connect(m_reconnect, &ReconnectScheduler::due, this, &PushClient::openSocket);
    connect(m_connection, &ClientConnection::frameReceived, this, &PushClient::dispatch);
    connect(m_connection, &ClientConnection::lost, this, &PushClient::onConnectionLost);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this] { m_connection->drop("handshake timed out"); });
    connect(m_pingTimer, &QTimer::timeout, this, &PushClient::onPingTimer);
}

PushClient::~PushClient()
{
    // The connection is a child; just make sure no signal reaches a half-destroyed object.
    disconnect(m_connection, nullptr, this, nullptr);
}

// ---------------------------------------------------------------- settings

void PushClient::setUrl(const QUrl &url) { m_reconnect->setUrl(url); }
void PushClient::setUrls(const QList<QUrl> &urls) { m_reconnect->setUrls(urls); }
QUrl PushClient::url() const { return m_reconnect->url(); }
void PushClient::setCompression(bool deflate) { m_connection->setCompressionRequested(deflate); }
bool PushClient::compressionRequested() const { return m_connection->compressionRequested(); }
bool PushClient::compressed() const { return m_connection->compressed(); }

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
void PushClient::setIgnoreSslErrors(bool ignore) { m_connection->setIgnoreSslErrors(ignore); }
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
    if (m_connection->isActive() || m_state == State::Reconnecting) {
        // A reconnect is only waiting: connect now instead of later.
        if (!m_connection->isActive() && m_reconnect->isWaiting()) {
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
    const bool wasOpen = m_connection->isOpen();
    if (m_connection->isActive()) {
        releaseConnectionState();
        m_connection->closeGracefully();
    }
    setState(State::Disconnected);
    if (wasOpen)
        emit disconnected(QWebSocketProtocol::CloseCodeNormal, u"closed by client"_s);
}

void PushClient::openSocket()
{
    m_welcomed = false;
    m_authRejected = false;
    qCDebug(lcClient) << "connecting to" << url() << "attempt" << m_reconnect->attempt();
    m_handshakeTimer->start();
    m_connection->open(url());
}

void PushClient::onConnectionLost(int qtCloseCode, const QString &qtCloseReason, const QString &errorString,
                                  bool wasOpen)
{
    const CloseReason closed = CloseReason::fromQt(qtCloseCode, qtCloseReason, m_welcomed);
    const int closeCode = closed.code;
    const QString reason = wasOpen ? closed.text : errorString;
    releaseConnectionState();
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

// Forget everything tied to one connection; the socket is ClientConnection's.
void PushClient::releaseConnectionState()
{
    m_welcomed = false;
    m_handshakeTimer->stop();
    m_pingTimer->stop();
    m_requests.clear();
    m_subscriptions.connectionLost();
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

void PushClient::dispatch(const QJsonObject &frame)
{
    const QString type = frame.value(Key::Type).toString();
    const QString id = ClientFrames::idOf(frame);
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
    m_connection->setCompressed(m_connection->compressionRequested()
                                && data.value(Key::Compression).toString() == "deflate"_L1);
    m_reconnect->adoptAdvice(data.value(Key::Reconnection).toObject()); // unless an explicit policy was set
    emit welcomeReceived(data);
    if (!m_connection->isActive()) // a slot closed us
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
    if (const std::optional<double> rttMs = m_requests.pongReceived(ClientFrames::idOf(frame)))
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
    emit errorReceived(ClientFrames::idOf(frame), code, message);
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
    const quint64 connection = m_connection->generation();
    for (const QJsonValue &item : items) {
        if (m_connection->generation() != connection) // a slot closed the connection mid-batch
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
    return m_connection->send(frame);
}

QString PushClient::sendTracked(const QString &type, const QJsonValue &data, const Request &request)
{
    const QString id = m_requests.nextId();
    if (!sendFrame(ClientFrames::request(type, id, data)))
        return {};
    m_requests.track(id, request);
    return id;
}

void PushClient::sendAuth()
{
    sendTracked(FrameType::Auth, ClientFrames::authData(m_token, m_apiKey), Request{FrameType::Auth});
}

void PushClient::sendSubscribe(const QString &channel)
{
    SubscriptionSet::Subscription *subscription = m_subscriptions.find(channel);
    if (!subscription)
        return;
    const qint64 since = lastSeq(channel);
    const QString requestId = sendTracked(FrameType::Subscribe,
                                          ClientFrames::subscribeData(channel, subscription->filters, since),
                                          Request{FrameType::Subscribe, channel, since});
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
    if (replacing)
        sendTracked(FrameType::Unsubscribe, ClientFrames::unsubscribeData(channel),
                    Request{FrameType::Unsubscribe, channel});
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
    if (sent)
        sendTracked(FrameType::Unsubscribe, ClientFrames::unsubscribeData(channel),
                    Request{FrameType::Unsubscribe, channel});
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

QString PushClient::publish(const QString &channel, const QJsonObject &payload, int priority,
                            const QString &strategy, const QJsonObject &filters)
{
    return sendRequest(FrameType::Publish,
                       ClientFrames::publishData(channel, payload, priority, strategy, filters, false));
}

QString PushClient::publishDryRun(const QString &channel, const QJsonObject &payload, int priority,
                                  const QString &strategy, const QJsonObject &filters)
{
    return sendRequest(FrameType::Publish,
                       ClientFrames::publishData(channel, payload, priority, strategy, filters, true));
}

void PushClient::ack(const QString &channel, qint64 seq)
{
    sendFrame(ClientFrames::ack(channel, seq));
}

void PushClient::maybeAutoAck(const QString &channel, qint64 seq)
{
    if (m_autoAck && m_ackedChannels.contains(channel))
        ack(channel, seq);
}

void PushClient::ping()
{
    const QString id = m_requests.nextId();
    if (sendFrame(ClientFrames::ping(id)))
        m_requests.pingSent(id);
}

void PushClient::onPingTimer()
{
    if (m_pongTimeoutMs > 0 && m_requests.pongOverdue(m_pongTimeoutMs)) {
        m_connection->drop("no pong within the pong timeout");
        return;
    }
    ping();
}

} // namespace QuantPush
