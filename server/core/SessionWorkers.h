#pragma once

#include "Delivery.h"
#include "FrontDoor.h"
#include "Metrics.h"
#include "SessionHost.h"
#include "protocol/Requests.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <optional>
#include <vector>

class QThread;

namespace QuantPush {

class Admission;
class Authenticator;
class Clock;
class Permissions;

// The connection side of the server: websocket.worker_threads SessionHosts.
// The first lives on the caller's (main) thread and every call to it is
// direct; with one, it has every session, exactly as before threads. Each
// of the others runs on a QThread of its own with its own event loop (the
// dispatcher kind of the creating thread: --event-loop epoll gives every
// worker an EpollEventDispatcher), its own Metrics (summed into the
// server's by collectMetrics) and every session it accepted: sockets,
// heartbeats, inbound rate limits, acks.
//
// Everything else stays on the creating thread and names sessions by id;
// an id says which host owns it ((id - 1) % workers). Deliveries take one
// queued call per worker per message carrying the shared, immutable frame
// and the ids of that worker's recipients (the subscription index stays
// with the broadcaster, so a worker's fan-out touches only its sessions);
// replies, errors and disconnects are queued to the owner, behind the
// deliveries queued before them, so each session sees them in order.
// Questions about sessions (connections list, gauges, drained?) are asked of
// every worker and wait for the answers.
class SessionWorkers : public QObject
{
    Q_OBJECT
public:
    SessionWorkers(const ServerConfig &config, Admission *admission, const Authenticator *authenticator,
                   const Permissions *permissions, Metrics *metrics, Clock *clock, QObject *parent = nullptr);
    ~SessionWorkers() override;

    int workerCount() const { return int(m_workers.size()); }
    // Starts the worker threads and every host's heartbeat.
    void start();
    // Ends the worker threads (their hosts and sessions go with them).
    // Called by the owner before what the hosts point to (config,
    // Admission, Authenticator) goes.
    void shutdown();

    // Sessions open (opened and not yet closed) as this thread has heard.
    int count() const { return int(m_live.size()); }
    bool contains(SessionId id) const { return m_live.contains(id); }
    std::optional<SessionId> find(const QString &wireId) const;
    // The routing attributes of an authenticated session.
    std::optional<QJsonObject> attributes(SessionId id) const;

    QList<SessionHost::Description> describeAll() const;
    void addGauges(Metrics::Gauges &gauges, const QDateTime &now) const;
    qint64 queuedFrames() const;
    bool allDrained() const;
    int recheckCredentials();
    // Adds what each worker's Metrics counted since the last call to the
    // server's; a no-op with one worker (its host counts there directly).
    void collectMetrics() const;

public Q_SLOTS:
    void upgrade(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);
    // The same for a bare descriptor (FrontDoor::webSocketDescriptorRequested):
    // one queued call takes it to its worker, which makes its socket.
    void upgradeDescriptor(qintptr descriptor, const QuantPush::FrontDoor::RequestHead &head);
    void deliver(const QList<QuantPush::SessionId> &sessions, const QuantPush::OutboundFrame &frame);
    void sendMessage(QuantPush::SessionId session, const QuantPush::Message &message);
    void sendError(QuantPush::SessionId session, QuantPush::ErrorCode code, const QString &text,
                   const QJsonValue &requestId);
    bool disconnectSession(QuantPush::SessionId session, int code, const QString &reason);
    void closeAll(int code, const QString &reason);

Q_SIGNALS:
    void sessionOpened(QuantPush::SessionId session);
    void sessionAuthenticated(QuantPush::SessionId session, const QuantPush::Identity &identity,
                              const QJsonObject &attributes);
    void sessionClosed(QuantPush::SessionId session);
    void subscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                            const QuantPush::SubscribeRequest &request, const QuantPush::Filter &authorisationFilter);
    void unsubscribeRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                              const QuantPush::UnsubscribeRequest &request);
    void publishRequested(QuantPush::SessionId session, const QJsonValue &requestId,
                          const QuantPush::PublishRequest &request);
    void adminRequested(QuantPush::SessionId session, const QJsonValue &requestId, QuantPush::MessageType type,
                        const QJsonValue &data);

private:
    struct Worker
    {
        SessionHost *host = nullptr;
        QThread *thread = nullptr;   // null: the host lives on this thread
        Metrics *metrics = nullptr;  // the worker's own; null when on this thread
    };

    // Where the next new connection goes: round robin.
    const Worker &nextWorker() { return m_workers[m_nextWorker++ % m_workers.size()]; }
    const Worker &owner(SessionId id) const { return m_workers[std::size_t((id - 1) % m_workers.size())]; }
    // Runs `work` on the worker's thread: queued (in order with every other
    // call queued to it), or at once when the worker is this thread.
    template<typename Work>
    void post(const Worker &worker, Work &&work) const;
    // Runs `work` on the worker's thread and waits for it.
    template<typename Work>
    void wait(const Worker &worker, Work &&work) const;
    void connectHost(SessionHost *host);
    void handOver(QTcpSocket *socket, const FrontDoor::RequestHead &head);

    std::vector<Worker> m_workers;
    QSet<SessionId> m_live;
    QHash<SessionId, QJsonObject> m_attributes;
    Metrics *m_metrics;
    std::size_t m_nextWorker = 0;
};

} // namespace QuantPush
