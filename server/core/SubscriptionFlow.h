#pragma once

#include "ChannelHistory.h"
#include "TokenBucket.h"
#include "Delivery.h"
#include "config/ServerConfig.h"
#include "protocol/Filter.h"
#include "protocol/Requests.h"

#include <QtCore/QHash>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>

namespace QuantPush {

class Clock;
class MessageBroadcaster;
class SessionWorkers;
class SubscriptionManager;

// Answers subscribe and unsubscribe requests: the filter limits, the
// subscription itself, and with `since` the replay from history, so that a
// resumed subscriber gets every seq exactly once (history, then live).
class SubscriptionFlow : public QObject
{
    Q_OBJECT
public:
    SubscriptionFlow(const ServerConfig &config, SubscriptionManager *subscriptions, MessageBroadcaster *broadcaster,
                     SessionWorkers *sessions, Clock *clock, QObject *parent = nullptr);

    void subscribe(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                   const Filter &authorisationFilter);
    void unsubscribe(SessionId session, const QJsonValue &requestId, const UnsubscribeRequest &request);
    // The session is gone: its replay budget goes with it.
    void forgetSession(SessionId session) { m_replayBudgets.remove(session); }

private:
    void subscribeAfter(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                        const Filter &authorisationFilter, qint64 lastSeq, const ChannelHistory::Replay *history);
    // Why a filter is refused, or empty when it fits this connection's limits.
    QString filterLimitError(SessionId session, const Filter &filter) const;
    void replay(SessionId session, const SubscribeRequest &request, const ChannelHistory::Replay &history);
    // Takes `messages` from the session's replay budget: false when they do not fit.
    bool takeReplayBudget(SessionId session, qsizetype messages);

    LimitsConfig m_limits;
    SubscriptionManager *m_subscriptions;
    MessageBroadcaster *m_broadcaster;
    SessionWorkers *m_sessions;
    Clock *m_clock;
    // Why a budget: a subscribe with since:0 costs a client 60 bytes and
    // the server a replay of the whole history (2.3 MB of market_data);
    // looping subscribe/unsubscribe under the inbound rate limit pulled
    // 140 MB/s from two connections (review, session 26).
    double m_replayBurst;
    QHash<SessionId, TokenBucket> m_replayBudgets;
};

} // namespace QuantPush
