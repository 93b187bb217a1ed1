#pragma once

#include "Authenticator.h"
#include "Delivery.h"
#include "FrameDeflater.h"
#include "FrontDoor.h"
#include "Session.h"
#include "protocol/Requests.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtNetwork/QHostAddress>

class QWebSocketServer;
class QTimer;

namespace QuantPush {

class Clock;
class ClockTimer;
class Metrics;
class Permissions;

// Accepts connections on the front door, owns the sessions, enforces the
// connection-level limits (count, per-address, sizes, heartbeats, auth,
// inbound rate) and turns each valid inbound request into a typed signal.
class ConnectionManager : public QObject
{
    Q_OBJECT
public:
    // `clock`: heartbeats, ack deadlines and inbound rate limits (system when null).
    ConnectionManager(const ServerConfig &config, Authenticator *authenticator, const Permissions *permissions,
                      Metrics *metrics, QObject *parent = nullptr, Clock *clock = nullptr);
    ~ConnectionManager() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    void stopAccepting();

    int count() const { return int(m_sessions.size()); }
    int authenticatedCount() const;
    Session *session(SessionId id) const { return m_sessions.value(id); }
    Session *sessionByWireId(const QString &wireId) const;
    QList<Session *> sessions() const { return m_sessions.values(); }
    QJsonObject describe(const Session *session) const;
    bool allDrained() const;

public Q_SLOTS:
    void deliver(const QList<QuantPush::SessionId> &sessions, const QuantPush::OutboundFrame &frame);
    void sendMessage(QuantPush::SessionId session, const QuantPush::Message &message);
    void sendError(QuantPush::SessionId session, QuantPush::ErrorCode code, const QString &text,
                   const QJsonValue &requestId);
    bool disconnectSession(QuantPush::SessionId session, int code, const QString &reason);
    void closeAll(int code, const QString &reason);

Q_SIGNALS:
    void sessionOpened(QuantPush::SessionId session);
    void sessionAuthenticated(QuantPush::SessionId session);
    void sessionClosed(QuantPush::SessionId session);
    void subscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                            const QuantPush::SubscribeRequest &request, const QuantPush::Filter &authorisationFilter);
    void unsubscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                              const QuantPush::UnsubscribeRequest &request);
    void publishRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                          const QuantPush::PublishRequest &request);
    void adminRequested(QuantPush::SessionId session, const QJsonValue &requestId, QuantPush::MessageType type,
                        const QJsonValue &data);
    // Non-WebSocket requests on the shared port, for the HTTP API.
    void httpRequested(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);

private:
    using Handler = void (ConnectionManager::*)(Session *, const Message &);

    void onWebSocketRequested(QTcpSocket *socket, const FrontDoor::RequestHead &head);
    void onNewWebSocket();
    std::optional<std::pair<int, QString>> admissionRefusal(const QWebSocket *socket) const;
    Session *createSession(QWebSocket *socket);
    void sendWelcome(Session *session);
    void authenticateFromHandshake(Session *session);
    void startAuthTimeout(Session *session);
    void onText(SessionId id, const QString &text);
    void onBinary(SessionId id, qint64 bytes);
    void onSessionClosed(SessionId id);
    void heartbeat();
    void sweepAcks();
    bool rateLimit(Session *session, const QJsonValue &requestId);
    static bool isAwaitedAck(const Session *session, const DecodeResult &decoded);

    void handleAuth(Session *session, const Message &message);
    void handlePing(Session *session, const Message &message);
    void handleSubscribe(Session *session, const Message &message);
    void handleUnsubscribe(Session *session, const Message &message);
    void handleAck(Session *session, const Message &message);
    void handlePublish(Session *session, const Message &message);
    void handleAdmin(Session *session, const Message &message);
    void completeAuth(Session *session, const Authenticator::Outcome &outcome, const QJsonValue &requestId);

    const ServerConfig &m_config;
    Authenticator *m_authenticator;
    const Permissions *m_permissions;
    Metrics *m_metrics;
    FrontDoor *m_frontDoor;
    QWebSocketServer *m_webSocketServer;
    Clock *m_clock;
    ClockTimer *m_heartbeat;
    ClockTimer *m_ackSweep;
    SessionLimits m_sessionLimits;
    FrameDeflater m_deflater; // shared by every compressed session
    QHash<SessionId, Session *> m_sessions;
    QHash<QString, int> m_perAddress;
    // Sockets handed to the WebSocket server, by peer, until their session exists.
    QHash<std::pair<QString, quint16>, QTcpSocket *> m_upgrading;
    QHash<MessageType, Handler> m_handlers;
    SessionId m_nextId = 1;
    qint64 m_lastPingMs = 0;
    bool m_accepting = true;
};

QString networkOf(const QHostAddress &address);

} // namespace QuantPush
