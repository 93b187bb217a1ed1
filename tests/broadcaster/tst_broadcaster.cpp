#include "Clock.h"
#include "Histogram.h"
#include "MessageBroadcaster.h"
#include "SubscriptionManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

PublishRequest request(SubscriptionType channel, QJsonObject payload, int priority = DefaultPriority)
{
    PublishRequest r;
    r.channel = channel;
    r.payload = std::move(payload);
    r.priority = priority;
    return r;
}

Filter filter(const char *json)
{
    QString error;
    return *Filter::parse(QJsonDocument::fromJson(json).object(), &error);
}

struct Delivered
{
    QList<SessionId> sessions;
    OutboundFrame frame;
    QJsonObject json() const { return QJsonDocument::fromJson(frame.wire.payload().toByteArray()).object(); }
};

} // namespace

class tst_Broadcaster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void seqAndTsPerChannel();
    void immediateSharesOneFrame();
    void batchedByCountAndInterval();
    void batchedGroupsSubscribersBySubset();
    void priorityOrdersABurst();
    void rateLimitedWindowAndCoalescing();
    void subscriptionIndex();
    void equalFiltersSharedDistinctFiltersApart();
    void weightedLatencySamples();
    void afterSeqHidesOlderMessages();
    void gapNoticeOnlyForSubscriptionsWaitingForTheSeqs();
    void historyReplay();

private:
    void track();

    ServerConfig m_config;
    FakeClock m_clock;
    std::unique_ptr<SubscriptionManager> m_subscriptions;
    std::unique_ptr<MessageBroadcaster> m_broadcaster;
    QList<Delivered> m_delivered;
};

void tst_Broadcaster::init()
{
    m_config = ServerConfig::defaults();
    m_delivered.clear();
}

void tst_Broadcaster::track()
{
    m_subscriptions = std::make_unique<SubscriptionManager>(100);
    m_broadcaster = std::make_unique<MessageBroadcaster>(m_config, nullptr, &m_clock);
    m_broadcaster->setRecipientResolver([this](SubscriptionType c, qint64 seq, const QJsonObject &d, const Filter &f) {
        return m_subscriptions->match(c, seq, d, f);
    });
    connect(m_broadcaster.get(), &MessageBroadcaster::deliver, this,
            [this](const QList<SessionId> &sessions, const OutboundFrame &frame) { m_delivered.append({sessions, frame}); });
}

void tst_Broadcaster::seqAndTsPerChannel()
{
    track();
    m_subscriptions->subscribe(1, SubscriptionType::StrategyStatus, {}, {}, 0);
    const auto a = m_broadcaster->publish(request(SubscriptionType::StrategyStatus, {{u"n"_s, 1}}));
    const auto b = m_broadcaster->publish(request(SubscriptionType::StrategyStatus, {{u"n"_s, 2}}));
    const auto c = m_broadcaster->publish(request(SubscriptionType::RiskAlerts, {{u"n"_s, 3}}));
    QCOMPARE(a.seq, 1);
    QCOMPARE(b.seq, 2);
    QCOMPARE(c.seq, 1); // sequences are per channel
    QCOMPARE(a.recipients, 1);
    QCOMPARE(c.recipients, 0);
    QCOMPARE(m_delivered.size(), 2);
    const QJsonObject first = m_delivered.at(0).json();
    QCOMPARE(first.value(Key::Type).toString(), u"strategy_status"_s);
    QCOMPARE(first.value(Key::Channel).toString(), u"strategy_status"_s);
    QCOMPARE(first.value(Key::Seq).toInteger(), 1);
    const qint64 ts = first.value(Key::Ts).toInteger();
    QVERIFY(qAbs(ts - nowMicroseconds()) < 60LL * 1000 * 1000);
}

void tst_Broadcaster::immediateSharesOneFrame()
{
    track();
    for (SessionId s = 1; s <= 50; ++s)
        m_subscriptions->subscribe(s, SubscriptionType::OrderUpdates, {}, {}, 0);
    m_broadcaster->publish(request(SubscriptionType::OrderUpdates, {{u"account"_s, u"A1"_s}}));
    QCOMPARE(m_delivered.size(), 1); // one frame for all fifty
    QCOMPARE(m_delivered.first().sessions.size(), 50);
    QCOMPARE(m_delivered.first().frame.needsAck.size(), 1); // an acknowledged channel
}

