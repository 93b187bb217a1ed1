#pragma once

#include "ChannelHistory.h"
#include "Delivery.h"
#include "protocol/Requests.h"

#include <QtCore/QObject>

#include <array>
#include <functional>
#include <memory>

namespace QuantPush {

class Clock;
class StrategyQueue;

// Stamps every published message with its channel seq and ts, keeps the
// channel history, runs the strategy queues, and when a queue releases,
// encodes each message (or batch) once and hands that one frame to every
// matching session.
class MessageBroadcaster : public QObject
{
    Q_OBJECT
public:
    // Who should get a message: the facade answers from the subscription index.
    using RecipientResolver = std::function<QList<SessionId>(SubscriptionType, qint64 seq, const QJsonObject &data,
                                                             const Filter &recipientFilter)>;

    // `clock`: the batch and rate windows' time (the system clock when null).
    MessageBroadcaster(const ServerConfig &config, QObject *parent = nullptr, Clock *clock = nullptr);
    ~MessageBroadcaster() override;

    void setRecipientResolver(RecipientResolver resolver) { m_resolve = std::move(resolver); }

    struct PublishResult
    {
        qint64 seq = 0;
        int recipients = 0; // subscribers matching when it was published
    };
    // Counting recipients of a message that a strategy holds back costs one
    // extra routing pass; producers that ignore the count skip it.
    enum class RecipientCount { Count, Skip };
    PublishResult publish(const PublishRequest &request, RecipientCount count = RecipientCount::Count);

    // How many sessions `request` would reach if published now (a dry run:
    // no seq, no history, nothing sent).
    int countRecipients(const PublishRequest &request) const;

    qint64 lastSeq(SubscriptionType channel) const { return m_channels[std::size_t(channel)].lastSeq; }
    int pending(SubscriptionType channel) const;
    ChannelHistory::Replay replay(SubscriptionType channel, qint64 since,
                                  const std::function<bool(const PublishedMessage &)> &accept) const;
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
        qint64 lastSeq = 0;
        std::unique_ptr<ChannelHistory> history;
        std::array<StrategyQueue *, 4> queues {};
    };

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
    std::array<ChannelState, SubscriptionTypeCount> m_channels;
    RecipientResolver m_resolve;
};

} // namespace QuantPush
