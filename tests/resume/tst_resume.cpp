// Resume and loss detection (PROTOCOL.md "Resume and loss detection"),
// end to end: a real server on port 0, PushClient, and a TCP proxy of the
// test's own that cuts every connection on command while the server
// publishes at a steady rate. The server runs on a FakeClock: batch windows,
// rate windows and ack deadlines pass when the test moves time on (the
// client's reconnect backoff is its own and runs on real time).

#include "DeliveryKit.h"

#include "Clock.h"
#include "WebSocketManager.h"
#include "client/PushClient.h"
#include "protocol/Requests.h"

#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace QuantPush;
using namespace DeliveryKit;
using namespace Qt::Literals::StringLiterals;

namespace {

PushClient::ReconnectPolicy fastPolicy()
{
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = 20;
    policy.maxDelayMs = 200;
    policy.backoffMultiplier = 2.0;
    policy.jitterEnabled = true;
    policy.maxAttempts = 0;
    return policy;
}

QStringList wireNames(const QList<SubscriptionType> &channels)
{
    QStringList names;
    for (SubscriptionType channel : channels)
        names.append(wireName(channel));
    return names;
}

} // namespace

class TestResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cutsMidStreamLoseNothing();
    void historyTooSmallIsReported();
    void serverRestartBacksOffAndReportsLoss();
    void orderAcrossStrategies_data();
    void orderAcrossStrategies();
    void resumeWhileBatchPending();
};

// Several connection cuts while messages flow on immediate, batched and
// acknowledged channels: every seq arrives exactly once, in order.
void TestResume::cutsMidStreamLoseNothing()
{
    const ServerConfig config = testConfig();
    QString error;
    FakeClock clock;
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));
    FaultProxy proxy(server->port());
    QVERIFY(proxy.listen());

    const QList<SubscriptionType> channels {SubscriptionType::OrderUpdates, SubscriptionType::MarketData,
                                            SubscriptionType::StrategyStatus, SubscriptionType::PositionUpdates};
    PushClient client;
    client.setUrl(proxy.url());
    client.setReconnectPolicy(fastPolicy());
    ClientRecorder record(&client);
    for (const QString &channel : wireNames(channels))
        client.subscribe(channel);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size(), 10000);

    Publisher publisher(server.get(), channels, 2);
    publisher.setClock(&clock); // each tick is 2 ms of server time: market_data's batches go as it flows
    publisher.start();
    constexpr int Cuts = 5;
    for (int cut = 1; cut <= Cuts; ++cut) {
        const int before = record.total;
        QTRY_VERIFY_WITH_TIMEOUT(record.total >= before + 40, 15000);
        proxy.cutAll();
        QTRY_COMPARE_WITH_TIMEOUT(record.closeCodes.size(), cut, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size() * (cut + 1), 15000);
    }
    const int before = record.total;
    QTRY_VERIFY_WITH_TIMEOUT(record.total >= before + 40, 15000);
    publisher.stop();
    // The last batch goes when its window has passed.
    clock.advance(config.channel(SubscriptionType::MarketData).batchIntervalMs);

    for (SubscriptionType channel : channels) {
        const QString name = wireName(channel);
        QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(name), publisher.last(channel), 15000);
        QCOMPARE(record.seqs.value(name), range(1, publisher.last(channel)));
    }
    QVERIFY(proxy.accepted() >= Cuts + 1);
    QCOMPARE(record.duplicates, 0);
    QCOMPARE(record.gapsDetected, QStringList());
    QCOMPARE(record.gapsReported, QStringList());
    QVERIFY(record.incomplete.isEmpty());
    for (const ClientRecorder::Subscribed &subscribed : std::as_const(record.subscribed))
        QVERIFY2(subscribed.recovered, qPrintable(subscribed.channel));
}

// The client is away for longer than the history covers: the server says
// `recovered: false`, the client reports it, and what does arrive is still
// in order and never twice.
void TestResume::historyTooSmallIsReported()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::OrderUpdates).historySize = 5;
    config.channel(SubscriptionType::MarketData).historySize = 5;
    const int batchMs = config.channel(SubscriptionType::MarketData).batchIntervalMs;
    QString error;
    FakeClock clock; // market_data's batches go when the test moves time on
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));
    FaultProxy proxy(server->port());
    QVERIFY(proxy.listen());

    const QList<SubscriptionType> channels {SubscriptionType::OrderUpdates, SubscriptionType::MarketData};
    PushClient client;
    client.setUrl(proxy.url());
    client.setReconnectPolicy(fastPolicy());
    ClientRecorder record(&client);
    for (const QString &channel : wireNames(channels))
        client.subscribe(channel);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size(), 10000);

    Publisher publisher(server.get(), channels);
    for (int i = 0; i < 10; ++i)
        publisher.publishOnce();
    clock.advance(batchMs);
    for (SubscriptionType channel : channels)
        QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(wireName(channel)), 10, 10000);

    proxy.setRefusing(true);
    proxy.cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(record.closeCodes.size(), 1, 10000);
    for (int i = 0; i < 20; ++i) // 11..30 while away; only 26..30 are retained
        publisher.publishOnce();
    clock.advance(batchMs);
    QTRY_VERIFY_WITH_TIMEOUT(proxy.refused() >= 1, 10000);
    proxy.setRefusing(false);
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size() * 2, 15000);
    for (int i = 0; i < 5; ++i) // live again: 31..35
        publisher.publishOnce();
    clock.advance(batchMs);

    for (SubscriptionType channel : channels) {
        const QString name = wireName(channel);
        QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(name), 35, 10000);
        QCOMPARE(record.seqs.value(name), range(1, 10) + range(26, 35));
    }
    QCOMPARE(record.incomplete.size(), channels.size());
    for (const auto &[channel, since] : std::as_const(record.incomplete)) {
        QVERIFY(wireNames(channels).contains(channel));
        QCOMPARE(since, 10);
    }
    for (qsizetype i = channels.size(); i < record.subscribed.size(); ++i)
        QVERIFY(!record.subscribed.at(i).recovered);
    QCOMPARE(record.duplicates, 0);
    QCOMPARE(record.gapsDetected, QStringList()); // the loss was reported as recoveryIncomplete instead
}

