#include "ConsoleController.h"

#include "ConsoleLogging.h"
#include "StatsTimeline.h"
#include "WireNames.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

#include <utility>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace

ConsoleController::ConsoleController(QObject *parent)
    : QObject(parent)
    , m_client(new PushClient(this))
    , m_timeline(new StatsTimeline(this))
    , m_statsTimer(new QTimer(this))
    , m_connectionsTimer(new QTimer(this))
{
    m_statsTimer->setInterval(StatsIntervalMs);
    m_connectionsTimer->setInterval(ConnectionsIntervalMs);
    connect(m_statsTimer, &QTimer::timeout, this, &ConsoleController::onStatsTimer);
    connect(m_connectionsTimer, &QTimer::timeout, this, &ConsoleController::onConnectionsTimer);
    wireClient();
    // Alerts, stats pushes and process samples all come on system_monitor;
    // PushClient re-subscribes after every reconnect.
    m_client->subscribe(QString(Wire::SystemMonitor));
}

ConsoleController::~ConsoleController() = default;

void ConsoleController::wireClient()
{
    connect(m_client, &PushClient::stateChanged, this, &ConsoleController::onStateChanged);
    connect(m_client, &PushClient::authenticated, this,
            [this](const QString &user, const QString &role, const QString &) {
                Status status = m_status;
                status.user = user;
                status.role = role;
                setStatus(status);
            });
    connect(m_client, &PushClient::reconnectScheduled, this, [this](int attempt, int delayMs) {
        Status status = m_status;
        status.attempt = attempt;
        status.reconnectAtMs = nowMs() + delayMs;
        setStatus(status);
    });
    connect(m_client, &PushClient::disconnected, this, [this](int closeCode, const QString &reason) {
        Status status = m_status;
        status.closeCode = closeCode;
        if (!reason.isEmpty())
            status.reason = reason;
        setStatus(status);
    });
    connect(m_client, &PushClient::connectionFailed, this, [this](const QString &reason) {
        Status status = m_status;
        status.closeCode = 0;
        status.reason = reason;
        setStatus(status);
    });
    connect(m_client, &PushClient::replyReceived, this, &ConsoleController::onReply);
    connect(m_client, &PushClient::errorReceived, this, &ConsoleController::onError);
    connect(m_client, &PushClient::messageReceived, this,
            [this](const QString &channel, const QString &, qint64 seq, qint64, const QJsonObject &data, bool) {
                onMessage(channel, seq, data);
            });
    connect(m_client, &PushClient::latencyMeasured, this, &ConsoleController::roundTripMeasured);
}

void ConsoleController::configure(PushClient *client) const
{
    client->setUrl(m_profile.url);
    const bool token = m_profile.credential == ServerProfile::Credential::Token;
    client->setToken(token ? m_profile.secret : QString());
    client->setApiKey(token ? QString() : m_profile.secret);
    client->setIgnoreSslErrors(m_profile.ignoreSslErrors);
    client->setCompression(m_profile.compression);
    client->setPingInterval(PingIntervalMs);
    client->setPongTimeout(PongTimeoutMs);
    // Reconnects follow the server's advice (welcome.reconnection, from its
    // websocket.reconnection settings), as every PushClient does by default.
    client->setFollowServerReconnectAdvice(true);
}

PushClient *ConsoleController::inspectorClient()
{
    if (!m_inspector) {
        m_inspector = new PushClient(this);
        configure(m_inspector);
    }
    return m_inspector;
}

bool ConsoleController::isConnected() const
{
    return m_client->state() == PushClient::State::Connected;
}

QStringList ConsoleController::ownSessionIds() const
{
    QStringList ids;
    if (!m_client->sessionId().isEmpty())
        ids.append(m_client->sessionId());
    if (m_inspector && !m_inspector->sessionId().isEmpty())
        ids.append(m_inspector->sessionId());
    return ids;
}

void ConsoleController::connectTo(const ServerProfile &profile)
{
    qCInfo(lcConsole) << "connecting to" << profile.url.toDisplayString();
    m_client->close();
    if (m_inspector) {
        // Its remembered subscriptions and seqs belong to the old server.
        m_inspector->close();
        m_inspector->deleteLater();
        m_inspector = nullptr;
    }
    m_profile = profile;
    configure(m_client);
    m_timeline->clear();
    m_lastStatsPushMs = 0;
    setStatus(Status {m_client->state()});
    Q_EMIT inspectorClientReset(nullptr);
    m_client->open();
}

void ConsoleController::disconnectFromServer()
{
    m_client->close();
    if (m_inspector)
        m_inspector->close();
}

void ConsoleController::refreshConnections()
{
    if (isConnected() && !m_status.adminDenied)
        track(m_client->sendRequest(QString(Wire::Request::Connections)), RequestKind::Connections);
}

QString ConsoleController::publish(const QString &channel, const QJsonObject &payload, int priority,
                                   const QString &strategy, const QJsonObject &filters)
{
    return track(m_client->publish(channel, payload, priority, strategy, filters), RequestKind::Publish);
}

QString ConsoleController::previewPublish(const QString &channel, const QJsonObject &payload, int priority,
                                          const QString &strategy, const QJsonObject &filters)
{
    return track(m_client->publishDryRun(channel, payload, priority, strategy, filters), RequestKind::Preview);
}

QString ConsoleController::requestDisconnect(const QString &connectionId, const QString &reason)
{
    QJsonObject data {{Wire::Key::ConnectionId, connectionId}};
    if (!reason.trimmed().isEmpty())
        data.insert(Wire::Key::Reason, reason.trimmed());
    return track(m_client->sendRequest(QString(Wire::Request::Disconnect), data), RequestKind::Disconnect,
                 connectionId);
}

