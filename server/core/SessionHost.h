#pragma once

#include "Delivery.h"
#include "FrameDeflater.h"
#include "FrontDoor.h"
#include "Metrics.h"
#include "Session.h"
#include "WelcomeFrame.h"
#include "protocol/Requests.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <optional>


namespace QuantPush {

class Admission;
class AuthFlow;
class Authenticator;
class Clock;
class ClockTimer;
class Permissions;
class RequestRouter;
class Transport;
class WsConnection;

// Owns the WebSocket sessions of one event loop: completes the upgrade of
// the sockets the front door hands it (WsConnection), asks Admission, creates each Session with its welcome,
// runs the heartbeat (pings, silence and token expiry) and the ack sweep,
// and hands inbound frames to its RequestRouter. Sessions never leave it:
// everything else names them by SessionId, and what the rest of the server
// needs to know about them (attributes, descriptions, gauges) it reads here
// as values.
class SessionHost : public QObject, private SessionReceiver
{
    Q_OBJECT
public:
    // `admission` is shared (the server's limits); `clock`: heartbeats, ack
    // deadlines and inbound rate limits. Session ids are firstId,
    // firstId + idStride, ...: hosts on several threads never share one.
    SessionHost(const ServerConfig &config, Admission *admission, const Authenticator *authenticator,
                const Permissions *permissions, Metrics *metrics, Clock *clock, QObject *parent = nullptr,
                SessionId firstId = 1, SessionId idStride = 1);
    ~SessionHost() override;

    // Starts the heartbeat and ack sweep.
    void start();

    int count() const { return int(m_sessions.size()); }
    int authenticatedCount() const;
    bool contains(SessionId id) const { return m_sessions.contains(id); }
    std::optional<SessionId> find(const QString &wireId) const;
    // What routing matches a publisher's recipient filter against.
    std::optional<QJsonObject> attributes(SessionId id) const;
    struct Description
    {
        SessionId id = 0;
        QJsonObject json; // an entry of the `connections` answer, without subscriptions
    };
    QList<Description> describeAll() const;
    // Adds this host's connection gauges (queues, buffers, ages, roles, users).
    void addGauges(Metrics::Gauges &gauges, const QDateTime &now) const;
    qint64 queuedFrames() const;
    bool allDrained() const;
    // After a key reload: closes every session whose credential no longer
    // verifies; returns how many.
    int recheckCredentials();

public Q_SLOTS:
    // A WebSocket upgrade request the front door read the head of.
    void upgrade(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);
    // The same for a bare descriptor whose head is still in the kernel
    // (peeked by the front door): this host reads the head off and makes
    // the connection's transport (FdTransport). Takes the descriptor.
    void upgradeDescriptor(qintptr descriptor, QuantPush::FrontDoor::RequestHead head);
    void deliver(const QList<QuantPush::SessionId> &sessions, const QuantPush::OutboundFrame &frame);
    void sendMessage(QuantPush::SessionId session, const QuantPush::Message &message);
    void sendError(QuantPush::SessionId session, QuantPush::ErrorCode code, const QString &text,
                   const QJsonValue &requestId);
    bool disconnectSession(QuantPush::SessionId session, int code, const QString &reason);
    void closeAll(int code, const QString &reason);

Q_SIGNALS:
    void sessionOpened(QuantPush::SessionId session);
    // The session's identity changed: `attributes` are what routing matches.
    void sessionAuthenticated(QuantPush::SessionId session, const QuantPush::Identity &identity,
                              const QJsonObject &attributes);
    void sessionClosed(QuantPush::SessionId session);
    // The requests its router parsed and authorised.
    void subscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                            const QuantPush::SubscribeRequest &request, const QuantPush::Filter &authorisationFilter);
    void unsubscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                              const QuantPush::UnsubscribeRequest &request);
    void publishRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                          const QuantPush::PublishRequest &request);
    void adminRequested(QuantPush::SessionId session, const QJsonValue &requestId, QuantPush::MessageType type,
                        const QJsonValue &data);

private:
    // Answers the handshake on `transport` (taken) and opens the session.
    void upgradeTransport(Transport *transport, const FrontDoor::RequestHead &head);
    void onUpgraded(WsConnection *socket);
    void refuse(WsConnection *socket, int code, const QString &reason);
    Session *createSession(WsConnection *socket);
    void sendWelcome(Session &session);
    void onAuthenticated(SessionId id);
    void sessionText(SessionId id, const QString &text) override;
    void sessionBinary(SessionId id, qint64 bytes) override;
    void sessionPong(SessionId id) override;
    void sessionEnded(SessionId id) override;
    void onPing(SessionId id, const QByteArray &payload);
    void heartbeat();
    void sweepAcks();
    static QJsonObject describe(const Session &session);

    const ServerConfig &m_config;
    Admission *m_admission;
    Metrics *m_metrics;
    Clock *m_clock;
    AuthFlow *m_authFlow;
    RequestRouter *m_router;
    ClockTimer *m_heartbeat;
    ClockTimer *m_ackSweep;
    SessionLimits m_sessionLimits;
    FrameDeflater m_deflater; // shared by every compressed session
    const WelcomeFrame m_welcome;
    const QByteArray m_serverName;
    QHash<SessionId, Session *> m_sessions;
    // Sessions sent a frame that needs an ack and not yet known to be done
    // with it: the ack sweep (every 50 ms) visits these, not every session.
    QSet<SessionId> m_ackSessions;

    SessionId m_nextId;
    const SessionId m_idStride;
};

} // namespace QuantPush
