#include "SubscriptionManager.h"

#include "Logging.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {
// Shared filters are swept after this many removals: often enough that the
// table stays near the live filters, rarely enough to cost nothing per removal.
constexpr int SweepEvery = 1024;
} // namespace

// One message's verdicts per distinct filter, keyed by the filter's shared
// conditions (the same pointer means the same conditions during one match).
// Bounded: with more distinct filters than slots the rest are evaluated
// directly, as before.
class SubscriptionManager::FilterMemo
{
public:
    bool matches(const Filter &filter, const QJsonObject &data)
    {
        if (filter.isEmpty())
            return true;
        const void *key = filter.conditions().constData();
        for (int i = 0; i < m_size; ++i) {
            if (m_entries[std::size_t(i)].key == key)
                return m_entries[std::size_t(i)].result;
        }
        const bool result = filter.matches(data);
        if (m_size < int(m_entries.size()))
            m_entries[std::size_t(m_size++)] = {key, result};
        return result;
    }

private:
    struct Entry
    {
        const void *key = nullptr;
        bool result = false;
    };
    std::array<Entry, 16> m_entries {};
    int m_size = 0;
};

SubscriptionManager::SubscriptionManager(int maxPerSession, QObject *parent)
    : QObject(parent), m_maxPerSession(maxPerSession)
{
}

void SubscriptionManager::setSessionAttributes(SessionId session, const QJsonObject &attributes)
{
    m_sessionAttributes.insert(session, attributes);
}

std::optional<SubscriptionManager::Subscription>
SubscriptionManager::subscribe(SessionId session, SubscriptionType channel, const Filter &clientFilter,
                               const Filter &authorisationFilter, qint64 afterSeq)
{
    if (countForSession(session) >= m_maxPerSession)
        return std::nullopt;
    Subscription subscription {u"sub-%1"_s.arg(m_nextId++), session, channel, intern(clientFilter),
                               intern(authorisationFilter), afterSeq};
    m_byId.insert(subscription.id, subscription);
    m_byChannel[std::size_t(channel)][session].append(subscription);
    changed(channel);
    m_bySession[session].append(subscription.id);
    qCDebug(lcSubscription) << "session" << session << "subscribed" << wireName(channel) << subscription.id;
    Q_EMIT subscribed(subscription.id, session, channel);
    return subscription;
}

void SubscriptionManager::remove(const QString &subscriptionId)
{
    const auto it = m_byId.constFind(subscriptionId);
    if (it == m_byId.constEnd())
        return;
    const Subscription subscription = it.value();
    m_byId.erase(it);
    auto &channelIndex = m_byChannel[std::size_t(subscription.channel)];
    changed(subscription.channel);
    auto channelIt = channelIndex.find(subscription.session);
    if (channelIt != channelIndex.end()) {
        channelIt->removeIf([&subscriptionId](const Subscription &s) { return s.id == subscriptionId; });
        if (channelIt->isEmpty())
            channelIndex.erase(channelIt);
    }
    auto sessionIt = m_bySession.find(subscription.session);
    if (sessionIt != m_bySession.end()) {
        sessionIt->removeOne(subscriptionId);
        if (sessionIt->isEmpty())
            m_bySession.erase(sessionIt);
    }
    Q_EMIT unsubscribed(subscriptionId, subscription.session, subscription.channel);
    if (++m_removalsSinceSweep >= SweepEvery)
        sweepInterned();
}

Filter SubscriptionManager::intern(const Filter &filter)
{
    if (filter.isEmpty())
        return filter;
    const QByteArray key = filter.fingerprint();
    const auto it = m_interned.constFind(key);
    if (it != m_interned.cend())
        return *it;
    m_interned.insert(key, filter);
    return filter;
}

void SubscriptionManager::sweepInterned()
{
    m_removalsSinceSweep = 0;
    // Only the table's own copy left: no subscription uses it.
    m_interned.removeIf([](const QHash<QByteArray, Filter>::iterator &it) { return it->conditions().isDetached(); });
}

QStringList SubscriptionManager::unsubscribe(SessionId session, const QString &subscriptionId)
{
    const auto it = m_byId.constFind(subscriptionId);
    if (it == m_byId.constEnd() || it->session != session)
        return {};
    remove(subscriptionId);
    return {subscriptionId};
}

QStringList SubscriptionManager::unsubscribeChannel(SessionId session, SubscriptionType channel)
{
    QStringList ids;
    for (const Subscription &subscription : m_byChannel[std::size_t(channel)].value(session))
        ids.append(subscription.id);
    for (const QString &id : std::as_const(ids))
        remove(id);
    return ids;
}

