// End to end over real sockets: subscribe with filters, all eight channels,
// and the four broadcast strategies as a client sees them.
#include "Clock.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QJsonArray>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

class tst_Pipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void welcomeFirst();
    void filteredTradingSignals();
    void allEightChannelsDeliver();
    void marketDataArrivesAsBatches();
    void priorityQueueSendsHigherFirstUnderBacklog();
    void rateLimitedKeepsRateAndNewestPerKey();
    void unsubscribeStopsDelivery();
    void unsubscribeByTypeAnswersOnce();
    void malformedFilterIsRejectedAtSubscribe();
    void bothEndpointsServe();
};

void tst_Pipeline::welcomeFirst()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    const QJsonObject welcome = client.frames().first();
    QCOMPARE(welcome.value(Key::Type).toString(), u"welcome"_s);
    const QJsonObject data = welcome.value(Key::Data).toObject();
    QVERIFY(!data.value(Key::SessionId).toString().isEmpty());
    QCOMPARE(data.value(Key::Protocol).toInt(), 1);
    QCOMPARE(data.value(Key::AuthRequired).toBool(), false);
    QVERIFY(data.value(Key::HeartbeatInterval).toInt() > 0);
    QVERIFY(data.value(Key::Server).toString().startsWith(u"QuantPush/"_s));
}

void tst_Pipeline::filteredTradingSignals()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    const auto reply = client.subscribe({{u"type"_s, u"trading_signals"_s}, {u"filters"_s, QJsonObject {{u"symbol"_s, u"BTCUSDT"_s}}}});
    QVERIFY(reply);
    QCOMPARE(reply->value(Key::Type).toString(), u"subscribed"_s);
    QVERIFY(reply->value(Key::Data).toObject().value(Key::SubscriptionId).toString().startsWith(u"sub-"_s));
    for (int i = 0; i < 20; ++i) {
        const QString symbol = i % 2 ? u"ETHUSDT"_s : u"BTCUSDT"_s;
        server->broadcastTradingSignal({{u"symbol"_s, symbol}, {u"side"_s, u"buy"_s}, {u"i"_s, i}}, 5);
    }
    // A last matching signal: once it is here, every earlier one has been
    // routed (same priority, seq order), so nothing filtered is still on its way.
    server->broadcastTradingSignal({{u"symbol"_s, u"BTCUSDT"_s}, {u"side"_s, u"sell"_s}, {u"i"_s, 20}}, 5);
    QTRY_COMPARE(client.pushesOn(u"trading_signals"_s).size(), 11);
    QList<QJsonObject> pushes = client.pushesOn(u"trading_signals"_s);
    QCOMPARE(pushes.takeLast().value(Key::Data).toObject().value(u"i"_s).toInt(), 20);
    qint64 lastSeq = 0;
    for (const QJsonObject &push : pushes) {
        QCOMPARE(push.value(Key::Type).toString(), u"trading_signal"_s);
        QCOMPARE(push.value(Key::Data).toObject().value(u"symbol"_s).toString(), u"BTCUSDT"_s);
        QVERIFY(push.value(Key::Seq).toInteger() > lastSeq); // equal priority keeps seq order
        lastSeq = push.value(Key::Seq).toInteger();
        QVERIFY(push.value(Key::Ts).toInteger() > 1'600'000'000'000'000LL);
    }
}

void tst_Pipeline::allEightChannelsDeliver()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    for (SubscriptionType channel : allSubscriptionTypes())
        QVERIFY(client.subscribe({{u"type"_s, wireName(channel)}}));
    const QJsonObject body {{u"account"_s, u"A1"_s}, {u"symbol"_s, u"BTCUSDT"_s}};
    server->broadcastTradingSignal(body);
    server->broadcastStrategyStatus(body);
    server->broadcastMarketData(body);
    server->broadcastSystemMonitor(body);
    server->broadcastOrderUpdate(body);
    server->broadcastPositionUpdate(body);
    server->broadcastRiskAlert(body);
    server->broadcastPerformanceMetrics(body);
    for (SubscriptionType channel : allSubscriptionTypes()) {
        QTRY_COMPARE(client.pushesOn(wireName(channel)).size(), 1);
        const QJsonObject push = client.pushesOn(wireName(channel)).first();
        QCOMPARE(push.value(Key::Type).toString(), wireName(pushTypeOf(channel)));
        QCOMPARE(push.value(Key::Seq).toInteger(), 1);
        QCOMPARE(push.value(Key::Data).toObject(), body);
    }
}

