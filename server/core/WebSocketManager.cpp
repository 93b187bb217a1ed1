#include "WebSocketManager.h"

#include "Authenticator.h"
#include "broker/Broker.h"
#include "broker/LocalBroker.h"
#include "Clock.h"
#include "Admission.h"
#include "Logging.h"
#include "Metrics.h"
#include "Permissions.h"
#include "SessionRequests.h"
#include "SessionWorkers.h"
#include "ShutdownSequence.h"
#include "SubscriptionFlow.h"
#include "SubscriptionManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/StatsKeys.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMetaMethod>
#include <QtNetwork/QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {
// Connections the kernel may hold completed for accept(2) (see start()).
constexpr int ListenBacklog = 4096;
} // namespace

namespace {

FrontDoor::Limits frontDoorLimits(const ServerConfig &config)
{
    FrontDoor::Limits limits;
    limits.maxHeaderBytes = config.http.maxHeaderBytes;
    limits.handshakeTimeoutMs = config.limits.handshakeTimeoutMs;
    limits.maxPendingHeads = config.limits.maxPendingHandshakes;
    limits.maxPendingHeadsPerAddress = config.limits.maxConnectionsPerIp;
    limits.tlsCertFile = config.security.tls.certFile;
    limits.tlsKeyFile = config.security.tls.keyFile;
    return limits;
}

} // namespace

WebSocketManager::WebSocketManager(ServerConfig config, QObject *parent)
    : WebSocketManager(std::move(config), Clock::system(), parent)
{
}

