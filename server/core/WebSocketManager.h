#pragma once

#include "FrontDoor.h"
#include "MessageBroadcaster.h"
#include "Metrics.h"
#include "config/ServerConfig.h"
#include "protocol/Requests.h"

#include <QtCore/QObject>
#include <QtNetwork/QHostAddress>

#include <memory>

class QTimer;
class QTcpSocket;

namespace QuantPush {

class Authenticator;
class Broker;
class Clock;
class ClockTimer;
class Admission;
class SessionWorkers;
class ShutdownSequence;
class SubscriptionFlow;
class Permissions;
class SubscriptionManager;

// The public face of the server: creates the components, wires them by
// signals and slots, and offers the typed publish API producers use.
class WebSocketManager : public QObject
{
    Q_OBJECT
public:
    explicit WebSocketManager(ServerConfig config, QObject *parent = nullptr);
    // `clock` drives the broadcaster, heartbeats and rate limits (tests pass a FakeClock).
    WebSocketManager(ServerConfig config, Clock *clock, QObject *parent = nullptr);
    ~WebSocketManager() override;

    bool start(QString *error);
    // Stops accepting, releases queued messages, waits up to the drain
    // deadline for clients to read them, then closes everyone with 1001.
    void stop();
    quint16 port() const;
    const ServerConfig &config() const { return m_config; }

    using PublishResult = MessageBroadcaster::PublishResult;
    // With a remote broker (Redis) the synchronous form answers `pending`:
    // producers that need the seq or the broker's refusal use the callback.
    PublishResult publish(const PublishRequest &request);
    void publish(const PublishRequest &request, MessageBroadcaster::PublishDone done);
    // A dry run: the recipients `request` would reach now; nothing is published.
    int countRecipients(const PublishRequest &request) const;
    // Subscriptions on `channel` now (cheap: no pass over the sessions).
    int subscriptionCount(SubscriptionType channel) const;
    // For producers that do not need the recipient count (the demo feed, the
    // broker): saves a routing pass per message held by a strategy.
    void submit(const PublishRequest &request);
    PublishResult broadcastTradingSignal(const QJsonObject &signal, int priority = DefaultPriority);
    PublishResult broadcastStrategyStatus(const QJsonObject &status);
    PublishResult broadcastMarketData(const QJsonObject &tick);
    PublishResult broadcastSystemMonitor(const QJsonObject &sample);
    PublishResult broadcastOrderUpdate(const QJsonObject &order);
    PublishResult broadcastPositionUpdate(const QJsonObject &position);
    PublishResult broadcastRiskAlert(const QJsonObject &alert);
    PublishResult broadcastPerformanceMetrics(const QJsonObject &metrics);

    // The gauges of this moment, read from their owners; the stats JSON and
    // /metrics both render Metrics with them.
    Metrics::Gauges gauges() const;
    // Bodies of GET /websocket/stats and /websocket/connections.
    QJsonObject statsJson() const;
    // This node and, with Redis, the cluster: "broker" in the stats, and /metrics.
    QJsonObject brokerJson() const;
    QJsonArray connectionsJson() const;
    // Body of GET /healthz: {"status": "ok"} or "degraded" with the broker's reason.
    QJsonObject healthJson() const;
    Broker *broker() const;
    bool disconnectClient(const QString &connectionId, const QString &reason);
    // Key rotation: the JWT secrets and API keys of `auth` (files already
    // read) replace the current ones; every live session whose credential
    // no longer verifies gets `unauthorized` and close 4001. Returns how
    // many were closed.
    int reloadCredentials(const AuthConfig &auth);

    Authenticator *authenticator() const { return m_authenticator.get(); }
    const Permissions *permissions() const { return m_permissions.get(); }
    Metrics *metrics() const { return m_metrics; }

Q_SIGNALS:
    void stopped();
    // A non-WebSocket request on the shared port. When nothing is connected
    // (no HTTP API attached) the manager answers /healthz and 404 itself.
    void httpRequested(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);

private:
    void wire();
    void onBrokerGap(SubscriptionType channel, qint64 from, qint64 to);
    void wireBroker();
    void answerHttp(QTcpSocket *socket, const FrontDoor::RequestHead &head);

    ServerConfig m_config;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<Permissions> m_permissions;
    Metrics *m_metrics;
    SubscriptionManager *m_subscriptions;
    std::unique_ptr<Broker> m_broker;
    MessageBroadcaster *m_broadcaster;
    std::unique_ptr<Admission> m_admission;
    FrontDoor *m_frontDoor;
    SessionWorkers *m_sessions;
    SubscriptionFlow *m_subscriptionFlow;
    ShutdownSequence *m_shutdown;
    Clock *m_clock;
    ClockTimer *m_rateSampler;
};

} // namespace QuantPush