void tst_Broadcaster::batchedByCountAndInterval()
{
    m_config.channel(SubscriptionType::MarketData).batchMaxMessages = 3;
    m_config.channel(SubscriptionType::MarketData).batchIntervalMs = 30;
    track();
    m_subscriptions->subscribe(1, SubscriptionType::MarketData, {}, {}, 0);
    for (int i = 0; i < 4; ++i)
        m_broadcaster->publish(request(SubscriptionType::MarketData, {{u"i"_s, i}}));
    QCOMPARE(m_delivered.size(), 1); // the count limit released three at once
    QJsonObject batch = m_delivered.first().json();
    QCOMPARE(batch.value(Key::Type).toString(), u"batch"_s);
    QCOMPARE(batch.value(Key::Channel).toString(), u"market_data"_s);
    QJsonArray items = batch.value(Key::Data).toArray();
    QCOMPARE(items.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(items.at(i).toObject().value(Key::Seq).toInteger(), i + 1);
        QCOMPARE(items.at(i).toObject().value(Key::Type).toString(), u"market_data"_s);
    }
    m_clock.advance(29);
    QCOMPARE(m_delivered.size(), 1); // not before the interval ends
    m_clock.advance(1);
    QCOMPARE(m_delivered.size(), 2); // the fourth leaves when the interval ends
    items = m_delivered.at(1).json().value(Key::Data).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value(Key::Seq).toInteger(), 4);
}

void tst_Broadcaster::batchedGroupsSubscribersBySubset()
{
    track();
    m_subscriptions->subscribe(1, SubscriptionType::MarketData, {}, {}, 0);
    m_subscriptions->subscribe(2, SubscriptionType::MarketData, {}, {}, 0);
    m_subscriptions->subscribe(3, SubscriptionType::MarketData, filter(R"({"symbol":"BTC"})"), {}, 0);
    m_broadcaster->publish(request(SubscriptionType::MarketData, {{u"symbol"_s, u"BTC"_s}}));
    m_broadcaster->publish(request(SubscriptionType::MarketData, {{u"symbol"_s, u"ETH"_s}}));
    m_broadcaster->flushAll();
    QCOMPARE(m_delivered.size(), 2); // {1,2} share one frame, {3} gets its own
    for (const Delivered &d : std::as_const(m_delivered)) {
        const int items = int(d.json().value(Key::Data).toArray().size());
        if (d.sessions.contains(3)) {
            QCOMPARE(d.sessions.size(), 1);
            QCOMPARE(items, 1);
        } else {
            QCOMPARE(d.sessions.size(), 2);
            QCOMPARE(items, 2);
        }
    }
}

void tst_Broadcaster::priorityOrdersABurst()
{
    track();
    m_subscriptions->subscribe(1, SubscriptionType::TradingSignals, {}, {}, 0);
    const QList<int> priorities {1, 9, 5, 3, 9, 0, 5, 7};
    for (int p : priorities)
        m_broadcaster->publish(request(SubscriptionType::TradingSignals, {{u"p"_s, p}}, p));
    QCOMPARE(m_delivered.size(), 0); // held until the event loop turns
    QTRY_COMPARE(m_delivered.size(), priorities.size());
    QList<std::pair<int, qint64>> order;
    for (const Delivered &d : std::as_const(m_delivered))
        order.append({d.json().value(Key::Data).toObject().value(u"p"_s).toInt(), d.frame.firstSeq});
    const QList<std::pair<int, qint64>> expected {{9, 2}, {9, 5}, {7, 8}, {5, 3}, {5, 7}, {3, 4}, {1, 1}, {0, 6}};
    QCOMPARE(order, expected);
}

void tst_Broadcaster::rateLimitedWindowAndCoalescing()
{
    m_config.channel(SubscriptionType::SystemMonitor).rateLimitPerSec = 4;
    track();
    m_subscriptions->subscribe(1, SubscriptionType::SystemMonitor, {}, {}, 0);
    QList<qint64> releasedAt;
    connect(m_broadcaster.get(), &MessageBroadcaster::deliver, this, [&] { releasedAt.append(m_clock.nowMs()); });
    QHash<QString, qint64> newestSeq;
    for (int i = 0; i < 30; ++i) {
        const QString key = u"k%1"_s.arg(i % 3);
        newestSeq[key] = m_broadcaster->publish(request(SubscriptionType::SystemMonitor, {{u"key"_s, key}, {u"i"_s, i}})).seq;
    }
    QCOMPARE(m_delivered.size(), 4); // the window's allowance, at once
    m_clock.advance(999);
    QCOMPARE(m_delivered.size(), 4); // nothing more inside the first second
    m_clock.advance(2);
    QCOMPARE(m_delivered.size(), 7); // then the newest of each of the three keys
    m_clock.advance(5000);
    QCOMPARE(m_delivered.size(), 7); // and nothing else, nothing twice
    QCOMPARE(m_clock.activeTimers(), 0);

    for (int i = 4; i < releasedAt.size(); ++i)
        QVERIFY2(releasedAt.at(i) - releasedAt.at(i - 4) >= 1000, "more than 4 releases inside one second");
    QSet<qint64> seen;
    for (const Delivered &d : std::as_const(m_delivered))
        QVERIFY(!std::exchange(seen, seen).contains(d.frame.firstSeq) && (seen.insert(d.frame.firstSeq), true));
    for (int i = 4; i < 7; ++i) {
        const QJsonObject data = m_delivered.at(i).json().value(Key::Data).toObject();
        QCOMPARE(m_delivered.at(i).frame.firstSeq, newestSeq.value(data.value(u"key"_s).toString()));
    }
}