WebSocketManager::WebSocketManager(ServerConfig config, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_authenticator(std::make_unique<Authenticator>(m_config.auth))
    , m_permissions(std::make_unique<Permissions>(m_config.roles))
    , m_metrics(new Metrics(this))
    , m_subscriptions(new SubscriptionManager(m_config.limits.maxSubscriptions, this))
    , m_broker(createBroker(m_config))
    , m_broadcaster(new MessageBroadcaster(m_config, m_broker.get(), this, clock))
    , m_admission(std::make_unique<Admission>(m_config))
    , m_frontDoor(new FrontDoor(frontDoorLimits(m_config), this))
    , m_sessions(new SessionWorkers(m_config, m_admission.get(), m_authenticator.get(), m_permissions.get(),
                                    m_metrics, clock, this))
    , m_subscriptionFlow(new SubscriptionFlow(m_config, m_subscriptions, m_broadcaster, m_sessions, clock, this))
    , m_shutdown(new ShutdownSequence(m_admission.get(), m_frontDoor, m_broadcaster, m_sessions,
                                      m_config.limits.shutdownDrainMs, this))
    , m_clock(clock)
    , m_rateSampler(clock->createTimer(this))
{
    qRegisterMetaType<SessionId>("QuantPush::SessionId");
    // Counters are per worker thread; whoever reads Metrics sums them first.
    m_metrics->setCollector([this] { m_sessions->collectMetrics(); });
    wire();
}

WebSocketManager::~WebSocketManager()
{
    // The worker threads end first: their sessions use the configuration,
    // Admission and Authenticator this object is about to release.
    m_metrics->setCollector({});
    m_sessions->shutdown();
}

void WebSocketManager::wire()
{
    m_broadcaster->setRecipientResolver(
        [this](SubscriptionType channel, qint64 seq, const QJsonObject &data, const Filter &recipientFilter) {
            return m_subscriptions->match(channel, seq, data, recipientFilter);
        });
    connect(m_broadcaster, &MessageBroadcaster::deliver, m_sessions, &SessionWorkers::deliver);
    connect(m_broadcaster, &MessageBroadcaster::published, m_metrics, &Metrics::messagePublished);
    connect(m_broadcaster, &MessageBroadcaster::coalesced, m_metrics, &Metrics::messageCoalesced);

    connect(m_frontDoor, &FrontDoor::webSocketRequested, m_sessions, &SessionWorkers::upgrade);
    connect(m_frontDoor, &FrontDoor::webSocketDescriptorRequested, m_sessions, &SessionWorkers::upgradeDescriptor);
    connect(m_frontDoor, &FrontDoor::httpRequested, this, &WebSocketManager::answerHttp);
    connect(m_frontDoor, &FrontDoor::rejected, m_metrics, &Metrics::connectionRefused);
    connect(m_sessions, &SessionWorkers::sessionAuthenticated, this,
            [this](SessionId id, const Identity &identity, const QJsonObject &attributes) {
        // Everything routing reads follows the identity now in force.
        m_subscriptions->setSessionAttributes(id, attributes);
        m_subscriptions->reauthorise(id, [this, &identity](SubscriptionType channel) -> std::optional<Filter> {
            if (!m_permissions->maySubscribe(identity, channel) || m_permissions->needsAccountsClaim(identity, channel))
                return std::nullopt;
            return m_permissions->authorisationFilter(identity, channel);
        });
    });
    connect(m_sessions, &SessionWorkers::sessionClosed, m_subscriptions, &SubscriptionManager::removeSession);
    connect(m_sessions, &SessionWorkers::sessionClosed, m_subscriptionFlow, &SubscriptionFlow::forgetSession);
    connect(m_sessions, &SessionWorkers::subscribeRequested, m_subscriptionFlow, &SubscriptionFlow::subscribe);
    connect(m_sessions, &SessionWorkers::unsubscribeRequested, m_subscriptionFlow, &SubscriptionFlow::unsubscribe);
    auto *requests = new SessionRequests(this, m_sessions);
    connect(m_sessions, &SessionWorkers::publishRequested, requests, &SessionRequests::publish);
    connect(m_sessions, &SessionWorkers::adminRequested, requests, &SessionRequests::admin);

    m_rateSampler->setInterval(1000);
    connect(m_rateSampler, &ClockTimer::timeout, this, [this] {
        m_metrics->refresh();
        const qint64 queued = m_sessions->queuedFrames();
        qint64 pending = 0;
        for (SubscriptionType channel : allSubscriptionTypes())
            pending += m_broadcaster->pending(channel);
        m_metrics->sampleRates(m_clock->nowMs(), queued, pending);
    });
    connect(m_shutdown, &ShutdownSequence::finished, this, &WebSocketManager::stopped);
    wireBroker();
}

void WebSocketManager::wireBroker()
{
    connect(m_broker.get(), &Broker::gap, this, &WebSocketManager::onBrokerGap);
    // The cluster view counts this node's connections.
    m_broker->setConnectionCounter([this] { return m_sessions->count(); });
}

void WebSocketManager::onBrokerGap(SubscriptionType channel, qint64 from, qint64 to)
{
    // A subscription that started after the lost range (a resume past it) misses nothing.
    const QList<SessionId> sessions = m_subscriptions->sessionsAwaiting(channel, to);
    qCWarning(lcBroadcast) << "broker lost seq" << from << "to" << to << "of" << wireName(channel) << ":"
                           << sessions.size() << "sessions get a gap notice";
    if (!sessions.isEmpty())
        m_sessions->deliver(sessions, makeGapFrame(channel, from, to));
}

Broker *WebSocketManager::broker() const
{
    return m_broker.get();
}

QJsonObject WebSocketManager::healthJson() const
{
    return m_broker->health();
}

bool WebSocketManager::start(QString *error)
{
    if (!m_broker->start(error)) {
        if (!m_config.broker.startWithoutRedis)
            return false;
        // broker.start_without_redis: serve alone rather than not at all, and
        // say so in the log and in /healthz.
        qCWarning(lcServer).noquote() << *error << "; broker.start_without_redis is true: serving as a SINGLE NODE"
                                      << "(no cluster seq, no shared history) until restarted";
        auto local = std::make_unique<LocalBroker>(m_config);
        local->setFallbackReason(*error);
        m_broadcaster->setBroker(local.get());
        m_broker = std::move(local);
        wireBroker();
        error->clear();
    }
    QHostAddress address;
    if (m_config.websocket.host == u"localhost"_s)
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(m_config.websocket.host)) {
        *error = u"websocket.host: '%1' is not an IP address"_s.arg(m_config.websocket.host);
        return false;
    }
    if (!m_frontDoor->loadTls(error))
        return false;
    // QTcpServer's default backlog is 50: a reconnect storm (every client
    // of a failed node arriving at once) overflowed it, and each dropped SYN
    // came back a second later. The kernel caps this at net.core.somaxconn.
    m_frontDoor->setListenBacklogSize(ListenBacklog);
    if (!m_frontDoor->listen(address, quint16(m_config.websocket.port))) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(m_config.websocket.host)
                     .arg(m_config.websocket.port)
                     .arg(m_frontDoor->errorString());
        return false;
    }
    m_frontDoor->deferAcceptUntilData();
    m_frontDoor->inheritNoDelay();
    m_sessions->start();
    m_rateSampler->start();
    const QString scheme = m_config.security.tls.enabled() ? u"wss"_s : u"ws"_s;
    qCInfo(lcServer).noquote() << "listening on" << u"%1://%2:%3/ws"_s.arg(scheme, m_config.websocket.host).arg(port())
                               << (m_config.websocket.authRequired ? "(auth required)" : "(auth not required)");
    return true;
}

quint16 WebSocketManager::port() const
{
    return m_frontDoor->serverPort();
}

WebSocketManager::PublishResult WebSocketManager::publish(const PublishRequest &request)
{
    return m_broadcaster->publish(request);
}

void WebSocketManager::publish(const PublishRequest &request, MessageBroadcaster::PublishDone done)
{
    m_broadcaster->publish(request, MessageBroadcaster::RecipientCount::Count, std::move(done));
}

int WebSocketManager::countRecipients(const PublishRequest &request) const
{
    return m_broadcaster->countRecipients(request);
}

int WebSocketManager::subscriptionCount(SubscriptionType channel) const
{
    return m_subscriptions->count(channel);
}

void WebSocketManager::submit(const PublishRequest &request)
{
    m_broadcaster->publish(request, MessageBroadcaster::RecipientCount::Skip);
}

