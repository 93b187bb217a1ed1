#pragma once

#include "ChannelHistory.h"
#include "Delivery.h"
#include "config/ServerConfig.h"
#include "protocol/Filter.h"
#include "protocol/Requests.h"

#include <QtCore/QJsonValue>
#include <QtCore/QObject>

namespace QuantPush {

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
    SubscriptionFlow(const LimitsConfig &limits, SubscriptionManager *subscriptions, MessageBroadcaster *broadcaster,
                     SessionWorkers *sessions, QObject *parent = nullptr);

    void subscribe(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                   const Filter &authorisationFilter);
    void unsubscribe(SessionId session, const QJsonValue &requestId, const UnsubscribeRequest &request);

private:
    void subscribeAfter(SessionId session, const QJsonValue &requestId, const SubscribeRequest &request,
                        const Filter &authorisationFilter, qint64 lastSeq, const ChannelHistory::Replay *history);
    // Why a filter is refused, or empty when it fits this connection's limits.
    QString filterLimitError(SessionId session, const Filter &filter) const;
    void replay(SessionId session, const SubscribeRequest &request, const ChannelHistory::Replay &history);

    LimitsConfig m_limits;
    SubscriptionManager *m_subscriptions;
    MessageBroadcaster *m_broadcaster;
    SessionWorkers *m_sessions;
};

} // namespace QuantPush
