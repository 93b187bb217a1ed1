#include "SessionWorkers.h"

#include "Logging.h"
#include "eventloop/EpollEventDispatcher.h"
#include "eventloop/EventLoopChoice.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtNetwork/QTcpSocket>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

SessionWorkers::SessionWorkers(const ServerConfig &config, Admission *admission, const Authenticator *authenticator,
                               const Permissions *permissions, Metrics *metrics, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
{
    // What crosses threads in queued signals.
    qRegisterMetaType<SessionId>("QuantPush::SessionId");
    qRegisterMetaType<Identity>();
    qRegisterMetaType<SubscribeRequest>();
    qRegisterMetaType<UnsubscribeRequest>();
    qRegisterMetaType<PublishRequest>();
    qRegisterMetaType<Filter>();
    qRegisterMetaType<MessageType>();

    const int count = std::max(1, config.websocket.workerThreads);
    // The main thread is the first of them: it owns a share of the
    // connections beside the front door and the broadcaster, with direct
    // calls and the server's own Metrics (with 1, all of them, as before
    // threads). So N is the number of busy threads, not N + 1: on two cores
    // a third busy thread was the one too many (docs/benchmarks.md, session 22).
    auto *local = new SessionHost(config, admission, authenticator, permissions, metrics, clock, this, SessionId(1),
                                  SessionId(count));
    m_workers.push_back({local, nullptr, nullptr});
    connectHost(local);
    if (count == 1)
        return;
    // Each worker runs the event dispatcher this thread runs (main installs
    // the one --event-loop names).
    const bool epoll =
        qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(QThread::currentThread())) != nullptr;
    for (int i = 1; i < count; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(u"quantpush-worker-%1"_s.arg(i));
        if (epoll)
            EventLoopChoice::installForThread(thread, EventLoopKind::Epoll);
        auto *workerMetrics = new Metrics;
        auto *host = new SessionHost(config, admission, authenticator, permissions, workerMetrics, clock, nullptr,
                                     SessionId(i + 1), SessionId(count));
        workerMetrics->moveToThread(thread);
        host->moveToThread(thread);
        // Deleted on their own thread as it ends (the host first: its
        // sessions count into the Metrics while they go).
        connect(thread, &QThread::finished, host, &QObject::deleteLater);
        connect(thread, &QThread::finished, workerMetrics, &QObject::deleteLater);
        m_workers.push_back({host, thread, workerMetrics});
        connectHost(host);
    }
    qCInfo(lcWorkers) << count << "threads own the connections: the main thread and" << count - 1 << "workers"
                      << (epoll ? "(epoll)" : "(poll)");
}

SessionWorkers::~SessionWorkers()
{
    shutdown();
}

template<typename Work>
void SessionWorkers::post(const Worker &worker, Work &&work) const
{
    if (!worker.host)
        return; // shut down
    if (!worker.thread)
        work();
    else
        QMetaObject::invokeMethod(worker.host, std::forward<Work>(work), Qt::QueuedConnection);
}

template<typename Work>
void SessionWorkers::wait(const Worker &worker, Work &&work) const
{
    if (!worker.host)
        return; // shut down
    // Before start() a worker's thread runs nothing yet: nothing races a direct call.
    if (!worker.thread || !worker.thread->isRunning())
        work();
    else
        QMetaObject::invokeMethod(worker.host, std::forward<Work>(work), Qt::BlockingQueuedConnection);
}

void SessionWorkers::connectHost(SessionHost *host)
{
    // Queued when the host is on a worker: this thread learns of each
    // session in the order the worker reported it.
    connect(host, &SessionHost::sessionOpened, this, [this](SessionId id) {
        m_live.insert(id);
        Q_EMIT sessionOpened(id);
    });
    connect(host, &SessionHost::sessionAuthenticated, this,
            [this](SessionId id, const Identity &identity, const QJsonObject &attributes) {
                if (!m_live.contains(id))
                    return;
                m_attributes.insert(id, attributes);
                Q_EMIT sessionAuthenticated(id, identity, attributes);
            });
    connect(host, &SessionHost::sessionClosed, this, [this](SessionId id) {
        m_live.remove(id);
        m_attributes.remove(id);
        Q_EMIT sessionClosed(id);
    });
    connect(host, &SessionHost::subscribeRequested, this, &SessionWorkers::subscribeRequested);
    connect(host, &SessionHost::unsubscribeRequested, this, &SessionWorkers::unsubscribeRequested);
    connect(host, &SessionHost::publishRequested, this, &SessionWorkers::publishRequested);
    connect(host, &SessionHost::adminRequested, this, &SessionWorkers::adminRequested);
}

void SessionWorkers::start()
{
    for (const Worker &worker : m_workers) {
        if (worker.thread)
            worker.thread->start();
        post(worker, [host = worker.host] { host->start(); });
    }
}

void SessionWorkers::shutdown()
{
    for (Worker &worker : m_workers) {
        if (!worker.thread || !worker.host)
            continue;
        if (worker.thread->isRunning()) {
            // The host and its Metrics are deleted on that thread as it finishes.
            worker.thread->quit();
            worker.thread->wait();
        } else {
            delete worker.host; // never started: nothing runs there
            delete worker.metrics;
        }
        worker.host = nullptr;
        worker.metrics = nullptr;
    }
}