void tst_Pipeline::marketDataArrivesAsBatches()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"market_data"_s}}));
    for (int i = 0; i < 250; ++i)
        server->broadcastMarketData({{u"symbol"_s, u"BTCUSDT"_s}, {u"price"_s, 100 + i}});
    QTRY_COMPARE(client.pushesOn(u"market_data"_s).size(), 250);
    const QList<QJsonObject> batches = client.framesOfType(u"batch"_s);
    QCOMPARE(batches.size(), 3); // 100 + 100 by count, then 50 when the interval ends
    QCOMPARE(client.framesOfType(u"market_data"_s).size(), 0);
    qint64 expected = 1;
    for (const QJsonObject &batch : batches) {
        QCOMPARE(batch.value(Key::Channel).toString(), u"market_data"_s);
        for (const QJsonValue &item : batch.value(Key::Data).toArray()) {
            QCOMPARE(item.toObject().value(Key::Type).toString(), u"market_data"_s);
            QCOMPARE(item.toObject().value(Key::Seq).toInteger(), expected++);
        }
    }
}

void tst_Pipeline::priorityQueueSendsHigherFirstUnderBacklog()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"trading_signals"_s}}));
    // Published without returning to the event loop: a backlog of 40.
    for (int i = 0; i < 40; ++i)
        server->broadcastTradingSignal({{u"i"_s, i}, {u"priority"_s, i % 10}}, i % 10);
    QTRY_COMPARE(client.pushesOn(u"trading_signals"_s).size(), 40);
    int lastPriority = 9;
    qint64 lastSeq = 0;
    for (const QJsonObject &push : client.pushesOn(u"trading_signals"_s)) {
        const int priority = push.value(Key::Data).toObject().value(u"priority"_s).toInt();
        QVERIFY2(priority <= lastPriority, "a lower priority overtook a higher one");
        if (priority != lastPriority)
            lastSeq = 0;
        QVERIFY2(push.value(Key::Seq).toInteger() > lastSeq, "equal priority out of seq order");
        lastSeq = push.value(Key::Seq).toInteger();
        lastPriority = priority;
    }
    QCOMPARE(client.pushesOn(u"trading_signals"_s).first().value(Key::Data).toObject().value(u"priority"_s).toInt(), 9);
}

void tst_Pipeline::rateLimitedKeepsRateAndNewestPerKey()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::PerformanceMetrics).rateLimitPerSec = 5;
    FakeClock clock; // the rate window's second passes when the test says so
    auto server = startServer(config, &clock);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"performance_metrics"_s}}));

    QHash<QString, qint64> newest;
    for (int i = 0; i < 60; ++i) {
        const QString key = u"strategy-%1"_s.arg(i % 3);
        newest[key] = server->broadcastPerformanceMetrics({{u"key"_s, key}, {u"i"_s, i}}).seq;
    }
    QTRY_COMPARE(client.pushesOn(u"performance_metrics"_s).size(), 5); // the first second's allowance
    clock.advance(990);
    QVERIFY(client.request({{u"type"_s, u"ping"_s}})); // a round trip: anything released has arrived
    QCOMPARE(client.pushesOn(u"performance_metrics"_s).size(), 5); // nothing more inside that second
    clock.advance(20);
    QTRY_COMPARE(client.pushesOn(u"performance_metrics"_s).size(), 8); // then the newest of each of 3 keys
    clock.advance(5000);
    QVERIFY(client.request({{u"type"_s, u"ping"_s}}));
    const QList<QJsonObject> pushes = client.pushesOn(u"performance_metrics"_s);
    QCOMPARE(pushes.size(), 8); // and nothing else
    QSet<qint64> seqs;
    for (const QJsonObject &push : pushes)
        seqs.insert(push.value(Key::Seq).toInteger());
    QCOMPARE(seqs.size(), pushes.size()); // nothing sent twice
    for (int i = 5; i < 8; ++i) {
        const QJsonObject push = pushes.at(i);
        const QString key = push.value(Key::Data).toObject().value(u"key"_s).toString();
        QCOMPARE(push.value(Key::Seq).toInteger(), newest.value(key));
    }
}