// The server process dies and comes back on the same port with an empty
// history and seqs from 1 again: the client reconnects with backoff and
// jitter, resubscribes, and says what it could not recover.
void TestResume::serverRestartBacksOffAndReportsLoss()
{
    const int batchMs = testConfig().channel(SubscriptionType::MarketData).batchIntervalMs;
    QString error;
    FakeClock clock; // both servers' batches go when the test moves time on
    auto server = startServer(testConfig(), &error, &clock);
    QVERIFY2(server, qPrintable(error));
    const quint16 port = server->port();

    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = 40;
    policy.maxDelayMs = 320;
    policy.backoffMultiplier = 2.0;
    policy.jitterEnabled = true;
    policy.maxAttempts = 0;
    PushClient client;
    client.setUrl(wsUrl(port));
    client.setReconnectPolicy(policy);
    ClientRecorder record(&client);
    const QList<SubscriptionType> channels {SubscriptionType::OrderUpdates, SubscriptionType::MarketData};
    for (const QString &channel : wireNames(channels))
        client.subscribe(channel);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size(), 10000);

    Publisher publisher(server.get(), channels);
    for (int i = 0; i < 5; ++i)
        publisher.publishOnce();
    clock.advance(batchMs);
    for (SubscriptionType channel : channels)
        QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(wireName(channel)), 5, 10000);

    publisher.setServer(nullptr);
    server.reset();
    QTRY_COMPARE_WITH_TIMEOUT(record.closeCodes.size(), 1, 10000);
    // Attempts 1..4 fail against the closed port: 40, 80, 160, 320 ms (capped).
    QTRY_VERIFY_WITH_TIMEOUT(record.reconnects.size() >= 5, 15000);

    ServerConfig config = testConfig();
    config.websocket.port = port;
    server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), channels.size() * 2, 15000);
    QCOMPARE(client.state(), PushClient::State::Connected);

    // Delays follow the policy: base = min(max, initial * multiplier^(attempt-1)),
    // jittered into [base/2, base].
    bool anyJittered = false;
    for (int i = 0; i < record.reconnects.size(); ++i) {
        const auto [attempt, delay] = record.reconnects.at(i);
        QCOMPARE(attempt, i + 1);
        const int base = std::min(policy.maxDelayMs, policy.initialDelayMs << (attempt - 1));
        QVERIFY2(delay >= base / 2 && delay <= base,
                 qPrintable(u"attempt %1: %2 ms, base %3"_s.arg(attempt).arg(delay).arg(base)));
        anyJittered = anyJittered || delay != base;
    }
    QVERIFY(anyJittered);

    // The new server knows nothing before its seq 0: reported, not hidden.
    QCOMPARE(record.incomplete.size(), channels.size());
    for (const auto &[channel, since] : std::as_const(record.incomplete))
        QCOMPARE(since, 5);
    for (qsizetype i = channels.size(); i < record.subscribed.size(); ++i)
        QCOMPARE(record.subscribed.at(i).seq, 0);

    // And the client follows the new numbering from there.
    publisher.setServer(server.get());
    for (int i = 0; i < 3; ++i)
        publisher.publishOnce();
    clock.advance(batchMs);
    for (SubscriptionType channel : channels) {
        const QString name = wireName(channel);
        QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(name), 3, 10000);
        QCOMPARE(record.seqs.value(name), range(1, 5) + range(1, 3));
    }
    QCOMPARE(record.duplicates, 0);
    QCOMPARE(record.gapsDetected, QStringList());
}

