#pragma once

#include "Delivery.h"
#include "protocol/Filter.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace QuantPush {

// The subscription index: channel → subscriptions for routing, session →
// subscriptions for cleanup. Routing a message looks at the subscribers of
// its channel only, never at every session.
class SubscriptionManager : public QObject
{
    Q_OBJECT
public:
    struct Subscription
    {
        QString id;
        SessionId session = 0;
        SubscriptionType channel = SubscriptionType::TradingSignals;
        Filter clientFilter;        // what the client asked for
        Filter authorisationFilter; // what its credentials allow (e.g. its accounts)
        // Only messages with a higher seq are for this subscription: the
        // channel's seq when it subscribed, or the `since` it resumed from.
        qint64 afterSeq = 0;
    };

    explicit SubscriptionManager(int maxPerSession, QObject *parent = nullptr);

    // Attributes a publisher's recipient filter is matched against
    // (user, role, session_id, remote_address).
    void setSessionAttributes(SessionId session, const QJsonObject &attributes);

    // nullopt when the session is at its subscription limit.
    std::optional<Subscription> subscribe(SessionId session, SubscriptionType channel, const Filter &clientFilter,
                                          const Filter &authorisationFilter, qint64 afterSeq);
    // The removed subscription ids (empty when nothing matched).
    QStringList unsubscribe(SessionId session, const QString &subscriptionId);
    QStringList unsubscribeChannel(SessionId session, SubscriptionType channel);
    void removeSession(SessionId session);
    // After the session's identity changed (anonymous to authenticated):
    // `authorise` gives each channel's new authorisation filter, or nullopt
    // when the channel is no longer allowed (those subscriptions end; their
    // ids are returned).
    QStringList reauthorise(SessionId session,
                            const std::function<std::optional<Filter>(SubscriptionType)> &authorise);

    // Sessions with at least one subscription of the channel matching `data`,
    // each listed once.
    QList<SessionId> match(SubscriptionType channel, qint64 seq, const QJsonObject &data,
                           const Filter &recipientFilter) const;
    // Whether one session's subscriptions of the channel accept `data`.
    bool sessionMatches(SessionId session, SubscriptionType channel, qint64 seq, const QJsonObject &data) const;

    // Every session with a subscription of the channel that was waiting for
    // `seq` (it started before it), filters aside: who gets a gap notice.
    QList<SessionId> sessionsAwaiting(SubscriptionType channel, qint64 seq) const;

    int count() const { return int(m_byId.size()); }
    int count(SubscriptionType channel) const;
    int countForSession(SessionId session) const;
    QList<Subscription> subscriptionsOf(SessionId session) const;

Q_SIGNALS:
    void subscribed(const QString &subscriptionId, QuantPush::SessionId session, QuantPush::SubscriptionType channel);
    void unsubscribed(const QString &subscriptionId, QuantPush::SessionId session, QuantPush::SubscriptionType channel);

private:
    class FilterMemo;
    static bool accepts(const Subscription &subscription, qint64 seq, const QJsonObject &data);
    void remove(const QString &subscriptionId);
    // The shared copy of a filter equal to `filter` (perf: 1,000 traders
    // each had their own copy of the same account filter, and routing
    // looked the account up in every message once per subscriber: a fifth of
    // the server's CPU at the window row). Shared copies let match()
    // evaluate each distinct filter once per message.
    Filter intern(const Filter &filter);
    // Drops shared copies nobody uses any more (now and then, not per removal).
    void sweepInterned();

    int m_maxPerSession;
    quint64 m_nextId = 1;
    QHash<QString, Subscription> m_byId;
    // Per channel: session → its subscriptions on that channel, by value, so
    // routing a message touches no other table (the filters are shared data).
    std::array<QHash<SessionId, QList<Subscription>>, SubscriptionTypeCount> m_byChannel;
    QHash<SessionId, QStringList> m_bySession;
    QHash<SessionId, QJsonObject> m_sessionAttributes;
    // Per channel, what match() reads: one flat array, a session's
    // subscriptions next to each other, rebuilt when the channel's
    // subscriptions change (perf: walking the hash of lists missed the cache
    // once per subscriber and message).
    struct Route
    {
        SessionId session = 0;
        qint64 afterSeq = 0;
        Filter authorisationFilter;
        Filter clientFilter;
    };
    const std::vector<Route> &routes(SubscriptionType channel) const;
    void changed(SubscriptionType channel) { m_routesStale[std::size_t(channel)] = true; }
    mutable std::array<std::vector<Route>, SubscriptionTypeCount> m_routes;
    mutable std::array<bool, SubscriptionTypeCount> m_routesStale {};
    QHash<QByteArray, Filter> m_interned; // fingerprint → the shared copy
    int m_removalsSinceSweep = 0;
};

} // namespace QuantPush