QString ConsoleController::track(const QString &id, RequestKind kind, const QString &subject)
{
    if (!id.isEmpty())
        m_pending.insert(id, PendingRequest {kind, nowMs(), subject});
    return id;
}

bool ConsoleController::isInFlight(RequestKind kind, qint64 now) const
{
    for (const PendingRequest &request : m_pending) {
        if (request.kind == kind && now - request.sentAtMs < RequestStaleMs)
            return true;
    }
    return false;
}

void ConsoleController::setStatus(const Status &status)
{
    m_status = status;
    Q_EMIT statusChanged(m_status);
}

void ConsoleController::onStateChanged(PushClient::State state)
{
    Status status = m_status;
    status.state = state;
    if (state == PushClient::State::Connected) {
        status.attempt = 0;
        status.reconnectAtMs = 0;
        status.reason.clear();
        status.errorCode.clear();
        status.closeCode = 0;
        status.adminDenied = false;
    }
    setStatus(status);
    if (state == PushClient::State::Connected) {
        m_statsTimer->start();
        m_connectionsTimer->start();
        onStatsTimer();
        onConnectionsTimer();
    } else {
        m_statsTimer->stop();
        m_connectionsTimer->stop();
        failPendingRequests();
    }
}

// PushClient forgets its pending requests with the connection; tell the
// pages so nothing waits forever for a reply that cannot come.
void ConsoleController::failPendingRequests()
{
    const auto pending = std::exchange(m_pending, {});
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        if (it->kind == RequestKind::Publish || it->kind == RequestKind::Preview || it->kind == RequestKind::Disconnect)
            Q_EMIT requestFailed(it.key(), u"connection_lost"_s, tr("The connection closed before the server replied."));
    }
}

void ConsoleController::onStatsTimer()
{
    const qint64 now = nowMs();
    if (!isConnected() || m_status.adminDenied || isInFlight(RequestKind::Stats, now))
        return;
    if (now - m_lastStatsPushMs < PushFreshnessMs)
        return; // the server is pushing stats: polling too would only add load
    track(m_client->sendRequest(QString(Wire::Request::Stats)), RequestKind::Stats);
}

void ConsoleController::onConnectionsTimer()
{
    if (!isInFlight(RequestKind::Connections, nowMs()))
        refreshConnections();
}

void ConsoleController::onReply(const QString &id, const QString &type, const QJsonValue &data)
{
    const auto it = m_pending.constFind(id);
    if (it == m_pending.constEnd())
        return;
    const PendingRequest request = *it;
    m_pending.erase(it);
    switch (request.kind) {
    case RequestKind::Stats:
        if (const auto snapshot = StatsSnapshot::fromJson(data.toObject()))
            m_timeline->addSnapshot(*snapshot, nowMs());
        else
            qCWarning(lcConsole) << "unexpected stats reply of type" << type;
        return;
    case RequestKind::Connections:
        Q_EMIT connectionsUpdated(data.toArray());
        return;
    case RequestKind::Publish: {
        const QJsonObject body = data.toObject();
        Q_EMIT published(id, body.value(Wire::Key::Seq).toInteger(-1), body.value(Wire::Key::Recipients).toInteger(-1));
        return;
    }
    case RequestKind::Preview:
        Q_EMIT recipientsPreviewed(id, data.toObject().value(Wire::Key::Recipients).toInteger(-1));
        return;
    case RequestKind::Disconnect:
        Q_EMIT disconnectDone(id, request.subject);
        refreshConnections();
        return;
    }
}

void ConsoleController::onError(const QString &id, const QString &code, const QString &message)
{
    const auto it = m_pending.constFind(id);
    if (it == m_pending.constEnd()) {
        // Not one of ours: an auth failure (the server closes with 4001 next)
        // or a subscription error; keep it for the status bar.
        qCWarning(lcConsole) << "server error" << code << message;
        Status status = m_status;
        status.errorCode = code;
        status.reason = message;
        setStatus(status);
        return;
    }
    const PendingRequest request = *it;
    m_pending.erase(it);
    if ((request.kind == RequestKind::Stats || request.kind == RequestKind::Connections)
        && (code == "forbidden"_L1 || code == "unauthorized"_L1)) {
        Status status = m_status;
        status.adminDenied = true;
        status.errorCode = code;
        status.reason = message;
        setStatus(status);
        return;
    }
    Q_EMIT requestFailed(id, code, message);
}

void ConsoleController::onMessage(const QString &channel, qint64 seq, const QJsonObject &data)
{
    if (channel != Wire::SystemMonitor)
        return;
    const qint64 now = nowMs();
    const QString kind = data.value(Wire::Key::Kind).toString();
    if (kind == Wire::Key::Stats) {
        if (const auto snapshot = StatsSnapshot::fromJson(data.value(Wire::Key::Stats).toObject())) {
            m_lastStatsPushMs = now;
            m_timeline->addSnapshot(*snapshot, now);
        }
        return;
    }
    if (kind == Wire::Key::Alert) {
        if (const auto event = AlertEvent::fromMessage(data, seq, QDateTime::currentDateTime()))
            Q_EMIT alertReceived(*event);
        return;
    }
    // The demo feed's process samples (key "process") carry the server's CPU
    // and memory when the stats body does not.
    const QJsonValue cpu = data.value(Wire::Key::CpuPercent);
    const QJsonValue rss = data.value(Wire::Key::RssBytes);
    if (cpu.isDouble() || rss.isDouble()) {
        m_timeline->addProcessSample(cpu.isDouble() ? std::optional<double>(cpu.toDouble()) : std::nullopt,
                                     rss.isDouble() ? std::optional<qint64>(rss.toInteger()) : std::nullopt, now);
    }
}

} // namespace QuantPush