void TestResume::orderAcrossStrategies_data()
{
    QTest::addColumn<SubscriptionType>("channel");
    QTest::addColumn<QList<BroadcastStrategy>>("pattern");

    QTest::newRow("market_data batched/immediate")
        << SubscriptionType::MarketData
        << QList<BroadcastStrategy> {BroadcastStrategy::Batched, BroadcastStrategy::Batched,
                                     BroadcastStrategy::Immediate, BroadcastStrategy::Batched,
                                     BroadcastStrategy::Immediate, BroadcastStrategy::Immediate};
    QTest::newRow("order_updates immediate/batched (acked)")
        << SubscriptionType::OrderUpdates
        << QList<BroadcastStrategy> {BroadcastStrategy::Immediate, BroadcastStrategy::Batched,
                                     BroadcastStrategy::Batched, BroadcastStrategy::Immediate};
    QTest::newRow("strategy_status rate_limited/immediate")
        << SubscriptionType::StrategyStatus
        << QList<BroadcastStrategy> {BroadcastStrategy::RateLimited, BroadcastStrategy::RateLimited,
                                     BroadcastStrategy::Immediate, BroadcastStrategy::RateLimited,
                                     BroadcastStrategy::Batched};
}

// A publisher may pick a strategy per message; whatever it picks, a
// subscriber sees the channel's messages in seq order. Server time moves on
// 3 ms per message, so batches (30 ms) and rate windows (one message per
// 50 ms) are released while immediate messages keep coming.
void TestResume::orderAcrossStrategies()
{
    QFETCH(SubscriptionType, channel);
    QFETCH(QList<BroadcastStrategy>, pattern);

    constexpr int BatchMs = 30;
    constexpr int RatePerSec = 20;
    constexpr int StepMs = 3;
    ServerConfig config = testConfig();
    config.channel(channel).batchIntervalMs = BatchMs;
    config.channel(channel).rateLimitPerSec = RatePerSec;
    QString error;
    FakeClock clock;
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));

    PushClient client;
    client.setUrl(wsUrl(server->port()));
    ClientRecorder record(&client);
    client.subscribe(wireName(channel));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), 1, 10000);

    constexpr int Messages = 120;
    int rateLimited = 0;
    for (int published = 0; published < Messages; ++published) {
        PublishRequest request;
        request.channel = channel;
        // Distinct keys: rate_limited holds them back but never coalesces them.
        request.payload = QJsonObject {{u"key"_s, u"k%1"_s.arg(published)}, {u"n"_s, published}};
        request.strategy = pattern.at(published % pattern.size());
        if (request.strategy == BroadcastStrategy::RateLimited)
            ++rateLimited;
        server->publish(request);
        clock.advance(StepMs);
        if (published % 10 == 0) // the client reads as it goes
            QCoreApplication::processEvents();
    }
    // Whatever the batch and the rate window still hold goes out: at most
    // RatePerSec a second, in steps of a batch window.
    const int drainMs = (rateLimited / RatePerSec + 2) * 1000;
    for (int elapsed = 0; elapsed < drainMs; elapsed += BatchMs)
        clock.advance(BatchMs);
    QTRY_COMPARE_WITH_TIMEOUT(client.lastSeq(wireName(channel)), qint64(Messages), 20000);
    QCOMPARE(record.seqs.value(wireName(channel)), range(1, Messages));
    QCOMPARE(record.duplicates, 0);
}

// A subscriber that resumes from 0 while a batch is still collecting gets the
// released messages replayed and the queued ones live: 1..N once, in order.
void TestResume::resumeWhileBatchPending()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::MarketData).batchIntervalMs = 60000;
    config.channel(SubscriptionType::MarketData).batchMaxMessages = 10;
    QString error;
    FakeClock clock; // never advanced: the batch is released by size alone
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));

    Publisher publisher(server.get(), {SubscriptionType::MarketData});
    for (int i = 0; i < 25; ++i) // 1..20 released in two batches, 21..25 still collecting
        publisher.publishOnce();

    QWebSocket socket;
    QList<QJsonObject> frames;
    connect(&socket, &QWebSocket::textMessageReceived, this,
            [&](const QString &text) { frames.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
    socket.open(wsUrl(server->port()));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 1, 10000); // welcome
    socket.sendTextMessage(u"{\"type\":\"subscribe\",\"id\":1,\"data\":{\"type\":\"market_data\",\"since\":0}}"_s);
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 2, 10000);
    for (int i = 0; i < 5; ++i) // 26..30: the batch of 21..30 is released now
        publisher.publishOnce();

    QList<qint64> seqs;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            seqs.clear();
            for (const QJsonObject &frame : std::as_const(frames)) {
                const QString type = frame.value(u"type"_s).toString();
                if (type == u"batch"_s) {
                    for (const QJsonValue &item : frame.value(u"data"_s).toArray())
                        seqs.append(item.toObject().value(u"seq"_s).toInteger());
                } else if (type == u"market_data"_s) {
                    seqs.append(frame.value(u"seq"_s).toInteger());
                }
            }
            return seqs.size() >= 30;
        }(),
        10000);
    const QJsonObject subscribed = frames.at(1);
    QCOMPARE(subscribed.value(u"type"_s).toString(), u"subscribed"_s);
    QCOMPARE(subscribed.value(u"data"_s).toObject().value(u"recovered"_s).toBool(), true);
    QCOMPARE(seqs, range(1, 30));
}

QTEST_GUILESS_MAIN(TestResume)
#include "tst_resume.moc"