namespace {

PublishRequest requestFor(SubscriptionType channel, const QJsonObject &payload, int priority = DefaultPriority)
{
    PublishRequest request;
    request.channel = channel;
    request.payload = payload;
    request.priority = priority;
    return request;
}

} // namespace

WebSocketManager::PublishResult WebSocketManager::broadcastTradingSignal(const QJsonObject &signal, int priority)
{
    return publish(requestFor(SubscriptionType::TradingSignals, signal, priority));
}

WebSocketManager::PublishResult WebSocketManager::broadcastStrategyStatus(const QJsonObject &status)
{
    return publish(requestFor(SubscriptionType::StrategyStatus, status));
}

WebSocketManager::PublishResult WebSocketManager::broadcastMarketData(const QJsonObject &tick)
{
    return publish(requestFor(SubscriptionType::MarketData, tick));
}

WebSocketManager::PublishResult WebSocketManager::broadcastSystemMonitor(const QJsonObject &sample)
{
    return publish(requestFor(SubscriptionType::SystemMonitor, sample));
}

WebSocketManager::PublishResult WebSocketManager::broadcastOrderUpdate(const QJsonObject &order)
{
    return publish(requestFor(SubscriptionType::OrderUpdates, order));
}

WebSocketManager::PublishResult WebSocketManager::broadcastPositionUpdate(const QJsonObject &position)
{
    return publish(requestFor(SubscriptionType::PositionUpdates, position));
}

WebSocketManager::PublishResult WebSocketManager::broadcastRiskAlert(const QJsonObject &alert)
{
    return publish(requestFor(SubscriptionType::RiskAlerts, alert));
}

WebSocketManager::PublishResult WebSocketManager::broadcastPerformanceMetrics(const QJsonObject &metrics)
{
    return publish(requestFor(SubscriptionType::PerformanceMetrics, metrics));
}

bool WebSocketManager::disconnectClient(const QString &connectionId, const QString &reason)
{
    const std::optional<SessionId> session = m_sessions->find(connectionId);
    if (!session)
        return false;
    return m_sessions->disconnectSession(*session, CloseCode::Normal,
                                            reason.isEmpty() ? u"disconnected by an administrator"_s : reason.left(120));
}

QJsonObject WebSocketManager::statsJson() const
{
    QJsonObject snapshot = m_metrics->snapshot(gauges());
    const QJsonObject broker = brokerJson();
    snapshot.insert(StatsKey::NodeId, broker.value(StatsKey::NodeId));
    snapshot.insert(StatsKey::Broker, broker);
    return snapshot;
}

Metrics::Gauges WebSocketManager::gauges() const
{
    Metrics::Gauges gauges;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Counters first: the workers' are summed into m_metrics when read.
    m_metrics->refresh();
    m_sessions->addGauges(gauges, now);
    gauges.subscriptions = m_subscriptions->count();
    for (SubscriptionType channel : allSubscriptionTypes()) {
        const std::size_t i = std::size_t(channel);
        gauges.subscriptionsByChannel[i] = m_subscriptions->count(channel);
        gauges.pendingByChannel[i] = m_broadcaster->pending(channel);
        gauges.seqByChannel[i] = m_broadcaster->lastSeq(channel);
    }
    return gauges;
}

QJsonObject WebSocketManager::brokerJson() const
{
    // The node and, with Redis, every node alive and its connections.
    QJsonObject broker = m_broker->describe();
    if (!broker.contains(StatsKey::NodeId))
        broker.insert(StatsKey::NodeId, u"local"_s);
    return broker;
}

QJsonArray WebSocketManager::connectionsJson() const
{
    QJsonArray list;
    for (const SessionHost::Description &session : m_sessions->describeAll()) {
        QJsonObject entry = session.json;
        QJsonArray subscriptions;
        for (const auto &subscription : m_subscriptions->subscriptionsOf(session.id)) {
            subscriptions.append(QJsonObject {
                {Key::SubscriptionId, subscription.id},
                {Key::Type, wireName(subscription.channel)},
                {Key::Filters, subscription.clientFilter.source()},
            });
        }
        entry.insert(u"subscriptions"_s, subscriptions);
        list.append(entry);
    }
    return list;
}

void WebSocketManager::answerHttp(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    if (isSignalConnected(QMetaMethod::fromSignal(&WebSocketManager::httpRequested))) {
        Q_EMIT httpRequested(socket, head);
        return;
    }
    const bool health = head.target == "/healthz";
    const QByteArray body = health ? QJsonDocument(healthJson()).toJson(QJsonDocument::Compact)
                                   : QJsonDocument(ProtocolError {ErrorCode::NotFound, u"no such endpoint"_s}.toJson())
                                         .toJson(QJsonDocument::Compact);
    socket->write(health ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 404 Not Found\r\n");
    socket->write("Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

void WebSocketManager::stop()
{
    m_shutdown->start();
}

int WebSocketManager::reloadCredentials(const AuthConfig &auth)
{
    m_authenticator->setKeys(auth);
    const int closed = m_sessions->recheckCredentials();
    qCInfo(lcServer) << "credentials reloaded:" << closed << "sessions closed";
    return closed;
}

} // namespace QuantPush