std::optional<SessionId> SessionWorkers::find(const QString &wireId) const
{
    bool ok = false;
    const SessionId id = wireId.toULongLong(&ok);
    if (!ok || !m_live.contains(id))
        return std::nullopt;
    return id;
}

std::optional<QJsonObject> SessionWorkers::attributes(SessionId id) const
{
    const auto it = m_attributes.constFind(id);
    if (it == m_attributes.cend())
        return std::nullopt;
    return *it;
}

QList<SessionHost::Description> SessionWorkers::describeAll() const
{
    QList<SessionHost::Description> all;
    for (const Worker &worker : m_workers)
        wait(worker, [&all, host = worker.host] { all += host->describeAll(); });
    return all;
}

void SessionWorkers::addGauges(Metrics::Gauges &gauges, const QDateTime &now) const
{
    for (const Worker &worker : m_workers)
        wait(worker, [&gauges, &now, host = worker.host] { host->addGauges(gauges, now); });
}

qint64 SessionWorkers::queuedFrames() const
{
    qint64 queued = 0;
    for (const Worker &worker : m_workers)
        wait(worker, [&queued, host = worker.host] { queued += host->queuedFrames(); });
    return queued;
}

bool SessionWorkers::allDrained() const
{
    bool drained = true;
    for (const Worker &worker : m_workers)
        wait(worker, [&drained, host = worker.host] { drained = host->allDrained() && drained; });
    return drained;
}

int SessionWorkers::recheckCredentials()
{
    int closed = 0;
    for (const Worker &worker : m_workers)
        wait(worker, [&closed, host = worker.host] { closed += host->recheckCredentials(); });
    return closed;
}

void SessionWorkers::collectMetrics() const
{
    for (const Worker &worker : m_workers) {
        if (worker.metrics)
            wait(worker, [this, from = worker.metrics] { m_metrics->absorb(*from); });
    }
}

void SessionWorkers::upgrade(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    if (m_workers.size() == 1 && !m_workers.front().thread) {
        post(m_workers.front(), [host = m_workers.front().host, socket, &head] { host->upgrade(socket, head); });
        return;
    }
    // Not from inside the socket's own signal (the front door's readyRead):
    // the socket changes threads from a fresh turn of this loop.
    QMetaObject::invokeMethod(
        this, [this, guard = QPointer<QTcpSocket>(socket), head] {
            if (guard)
                handOver(guard, head);
        },
        Qt::QueuedConnection);
}

void SessionWorkers::upgradeDescriptor(qintptr descriptor, const FrontDoor::RequestHead &head)
{
    const Worker &worker = nextWorker();
    if (!worker.host) {
        ::close(int(descriptor)); // shut down: nobody will serve it
        return;
    }
    post(worker, [host = worker.host, descriptor, head] { host->upgradeDescriptor(descriptor, head); });
}

void SessionWorkers::handOver(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    // Before the upgrade: the socket (with the head it has buffered, and for
    // wss its TLS state) moves to a worker, whose SessionHost then answers
    // the handshake there (the connection and its session stay on it).
    const Worker &worker = nextWorker();
    if (!worker.thread) {
        worker.host->upgrade(socket, head); // the main thread's share: it stays here
        return;
    }
    socket->setParent(nullptr);
    socket->moveToThread(worker.thread);
    qCDebug(lcWorkers).noquote() << socket->peerAddress().toString() << "handed to" << worker.thread->objectName();
    post(worker, [host = worker.host, socket, head] { host->upgrade(socket, head); });
}

void SessionWorkers::deliver(const QList<SessionId> &sessions, const OutboundFrame &frame)
{
    if (m_workers.size() == 1 && !m_workers.front().thread) {
        post(m_workers.front(), [host = m_workers.front().host, &sessions, &frame] { host->deliver(sessions, frame); });
        return;
    }
    // One queued call per worker with recipients: the frame itself is shared.
    std::vector<QList<SessionId>> byWorker(m_workers.size());
    for (SessionId id : sessions)
        byWorker[std::size_t((id - 1) % m_workers.size())].append(id);
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        if (byWorker[i].isEmpty())
            continue;
        post(m_workers[i], [host = m_workers[i].host, ids = std::move(byWorker[i]), frame] { host->deliver(ids, frame); });
    }
}

void SessionWorkers::sendMessage(SessionId session, const Message &message)
{
    const Worker &worker = owner(session);
    post(worker, [host = worker.host, session, message] { host->sendMessage(session, message); });
}

void SessionWorkers::sendError(SessionId session, ErrorCode code, const QString &text, const QJsonValue &requestId)
{
    const Worker &worker = owner(session);
    post(worker, [host = worker.host, session, code, text, requestId] { host->sendError(session, code, text, requestId); });
}

bool SessionWorkers::disconnectSession(SessionId session, int code, const QString &reason)
{
    if (!m_live.contains(session))
        return false;
    const Worker &worker = owner(session);
    post(worker, [host = worker.host, session, code, reason] { host->disconnectSession(session, code, reason); });
    return true;
}

void SessionWorkers::closeAll(int code, const QString &reason)
{
    for (const Worker &worker : m_workers)
        post(worker, [host = worker.host, code, reason] { host->closeAll(code, reason); });
}

} // namespace QuantPush
