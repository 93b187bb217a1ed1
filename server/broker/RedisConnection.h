#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayList>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>

#include <functional>
#include <memory>

struct redisAsyncContext;
struct redisReply;
class QTimer;
class RedisQtAdapter;

namespace QuantPush {

// One asynchronous Redis connection (hiredis with its Qt adapter) on the
// caller's event loop. hiredis 0.14 has no timeouts of its own: a connect or
// a command that takes longer than `timeoutMs` drops the connection, which
// answers every pending command with a null reply and emits `disconnected`.
// The owner decides when to reconnect.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    RedisConnection(QString name, QObject *parent = nullptr);
    ~RedisConnection() override;

    void connectTo(const QString &host, int port, int timeoutMs);
    void disconnectFromRedis(const QString &reason);
    bool isConnected() const { return m_state == State::Connected; }

    // `reply` is null when the connection failed before the answer; it is
    // valid only during the call.
    using ReplyHandler = std::function<void(const redisReply *reply)>;
    void command(const QByteArrayList &arguments, ReplyHandler handler);
    // SUBSCRIBE: `handler` gets every pushed ["message", channel, payload]
    // (and the subscribe confirmations) until the connection ends.
    void subscribe(const QByteArrayList &channels, ReplyHandler handler);

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);

private:
    enum class State { Idle, Connecting, Connected };
    struct Pending;

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onPushed(redisAsyncContext *context, void *reply, void *privdata);
    void connectionEnded(const QString &reason);
    void writeNow();
    void disposeAdapter();
    void checkTimeouts();

    QString m_name;
    State m_state = State::Idle;
    redisAsyncContext *m_context = nullptr;
    RedisQtAdapter *m_adapter = nullptr;
    // Rebinding the adapter here before deleting it keeps its destructor
    // from writing into a context hiredis already freed.
    std::unique_ptr<redisAsyncContext> m_parking;
    QTimer *m_timer;
    int m_timeoutMs = 2000;
    qint64 m_connectStartedMs = 0;
    quint64 m_nextPending = 1;
    QHash<quint64, Pending *> m_pending;
    std::unique_ptr<ReplyHandler> m_pushHandler;
};

} // namespace QuantPush
