#pragma once

#include "Broker.h"

#include <QtCore/QJsonArray>

#include <array>
#include <memory>

class QTimer;
struct redisReply;

namespace QuantPush {

class RedisConnection;

// Several nodes on one Redis (docs/operations.md "Running several nodes").
// A publish is one Lua script (seq, stream entry, PUBLISH); every node,
// the publisher included, receives it from its SUBSCRIBE connection and
// runs its own strategy queues. History for resume is this node's cache of
// what arrived, and the Redis stream for what is older than the cache.
// Lost Redis: publishes are refused (broker_unavailable); on reconnect the
// node resubscribes and catches up from the stream, and announces a gap for
// anything the stream no longer has.
class RedisBroker : public Broker
{
    Q_OBJECT
public:
    explicit RedisBroker(const ServerConfig &config, QObject *parent = nullptr);
    ~RedisBroker() override;

    bool start(QString *error) override;
    void stop() override;
    void publish(const PublishRequest &request, PublishDone done) override;
    void replay(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done) override;
    qint64 lastSeq(SubscriptionType channel) const override { return m_channels[std::size_t(channel)].lastSeq; }
    bool isAvailable() const override { return m_available; }
    QJsonObject health() const override;
    QJsonObject describe() const override;

    QString nodeId() const { return m_nodeId; }

private:
    struct ChannelState
    {
        qint64 lastSeq = 0;      // highest seq that arrived here
        qint64 highestSeen = 0;  // also counting seqs Redis assigned to this node's publishes
        std::unique_ptr<ChannelHistory> cache;
    };
    struct Arrival
    {
        SubscriptionType channel;
        qint64 seq;
        QByteArray body;
    };

    bool loadInitialState(QString *error);
    void connectAll();
    void onCommandsConnected();
    void onSubscriberConnected();
    void onConnectionLost(const QString &which, const QString &reason);
    void onPushed(const redisReply *reply);
    void replayAhead(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done);
    void catchUp();
    void finishCatchUp();
    void arrive(SubscriptionType channel, qint64 seq, const QByteArray &body);
    PublishedMessagePtr decode(SubscriptionType channel, qint64 seq, const QByteArray &body) const;
    void setAvailable(bool available, const QString &reason);
    void heartbeat();
    QByteArray key(const char *kind, SubscriptionType channel) const;

    const ServerConfig &m_config;
    QString m_nodeId;
    QByteArray m_prefix = QByteArrayLiteral("quantpush:");
    RedisConnection *m_commands;
    RedisConnection *m_subscriber;
    QTimer *m_reconnect;
    QTimer *m_heartbeat;
    std::array<ChannelState, SubscriptionTypeCount> m_channels;
    bool m_started = false;
    bool m_stopping = false;
    bool m_available = false;
    bool m_subscribed = false;
    bool m_catchingUp = false;
    int m_catchUpPending = 0;
    QList<Arrival> m_buffered;            // pushed while catching up
    std::array<QList<Arrival>, SubscriptionTypeCount> m_caughtUp;
    QString m_unavailableReason;
    QJsonArray m_clusterNodes;            // from the last heartbeat
    qint64 m_startedMs = 0;
};

} // namespace QuantPush
