#include "SubscriptionFlow.h"

#include "Clock.h"
#include "Logging.h"
#include "MessageBroadcaster.h"
#include "SessionWorkers.h"
#include "SubscriptionManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QJsonArray>
#include <QtCore/QPointer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

// A resume of every channel's whole history fits at once.
double replayBurst(const ServerConfig &config)
{
    double burst = 0;
    for (const ChannelConfig &channel : config.channels)
        burst += channel.historySize;
    return std::max(burst, double(config.limits.replayMessagesPerSec));
}

} // namespace

SubscriptionFlow::SubscriptionFlow(const ServerConfig &config, SubscriptionManager *subscriptions,
                                   MessageBroadcaster *broadcaster, SessionWorkers *sessions, Clock *clock,
                                   QObject *parent)
    : QObject(parent)
    , m_limits(config.limits)
    , m_subscriptions(subscriptions)
    , m_broadcaster(broadcaster)
    , m_sessions(sessions)
    , m_clock(clock ? clock : Clock::system())
    , m_replayBurst(replayBurst(config))
{
}

bool SubscriptionFlow::takeReplayBudget(SessionId session, qsizetype messages)
{
    auto budget = m_replayBudgets.find(session);
    if (budget == m_replayBudgets.end())
        budget = m_replayBudgets.insert(session, TokenBucket(m_limits.replayMessagesPerSec, m_replayBurst));
    return budget->tryTake(m_clock->nowMs(), double(messages));
}

void SubscriptionFlow::subscribe(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                                 const Filter &authorisationFilter)
{
    if (!request.since) {
        subscribeAfter(session, requestId, request, authorisationFilter, m_broadcaster->lastSeq(request.channel),
                       nullptr);
        return;
    }
    // Replay applies the same rules as live routing: who the message was
    // addressed to (a publisher's recipient filter), then the filters.
    const QJsonObject attributes = m_sessions->attributes(session).value_or(QJsonObject());
    auto accept = [attributes, authorisationFilter, filter = request.filter](const PublishedMessage &message) {
        return message.recipientFilter.matches(attributes) && authorisationFilter.matches(message.data)
            && filter.matches(message.data);
    };
    // With a remote broker the history may come later: the subscription is
    // made when it is here, so nothing arrives live before the replay.
    m_broadcaster->replay(request.channel, *request.since, accept,
                          [this, guard = QPointer<SubscriptionFlow>(this), session, requestId, request,
                           authorisationFilter](qint64 lastSeq, const ChannelHistory::Replay &history) {
                              if (!guard || !m_sessions->contains(session))
                                  return;
                              subscribeAfter(session, requestId, request, authorisationFilter, lastSeq, &history);
                          });
}

QString SubscriptionFlow::filterLimitError(SessionId session, const Filter &filter) const
{
    // What a connection's filters may cost in memory and in matching work
    // for every publish: capped per subscription and in total.
    const int weight = filter.weight();
    if (weight > m_limits.maxFilterValues)
        return u"filters of %1 conditions and values, over limits.max_filter_values (%2)"_s.arg(weight).arg(
            m_limits.maxFilterValues);
    int held = 0;
    for (const SubscriptionManager::Subscription &existing : m_subscriptions->subscriptionsOf(session))
        held += existing.clientFilter.weight();
    if (held + weight > m_limits.maxFilterValuesPerConnection)
        return u"this connection's filters would total %1 conditions and values, over "
               "limits.max_filter_values_per_connection (%2)"_s.arg(held + weight).arg(
                   m_limits.maxFilterValuesPerConnection);
    return {};
}

void SubscriptionFlow::subscribeAfter(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                                      const Filter &authorisationFilter, qint64 lastSeq,
                                      const ChannelHistory::Replay *history)
{
    // Without `since` the subscription starts after what is published now;
    // with it, after `since`: older retained messages are replayed below and
    // the ones still queued by the strategy arrive live, each exactly once.
    const qint64 afterSeq = request.since ? std::min(*request.since, lastSeq) : lastSeq;
    if (const QString refusal = filterLimitError(session, request.filter); !refusal.isEmpty()) {
        m_sessions->sendError(session, ErrorCode::LimitExceeded, refusal, requestId);
        return;
    }
    if (history && !history->messages.isEmpty() && !takeReplayBudget(session, history->messages.size())) {
        m_sessions->sendError(session, ErrorCode::RateLimited,
                              u"resuming would replay %1 messages, over this connection's "
                              "limits.replay_messages_per_sec (%2): resume later, or from a later since"_s
                                  .arg(history->messages.size())
                                  .arg(m_limits.replayMessagesPerSec),
                              requestId);
        return;
    }
    const auto subscription =
        m_subscriptions->subscribe(session, request.channel, request.filter, authorisationFilter, afterSeq);
    if (!subscription) {
        m_sessions->sendError(session, ErrorCode::LimitExceeded,
                              u"at most %1 subscriptions per connection"_s.arg(m_limits.maxSubscriptions), requestId);
        return;
    }
    QJsonObject reply {
        {Key::SubscriptionId, subscription->id},
        {Key::Type, wireName(request.channel)},
        {Key::Seq, lastSeq},
    };
    if (!history) {
        m_sessions->sendMessage(session, Message::reply(MessageType::Subscribed, requestId, reply));
        return;
    }
    reply.insert(Key::Recovered, history->recovered);
    m_sessions->sendMessage(session, Message::reply(MessageType::Subscribed, requestId, reply));
    replay(session, request, *history);
}

void SubscriptionFlow::replay(SessionId session, const SubscribeRequest &request, const ChannelHistory::Replay &history)
{
    qCDebug(lcSubscription) << "session" << session << "resumes" << wireName(request.channel) << "after"
                            << *request.since << ":" << history.messages.size() << "messages, recovered"
                            << history.recovered;
    for (const PublishedMessagePtr &message : history.messages)
        m_sessions->deliver({session}, m_broadcaster->frameFor(message));
}

void SubscriptionFlow::unsubscribe(SessionId session, const QJsonValue &requestId, const UnsubscribeRequest &request)
{
    const QStringList removed = request.channel ? m_subscriptions->unsubscribeChannel(session, *request.channel)
                                                : m_subscriptions->unsubscribe(session, request.subscriptionId);
    if (removed.isEmpty()) {
        m_sessions->sendError(session, ErrorCode::NotFound, u"no such subscription"_s, requestId);
        return;
    }
    // One reply per request: by type it may end several subscriptions, all
    // listed in subscription_ids (subscription_id is the first of them).
    QJsonObject reply {{Key::SubscriptionId, removed.first()}};
    if (request.channel) {
        reply.insert(Key::Type, wireName(*request.channel));
        reply.insert(u"subscription_ids"_s, QJsonArray::fromStringList(removed));
    }
    m_sessions->sendMessage(session, Message::reply(MessageType::Unsubscribed, requestId, reply));
}

} // namespace QuantPush