void tst_Pipeline::unsubscribeStopsDelivery()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    const auto reply = client.subscribe({{u"type"_s, u"risk_alerts"_s}});
    QVERIFY(reply);
    const QString id = reply->value(Key::Data).toObject().value(Key::SubscriptionId).toString();
    server->broadcastRiskAlert({{u"n"_s, 1}});
    QTRY_COMPARE(client.pushesOn(u"risk_alerts"_s).size(), 1);
    const auto unsubscribed = client.request({{u"type"_s, u"unsubscribe"_s}, {u"data"_s, QJsonObject {{Key::SubscriptionId, id}}}});
    QVERIFY(unsubscribed);
    QCOMPARE(unsubscribed->value(Key::Type).toString(), u"unsubscribed"_s);
    QCOMPARE(unsubscribed->value(Key::Data).toObject().value(Key::SubscriptionId).toString(), id);
    const auto again = client.request({{u"type"_s, u"unsubscribe"_s}, {u"data"_s, QJsonObject {{Key::SubscriptionId, id}}}});
    QCOMPARE(again->value(Key::Data).toObject().value(Key::Code).toString(), u"not_found"_s);
    server->broadcastRiskAlert({{u"n"_s, 2}});
    QVERIFY(client.request({{u"type"_s, u"ping"_s}})); // a round trip after the publish
    QCOMPARE(client.pushesOn(u"risk_alerts"_s).size(), 1);
}

void tst_Pipeline::unsubscribeByTypeAnswersOnce()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    const auto a = client.subscribe({{u"type"_s, u"market_data"_s}, {u"filters"_s, QJsonObject {{u"symbol"_s, u"A"_s}}}});
    const auto b = client.subscribe({{u"type"_s, u"market_data"_s}, {u"filters"_s, QJsonObject {{u"symbol"_s, u"B"_s}}}});
    QVERIFY(a && b);
    const auto reply = client.request({{u"type"_s, u"unsubscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, u"market_data"_s}}}});
    QVERIFY(reply);
    const QJsonObject data = reply->value(Key::Data).toObject();
    QCOMPARE(reply->value(Key::Type).toString(), u"unsubscribed"_s);
    const QString first = a->value(Key::Data).toObject().value(Key::SubscriptionId).toString();
    const QString second = b->value(Key::Data).toObject().value(Key::SubscriptionId).toString();
    QCOMPARE(data.value(Key::SubscriptionId).toString(), first);
    QCOMPARE(data.value(u"subscription_ids"_s).toArray(), QJsonArray({first, second}));
    QVERIFY(client.request({{u"type"_s, u"ping"_s}}));
    QCOMPARE(client.framesOfType(u"unsubscribed"_s).size(), 1);
}

void tst_Pipeline::malformedFilterIsRejectedAtSubscribe()
{
    auto server = startServer(testConfig());
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    const auto reply = client.subscribe({{u"type"_s, u"market_data"_s}, {u"filters"_s, QJsonObject {{u"price"_s, QJsonObject {{u"near"_s, 5}}}}}});
    QVERIFY(reply);
    QCOMPARE(reply->value(Key::Type).toString(), u"error"_s);
    QCOMPARE(reply->value(Key::Data).toObject().value(Key::Code).toString(), u"bad_request"_s);
    QVERIFY(reply->value(Key::Data).toObject().value(Key::Message).toString().contains(u"near"_s));
}

void tst_Pipeline::bothEndpointsServe()
{
    auto server = startServer(testConfig());
    WsTestClient root;
    QVERIFY(root.open(webSocketUrl(*server, u"/"_s)));
    WsTestClient other;
    other.socket().open(webSocketUrl(*server, u"/nope"_s));
    QVERIFY(!other.waitForType(u"welcome"_s, 2000));
}

QTEST_GUILESS_MAIN(tst_Pipeline)
#include "tst_pipeline.moc"
