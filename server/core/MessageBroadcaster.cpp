#include "MessageBroadcaster.h"

#include "Clock.h"
#include "Logging.h"
#include "broker/LocalBroker.h"
#include "StrategyQueue.h"
#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <algorithm>
#include <map>

namespace QuantPush {

MessageBroadcaster::MessageBroadcaster(const ServerConfig &config, QObject *parent, Clock *clock)
    : MessageBroadcaster(config, new LocalBroker(config), parent, clock)
{
    m_broker->setParent(this);
}

MessageBroadcaster::MessageBroadcaster(const ServerConfig &config, Broker *broker, QObject *parent, Clock *clock)
    : QObject(parent), m_config(config), m_clock(clock ? clock : Clock::system()), m_broker(broker)
{
    connect(m_broker, &Broker::messageArrived, this, &MessageBroadcaster::onArrived);
}

MessageBroadcaster::~MessageBroadcaster() = default;

StrategyQueue *MessageBroadcaster::queueFor(SubscriptionType channel, BroadcastStrategy strategy)
{
    StrategyQueue *&queue = m_channels[std::size_t(channel)].queues[std::size_t(strategy)];
    if (!queue) {
        queue = StrategyQueue::create(strategy, m_config.channel(channel), m_clock, this);
        connect(queue, &StrategyQueue::released, this,
                [this, channel](const QList<PublishedMessagePtr> &messages, bool asBatch) {
                    release(channel, messages, asBatch);
                });
        connect(queue, &StrategyQueue::coalesced, this,
                [this, channel](const PublishedMessagePtr &) { Q_EMIT coalesced(channel); });
    }
    return queue;
}

MessageBroadcaster::PublishResult MessageBroadcaster::publish(const PublishRequest &request, RecipientCount count)
{
    PublishResult result;
    result.pending = true;
    // A broker that answers later must not write to this dead stack frame.
    auto alive = std::make_shared<bool>(true);
    publish(request, count, [&result, alive](const PublishResult &answer) {
        if (*alive)
            result = answer;
    });
    *alive = false;
    return result;
}

void MessageBroadcaster::publish(const PublishRequest &request, RecipientCount count, PublishDone done)
{
    m_broker->publish(request, [this, request, count, done = std::move(done)](const Broker::Outcome &outcome) {
        PublishResult result {outcome.seq, 0, outcome.error, outcome.errorText, false};
        if (!outcome.error) {
            const PublishedMessagePtr &message = outcome.message;
            if (message && message->released) // immediate: routed already
                result.recipients = message->recipients;
            else if (count == RecipientCount::Count && m_resolve) // held by a strategy, or still on its way back
                result.recipients
                    = int(m_resolve(request.channel, outcome.seq, request.payload, request.recipientFilter).size());
        }
        if (done)
            done(result);
    });
}

void MessageBroadcaster::onArrived(const PublishedMessagePtr &message)
{
    ChannelState &state = m_channels[std::size_t(message->channel)];
    Q_EMIT published(message->channel);
    const BroadcastStrategy strategy = message->strategy.value_or(m_config.channel(message->channel).strategy);
    StrategyQueue *queue = queueFor(message->channel, strategy);
    // Messages still held under another strategy of this channel are older:
    // they go first, so subscribers see the channel in seq order.
    for (StrategyQueue *other : state.queues) {
        if (other && other != queue && other->pending() > 0)
            other->flush();
    }
    queue->enqueue(message);
}

void MessageBroadcaster::setBroker(Broker *broker)
{
    disconnect(m_broker, &Broker::messageArrived, this, &MessageBroadcaster::onArrived);
    m_broker = broker;
    connect(m_broker, &Broker::messageArrived, this, &MessageBroadcaster::onArrived);
}

qint64 MessageBroadcaster::lastSeq(SubscriptionType channel) const
{
    return m_broker->lastSeq(channel);
}

int MessageBroadcaster::countRecipients(const PublishRequest &request) const
{
    if (!m_resolve)
        return 0;
    // With a remote broker lastSeq is this node's latest view; the seq only
    // decides which resuming sessions the message would skip.
    const qint64 nextSeq = lastSeq(request.channel) + 1;
    return int(m_resolve(request.channel, nextSeq, request.payload, request.recipientFilter).size());
}

int MessageBroadcaster::pending(SubscriptionType channel) const
{
    int total = 0;
    for (const StrategyQueue *queue : m_channels[std::size_t(channel)].queues)
        total += queue ? queue->pending() : 0;
    return total;
}

void MessageBroadcaster::replay(SubscriptionType channel, qint64 since,
                                std::function<bool(const PublishedMessage &)> accept, ReplayDone done) const
{
    m_broker->replay(channel, since, std::move(accept), std::move(done));
}

ChannelHistory::Replay MessageBroadcaster::replay(SubscriptionType channel, qint64 since,
                                                  const std::function<bool(const PublishedMessage &)> &accept) const
{
    ChannelHistory::Replay result;
    result.recovered = false;
    // Only a broker that answers before returning can fill `result`; the
    // guard keeps a late answer from writing to a dead stack frame.
    auto alive = std::make_shared<bool>(true);
    m_broker->replay(channel, since, accept, [&result, alive](qint64, const ChannelHistory::Replay &replay) {
        if (*alive)
            result = replay;
    });
    *alive = false;
    return result;
}

void MessageBroadcaster::flushAll()
{
    for (ChannelState &state : m_channels) {
        for (StrategyQueue *queue : state.queues) {
            if (queue)
                queue->flush();
        }
    }
}

void MessageBroadcaster::release(SubscriptionType channel, const QList<PublishedMessagePtr> &messages, bool asBatch)
{
    for (const PublishedMessagePtr &message : messages)
        message->released = true;
    if (asBatch) {
        releaseBatch(channel, messages);
        return;
    }
    for (const PublishedMessagePtr &message : messages)
        releaseOne(message);
}

OutboundFrame MessageBroadcaster::frameOf(SubscriptionType channel, TextFrame wire,
                                          const QList<PublishedMessagePtr> &messages) const
{
    const ChannelConfig &config = m_config.channel(channel);
    OutboundFrame frame;
    frame.wire = std::move(wire);
    frame.channel = channel;
    frame.firstSeq = messages.first()->seq;
    frame.lastSeq = messages.last()->seq;
    frame.publishedAtUs = messages.first()->ts;
    frame.slowPolicy = config.slowConsumer;
    if (config.ack)
        frame.needsAck = messages;
    return frame;
}

OutboundFrame MessageBroadcaster::frameFor(const PublishedMessagePtr &message) const
{
    return frameOf(message->channel, message->frame, {message});
}

void MessageBroadcaster::releaseOne(const PublishedMessagePtr &message)
{
    if (!m_resolve)
        return;
    const QList<SessionId> sessions = m_resolve(message->channel, message->seq, message->data, message->recipientFilter);
    message->recipients = int(sessions.size());
    if (sessions.isEmpty())
        return;
    Q_EMIT deliver(sessions, frameFor(message));
}

void MessageBroadcaster::releaseBatch(SubscriptionType channel, const QList<PublishedMessagePtr> &messages)
{
    if (!m_resolve)
        return;
    QList<QList<SessionId>> recipientsOf;
    recipientsOf.reserve(messages.size());
    bool everyoneGetsEverything = true;
    for (const PublishedMessagePtr &message : messages) {
        recipientsOf.append(m_resolve(channel, message->seq, message->data, message->recipientFilter));
        message->recipients = int(recipientsOf.last().size());
        everyoneGetsEverything = everyoneGetsEverything && recipientsOf.last() == recipientsOf.first();
    }
    // The usual case: one batch, encoded once, for every recipient.
    if (everyoneGetsEverything) {
        if (!recipientsOf.first().isEmpty())
            emitBatch(channel, messages, recipientsOf.first());
        return;
    }
    // Subscribers with filters match different subsets: group sessions by the
    // subset they match, so each distinct batch is still encoded once.
    std::map<SessionId, std::vector<int>> matchedBySession;
    for (int i = 0; i < messages.size(); ++i) {
        for (SessionId session : recipientsOf.at(i))
            matchedBySession[session].push_back(i);
    }
    std::map<std::vector<int>, QList<SessionId>> sessionsBySubset;
    for (auto &[session, subset] : matchedBySession)
        sessionsBySubset[subset].append(session);
    for (const auto &[subset, sessions] : sessionsBySubset) {
        QList<PublishedMessagePtr> included;
        for (int index : subset)
            included.append(messages.at(index));
        emitBatch(channel, included, sessions);
    }
}

void MessageBroadcaster::emitBatch(SubscriptionType channel, const QList<PublishedMessagePtr> &messages,
                                   const QList<SessionId> &sessions)
{
    QJsonArray items;
    for (const PublishedMessagePtr &message : messages)
        items.append(Message::push(channel, message->seq, message->ts, message->data).toJson());
    Message batch(MessageType::Batch, items);
    batch.setChannel(channel);
    Q_EMIT deliver(sessions, frameOf(channel, TextFrame::fromUtf8(batch.serialize()), messages));
}

} // namespace QuantPush
