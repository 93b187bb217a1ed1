#include "RedisConnection.h"

#include "Logging.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimer>

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

struct RedisConnection::Pending
{
    RedisConnection *owner = nullptr;
    quint64 id = 0;
    qint64 sentMs = 0;
    ReplyHandler handler;
};

RedisConnection::RedisConnection(QString name, QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_parking(std::make_unique<redisAsyncContext>()), m_timer(new QTimer(this))
{
    std::memset(static_cast<void *>(m_parking.get()), 0, sizeof(redisAsyncContext));
    connect(m_timer, &QTimer::timeout, this, &RedisConnection::checkTimeouts);
}

RedisConnection::~RedisConnection()
{
    blockSignals(true);
    disconnectFromRedis(u"shutting down"_s);
}

void RedisConnection::connectTo(const QString &host, int port, int timeoutMs)
{
    if (m_state != State::Idle)
        return;
    m_timeoutMs = timeoutMs;
    redisAsyncContext *context = redisAsyncConnect(host.toUtf8().constData(), port);
    if (!context || context->err) {
        const QString reason = context ? QString::fromUtf8(context->errstr) : u"out of memory"_s;
        if (context)
            redisAsyncFree(context);
        // Reported from the event loop, like every other outcome.
        QTimer::singleShot(0, this, [this, reason] { Q_EMIT disconnected(reason); });
        return;
    }
    m_context = context;
    m_context->data = this;
    m_adapter = new RedisQtAdapter();
    m_adapter->setContext(m_context);
    redisAsyncSetConnectCallback(m_context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(m_context, &RedisConnection::onDisconnect);
    m_state = State::Connecting;
    m_connectStartedMs = nowMs();
    m_timer->start(std::max(10, std::min(250, timeoutMs / 4)));
}

void RedisConnection::disconnectFromRedis(const QString &reason)
{
    if (m_state == State::Idle)
        return;
    redisAsyncContext *context = m_context;
    // Called from timers and from the owner, never from inside a hiredis
    // callback: the context is freed here and now, answering every pending
    // command with a null reply (and calling onDisconnect when connected).
    context->data = nullptr;
    m_context = nullptr;
    m_state = State::Idle;
    redisAsyncFree(context);
    disposeAdapter();
    m_timer->stop();
    for (Pending *pending : std::as_const(m_pending)) // answered by the free above; none expected
        pending->owner = nullptr;
    m_pending.clear();
    m_pushHandler.reset();
    Q_EMIT disconnected(reason);
}

void RedisConnection::disposeAdapter()
{
    if (!m_adapter)
        return;
    m_adapter->setContext(m_parking.get());
    delete m_adapter;
    m_adapter = nullptr;
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        const QString reason = QString::fromUtf8(context->errstr);
        // hiredis frees the context when this returns.
        self->m_context = nullptr;
        self->connectionEnded(reason);
        return;
    }
    self->m_state = State::Connected;
    qCDebug(lcBroker) << self->m_name << "connected";
    Q_EMIT self->connected();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    const QString reason = status == REDIS_OK ? u"closed"_s : QString::fromUtf8(context->errstr);
    self->m_context = nullptr;
    self->connectionEnded(reason.isEmpty() ? u"connection lost"_s : reason);
}

void RedisConnection::connectionEnded(const QString &reason)
{
    m_state = State::Idle;
    m_timer->stop();
    m_pushHandler.reset();
    // The adapter goes once hiredis has finished freeing the context.
    QPointer<RedisQtAdapter> adapter = m_adapter;
    m_adapter = nullptr;
    QTimer::singleShot(0, this, [this, adapter] {
        if (!adapter)
            return;
        adapter->setContext(m_parking.get());
        delete adapter.data();
    });
    qCDebug(lcBroker) << m_name << "ended:" << reason;
    Q_EMIT disconnected(reason);
}

void RedisConnection::command(const QByteArrayList &arguments, ReplyHandler handler)
{
    if (m_state != State::Connected) {
        handler(nullptr);
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(std::size_t(arguments.size()));
    lengths.reserve(std::size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(std::size_t(argument.size()));
    }
    auto *pending = new Pending {this, m_nextPending++, nowMs(), std::move(handler)};
    m_pending.insert(pending->id, pending);
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        m_pending.remove(pending->id);
        pending->handler(nullptr);
        delete pending;
        return;
    }
    if (!m_timer->isActive())
        m_timer->start(std::max(10, std::min(250, m_timeoutMs / 4)));
    writeNow();
}

void RedisConnection::writeNow()
{
    // hiredis's Qt adapter writes a command when its write notifier fires:
    // on the next event-loop turn, behind whatever else that turn does (on a
    // busy node, a whole fan-out of deliveries), and every node's delivery of
    // a publish waits for it. Written here it leaves at once; only what the
    // kernel does not take waits for the notifier. Not from inside a hiredis
    // callback: a failed write frees the context, which the callback's caller
    // still uses (it writes when the callback returns anyway).
    if (m_context && (m_context->c.flags & REDIS_CONNECTED) && !(m_context->c.flags & REDIS_IN_CALLBACK))
        redisAsyncHandleWrite(m_context); // a failure ends the connection: onDisconnect, handlers get null
}

void RedisConnection::onReply(redisAsyncContext *, void *reply, void *privdata)
{
    auto *pending = static_cast<Pending *>(privdata);
    if (pending->owner)
        pending->owner->m_pending.remove(pending->id);
    pending->handler(static_cast<const redisReply *>(reply));
    delete pending;
}

void RedisConnection::subscribe(const QByteArrayList &channels, ReplyHandler handler)
{
    if (m_state != State::Connected)
        return;
    m_pushHandler = std::make_unique<ReplyHandler>(std::move(handler));
    QByteArrayList arguments {QByteArrayLiteral("SUBSCRIBE")};
    arguments += channels;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : std::as_const(arguments)) {
        argv.push_back(argument.constData());
        lengths.push_back(std::size_t(argument.size()));
    }
    redisAsyncCommandArgv(m_context, &RedisConnection::onPushed, m_pushHandler.get(), int(argv.size()), argv.data(),
                          lengths.data());
}

void RedisConnection::onPushed(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    // A null reply comes while hiredis frees the context; the handler may be gone.
    if (!reply || !self || self->m_pushHandler.get() != privdata)
        return;
    (*self->m_pushHandler)(static_cast<const redisReply *>(reply));
}

void RedisConnection::checkTimeouts()
{
    const qint64 now = nowMs();
    if (m_state == State::Connecting && now - m_connectStartedMs > m_timeoutMs) {
        disconnectFromRedis(u"no connection within %1 ms"_s.arg(m_timeoutMs));
        return;
    }
    if (m_state != State::Connected)
        return;
    for (const Pending *pending : std::as_const(m_pending)) {
        if (now - pending->sentMs > m_timeoutMs) {
            qCWarning(lcBroker) << m_name << "no answer within" << m_timeoutMs << "ms: dropping the connection";
            disconnectFromRedis(u"no answer within %1 ms"_s.arg(m_timeoutMs));
            return;
        }
    }
    if (m_pending.isEmpty())
        m_timer->stop();
}

} // namespace QuantPush
