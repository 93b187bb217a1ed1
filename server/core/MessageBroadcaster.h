#pragma once

#include "ChannelHistory.h"
#include "Delivery.h"
#include "protocol/Requests.h"

#include <QtCore/QObject>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace QuantPush {

class Broker;
class Clock;
class StrategyQueue;

// Publishes through the broker (which stamps seq and ts and keeps the
// history), runs the strategy queues on what the broker delivers to this
// node, and when a queue releases, encodes each message (or batch) once and
// hands that one frame to every matching session.
class MessageBroadcaster : public QObject
{
    Q_OBJECT
public:
    // Who should get a message: the facade answers from the subscription index.
    using RecipientResolver = std::function<QList<SessionId>(SubscriptionType, qint64 seq, const QJsonObject &data,
                                                             const Filter &recipientFilter)>;

    // Without a broker, a LocalBroker of its own (one node). `clock`: the
    // batch and rate windows' time (the system clock when null).
    MessageBroadcaster(const ServerConfig &config, QObject *parent = nullptr, Clock *clock = nullptr);
    MessageBroadcaster(const ServerConfig &config, Broker *broker, QObject *parent = nullptr, Clock *clock = nullptr);
    ~MessageBroadcaster() override;

    void setRecipientResolver(RecipientResolver resolver) { m_resolve = std::move(resolver); }

    struct PublishResult
    {
        qint64 seq = 0;
        int recipients = 0; // subscribers matching when it was published (on this node)
        std::optional<ErrorCode> error; // the broker refused it (broker_unavailable)
        QString errorText;
        bool pending = false;           // the broker answers later: use the callback form
    };
    using PublishDone = std::function<void(const PublishResult &)>;
    // Counting recipients of a message that a strategy holds back costs one
    // extra routing pass; producers that ignore the count skip it.
    enum class RecipientCount { Count, Skip };
    // With LocalBroker the result is final; with a remote broker it is
    // `pending` and only the callback form learns the seq.
    PublishResult publish(const PublishRequest &request, RecipientCount count = RecipientCount::Count);
    void publish(const PublishRequest &request, RecipientCount count, PublishDone done);

    // How many sessions `request` would reach if published now (a dry run:
    // no seq, no history, nothing sent).
    int countRecipients(const PublishRequest &request) const;

    qint64 lastSeq(SubscriptionType channel) const;
    int pending(SubscriptionType channel) const;
    using ReplayDone = std::function<void(qint64 lastSeq, const ChannelHistory::Replay &replay)>;
    // `done` runs at once with LocalBroker, later with a remote broker.
    void replay(SubscriptionType channel, qint64 since, std::function<bool(const PublishedMessage &)> accept,
                ReplayDone done) const;
    // The synchronous form, for brokers that answer at once (LocalBroker);
    // a broker that would answer later yields recovered: false.
    ChannelHistory::Replay replay(SubscriptionType channel, qint64 since,
                                  const std::function<bool(const PublishedMessage &)> &accept) const;
    Broker *broker() const { return m_broker; }
    // Before the server starts only (start_without_redis falls back to LocalBroker).
    void setBroker(Broker *broker);
    // A replayed message as a frame for one session (resume).
    OutboundFrame frameFor(const PublishedMessagePtr &message) const;

    // Releases every queued message now (graceful shutdown).
    void flushAll();

Q_SIGNALS:
    void published(QuantPush::SubscriptionType channel);
    void coalesced(QuantPush::SubscriptionType channel);
    void deliver(const QList<QuantPush::SessionId> &sessions, const QuantPush::OutboundFrame &frame);

private:
    struct ChannelState
    {
        std::array<StrategyQueue *, 4> queues {};
    };

    void onArrived(const PublishedMessagePtr &message);
    StrategyQueue *queueFor(SubscriptionType channel, BroadcastStrategy strategy);
    void release(SubscriptionType channel, const QList<PublishedMessagePtr> &messages, bool asBatch);
    void releaseOne(const PublishedMessagePtr &message);
    void releaseBatch(SubscriptionType channel, const QList<PublishedMessagePtr> &messages);
    void emitBatch(SubscriptionType channel, const QList<PublishedMessagePtr> &messages,
                   const QList<SessionId> &sessions);
    OutboundFrame frameOf(SubscriptionType channel, TextFrame wire,
                          const QList<PublishedMessagePtr> &messages) const;

    const ServerConfig &m_config;
    Clock *m_clock;
    Broker *m_broker;
    std::array<ChannelState, SubscriptionTypeCount> m_channels;
    RecipientResolver m_resolve;
};

} // namespace QuantPush