void tst_Broadcaster::subscriptionIndex()
{
    SubscriptionManager index(2);
    const auto a = index.subscribe(1, SubscriptionType::MarketData, filter(R"({"symbol":"BTC"})"), {}, 0);
    const auto b = index.subscribe(1, SubscriptionType::MarketData, filter(R"({"symbol":["BTC","ETH"]})"), {}, 0);
    QVERIFY(a && b);
    QVERIFY(!index.subscribe(1, SubscriptionType::RiskAlerts, {}, {}, 0)); // over the per-session limit
    index.subscribe(2, SubscriptionType::MarketData, {}, filter(R"({"account":{"in":["A1"]}})"), 0);
    const QJsonObject btc {{u"symbol"_s, u"BTC"_s}};
    QCOMPARE(index.match(SubscriptionType::MarketData, 1, btc, {}), QList<SessionId> {1}); // once, not twice
    QVERIFY(index.match(SubscriptionType::RiskAlerts, 1, btc, {}).isEmpty());
    QCOMPARE(index.match(SubscriptionType::MarketData, 1, {{u"account"_s, u"A1"_s}}, {}), QList<SessionId> {2});
    QCOMPARE(index.count(SubscriptionType::MarketData), 3);
    QCOMPARE(index.unsubscribe(2, a->id), QStringList {}); // not its subscription
    QCOMPARE(index.unsubscribe(1, a->id), QStringList {a->id});
    QCOMPARE(index.unsubscribeChannel(1, SubscriptionType::MarketData), QStringList {b->id});
    index.removeSession(2);
    QCOMPARE(index.count(), 0);
}

void tst_Broadcaster::equalFiltersSharedDistinctFiltersApart()
{
    // Routing shares equal filters and evaluates each distinct one once per
    // message: more distinct account filters than its per-message memo
    // holds, each used by several sessions, must still route exactly.
    SubscriptionManager index(4);
    constexpr int Accounts = 40;
    constexpr int PerAccount = 3;
    SessionId next = 1;
    QList<SubscriptionManager::Subscription> firstOfAccount;
    for (int a = 0; a < Accounts; ++a) {
        for (int k = 0; k < PerAccount; ++k) {
            const auto sub = index.subscribe(next++, SubscriptionType::OrderUpdates,
                                             k == 1 ? filter(R"({"side":"buy"})") : Filter {},
                                             Filter::absentOrIn(u"account"_s, {u"A%1"_s.arg(a)}), 0);
            QVERIFY(sub);
            if (k == 0)
                firstOfAccount.append(*sub);
            else // the same account's filter: one shared copy
                QVERIFY(sub->authorisationFilter.conditions().isSharedWith(firstOfAccount.last().authorisationFilter.conditions()));
        }
    }
    QVERIFY(!firstOfAccount[0].authorisationFilter.conditions().isSharedWith(firstOfAccount[1].authorisationFilter.conditions()));
    for (int a = 0; a < Accounts; ++a) {
        const SessionId base = SessionId(a * PerAccount + 1);
        QList<SessionId> sell = index.match(SubscriptionType::OrderUpdates, 1,
                                            {{u"account"_s, u"A%1"_s.arg(a)}, {u"side"_s, u"sell"_s}}, {});
        std::sort(sell.begin(), sell.end());
        QCOMPARE(sell, (QList<SessionId> {base, base + 2}));
        QList<SessionId> buy = index.match(SubscriptionType::OrderUpdates, 1,
                                           {{u"account"_s, u"A%1"_s.arg(a)}, {u"side"_s, u"buy"_s}}, {});
        std::sort(buy.begin(), buy.end());
        QCOMPARE(buy, (QList<SessionId> {base, base + 1, base + 2}));
    }
    // No account: every session's authorisation lets it through.
    QCOMPARE(index.match(SubscriptionType::OrderUpdates, 1, {{u"side"_s, u"sell"_s}}, {}).size(), Accounts * 2);
    // Churn past the sweep of unused shared filters: routing stays exact.
    for (int round = 0; round < 1100; ++round) {
        const SessionId id = 100000 + SessionId(round);
        QVERIFY(index.subscribe(id, SubscriptionType::OrderUpdates, {}, Filter::absentOrIn(u"account"_s, {u"B%1"_s.arg(round % 7)}), 0));
        index.removeSession(id);
    }
    QVERIFY(index.subscribe(7, SubscriptionType::MarketData, {}, Filter::absentOrIn(u"account"_s, {u"B3"_s}), 0));
    QCOMPARE(index.match(SubscriptionType::MarketData, 1, {{u"account"_s, u"B3"_s}}, {}), QList<SessionId> {7});
    QVERIFY(index.match(SubscriptionType::MarketData, 1, {{u"account"_s, u"B4"_s}}, {}).isEmpty());
    QCOMPARE(index.count(SubscriptionType::OrderUpdates), Accounts * PerAccount);
}