QStringList SubscriptionManager::reauthorise(SessionId session,
                                             const std::function<std::optional<Filter>(SubscriptionType)> &authorise)
{
    QStringList ended;
    const QStringList ids = m_bySession.value(session);
    for (const QString &id : ids) {
        const auto it = m_byId.find(id);
        if (it == m_byId.end())
            continue;
        const std::optional<Filter> filter = authorise(it->channel);
        if (!filter) {
            ended.append(id);
            continue;
        }
        const Filter shared = intern(*filter);
        changed(it->channel);
        it->authorisationFilter = shared;
        for (Subscription &indexed : m_byChannel[std::size_t(it->channel)][session]) {
            if (indexed.id == id)
                indexed.authorisationFilter = shared;
        }
    }
    for (const QString &id : std::as_const(ended))
        remove(id);
    return ended;
}

void SubscriptionManager::removeSession(SessionId session)
{
    const QStringList ids = m_bySession.value(session);
    for (const QString &id : ids)
        remove(id);
    m_sessionAttributes.remove(session);
}

bool SubscriptionManager::accepts(const Subscription &subscription, qint64 seq, const QJsonObject &data)
{
    return seq > subscription.afterSeq && subscription.authorisationFilter.matches(data)
        && subscription.clientFilter.matches(data);
}

const std::vector<SubscriptionManager::Route> &SubscriptionManager::routes(SubscriptionType channel) const
{
    std::vector<Route> &routes = m_routes[std::size_t(channel)];
    if (!m_routesStale[std::size_t(channel)])
        return routes;
    m_routesStale[std::size_t(channel)] = false;
    routes.clear();
    const auto &index = m_byChannel[std::size_t(channel)];
    for (auto it = index.cbegin(); it != index.cend(); ++it) {
        for (const Subscription &subscription : it.value())
            routes.push_back({it.key(), subscription.afterSeq, subscription.authorisationFilter, subscription.clientFilter});
    }
    // A burst of unsubscribes should not keep a big array for a few routes.
    if (routes.capacity() > 2 * routes.size() + 64)
        routes.shrink_to_fit();
    return routes;
}

QList<SessionId> SubscriptionManager::match(SubscriptionType channel, qint64 seq, const QJsonObject &data,
                                            const Filter &recipientFilter) const
{
    QList<SessionId> sessions;
    const std::vector<Route> &all = routes(channel);
    sessions.reserve(qsizetype(all.size()));
    FilterMemo memo;
    // A session's routes are adjacent: once one matched (or the publisher's
    // recipient filter ruled the session out), its others are skipped.
    bool first = true;
    bool decided = false;
    SessionId current = 0;
    for (const Route &route : all) {
        if (first || route.session != current) {
            first = false;
            current = route.session;
            decided = !recipientFilter.isEmpty() && !recipientFilter.matches(m_sessionAttributes.value(current));
        }
        if (decided)
            continue;
        if (seq > route.afterSeq && memo.matches(route.authorisationFilter, data)
            && memo.matches(route.clientFilter, data)) {
            sessions.append(current);
            decided = true;
        }
    }
    return sessions;
}

bool SubscriptionManager::sessionMatches(SessionId session, SubscriptionType channel, qint64 seq,
                                         const QJsonObject &data) const
{
    for (const Subscription &subscription : m_byChannel[std::size_t(channel)].value(session)) {
        if (accepts(subscription, seq, data))
            return true;
    }
    return false;
}

int SubscriptionManager::count(SubscriptionType channel) const
{
    int total = 0;
    for (const QList<Subscription> &subscriptions : m_byChannel[std::size_t(channel)])
        total += int(subscriptions.size());
    return total;
}

int SubscriptionManager::countForSession(SessionId session) const
{
    return int(m_bySession.value(session).size());
}

QList<SubscriptionManager::Subscription> SubscriptionManager::subscriptionsOf(SessionId session) const
{
    QList<Subscription> list;
    for (const QString &id : m_bySession.value(session))
        list.append(m_byId.value(id));
    return list;
}

QList<SessionId> SubscriptionManager::sessionsAwaiting(SubscriptionType channel, qint64 seq) const
{
    QList<SessionId> sessions;
    const auto &index = m_byChannel[std::size_t(channel)];
    for (auto it = index.cbegin(); it != index.cend(); ++it) {
        if (std::any_of(it.value().cbegin(), it.value().cend(),
                        [seq](const Subscription &subscription) { return subscription.afterSeq < seq; }))
            sessions.append(it.key());
    }
    return sessions;
}

} // namespace QuantPush