void tst_Broadcaster::weightedLatencySamples()
{
    // One fan-out's recipients are recorded as one weighted observation:
    // the same as that many single ones.
    Histogram weighted = Histogram::latencySeconds();
    Histogram single = Histogram::latencySeconds();
    weighted.observe(0.002, 1000);
    weighted.observe(0.040, 10);
    for (int i = 0; i < 1000; ++i)
        single.observe(0.002);
    for (int i = 0; i < 10; ++i)
        single.observe(0.040);
    QCOMPARE(weighted.count(), quint64(1010));
    QCOMPARE(weighted.bucketCounts(), single.bucketCounts());
    QCOMPARE(weighted.quantile(0.99), single.quantile(0.99));
    QVERIFY(qAbs(weighted.sum() - single.sum()) < 1e-9);
    QCOMPARE(weighted.max(), 0.040);
}

void tst_Broadcaster::afterSeqHidesOlderMessages()
{
    SubscriptionManager index(10);
    index.subscribe(1, SubscriptionType::MarketData, {}, {}, 5);
    QVERIFY(index.match(SubscriptionType::MarketData, 5, {}, {}).isEmpty());
    QCOMPARE(index.match(SubscriptionType::MarketData, 6, {}, {}).size(), 1);
}

void tst_Broadcaster::gapNoticeOnlyForSubscriptionsWaitingForTheSeqs()
{
    SubscriptionManager index(10);
    index.subscribe(1, SubscriptionType::OrderUpdates, {}, {}, 3);  // waits for 4 on
    index.subscribe(2, SubscriptionType::OrderUpdates, {}, {}, 9);  // resumed after 9
    index.subscribe(3, SubscriptionType::MarketData, {}, {}, 0);
    QCOMPARE(index.sessionsAwaiting(SubscriptionType::OrderUpdates, 9), QList<SessionId> {1});
    QCOMPARE(index.sessionsAwaiting(SubscriptionType::OrderUpdates, 10).size(), 2);
    QVERIFY(index.sessionsAwaiting(SubscriptionType::OrderUpdates, 3).isEmpty());
}

void tst_Broadcaster::historyReplay()
{
    m_config.channel(SubscriptionType::OrderUpdates).historySize = 5;
    track();
    for (int i = 1; i <= 8; ++i)
        m_broadcaster->publish(request(SubscriptionType::OrderUpdates, {{u"account"_s, i % 2 ? u"A1"_s : u"B2"_s}}));
    const auto all = [](const PublishedMessage &) { return true; };
    auto replay = m_broadcaster->replay(SubscriptionType::OrderUpdates, 5, all);
    QVERIFY(replay.recovered);
    QCOMPARE(replay.messages.size(), 3);
    QCOMPARE(replay.messages.first()->seq, 6);
    replay = m_broadcaster->replay(SubscriptionType::OrderUpdates, 1, all); // 2 and 3 were evicted
    QVERIFY(!replay.recovered);
    QCOMPARE(replay.messages.first()->seq, 4);
    replay = m_broadcaster->replay(SubscriptionType::OrderUpdates, 8, all);
    QVERIFY(replay.recovered);
    QVERIFY(replay.messages.isEmpty());
    replay = m_broadcaster->replay(SubscriptionType::OrderUpdates, 20, all); // seqs this server never reached
    QVERIFY(!replay.recovered);
    QVERIFY(replay.messages.isEmpty());
    const Filter a1 = filter(R"({"account":"A1"})");
    replay = m_broadcaster->replay(SubscriptionType::OrderUpdates, 3, [&](const PublishedMessage &m) { return a1.matches(m.data); });
    QCOMPARE(replay.messages.size(), 2); // 5 and 7
}

QTEST_GUILESS_MAIN(tst_Broadcaster)
#include "tst_broadcaster.moc"
