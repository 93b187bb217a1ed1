// The stats JSON told against what the test did: who is connected, how long,
// from where, in which role; how many bytes went each way in a sampled
// second; what waits in queues; the latency windows. And the composer's
// server side: dry runs count what a publish would reach, role targeting.
#include "Clock.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "client/PushClient.h"
#include "http/HttpApi.h"
#include "Metrics.h"
#include "http/ProcessMonitor.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryFile>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;
using namespace QuantPush::Testing;

namespace {

const QByteArray AdminKey = QByteArrayLiteral("stats-admin-key-0123456789");
const QByteArray TraderKey = QByteArrayLiteral("stats-trader-key-0123456789");
const QByteArray ViewerKey = QByteArrayLiteral("stats-viewer-key-0123456789");

ServerConfig authConfig()
{
    ServerConfig config = testConfig();
    config.websocket.authRequired = true;
    config.auth.jwtSecret = u"stats-test-secret-0123456789abcdef"_s;
    config.auth.apiKeys = {
        ApiKeyConfig {QString::fromLatin1(AdminKey), {}, u"ops"_s, u"admin"_s},
        ApiKeyConfig {QString::fromLatin1(TraderKey), {}, u"tina"_s, u"trader"_s},
        ApiKeyConfig {QString::fromLatin1(ViewerKey), {}, u"victor"_s, u"viewer"_s},
    };
    return config;
}

bool openAs(WsTestClient &client, const WebSocketManager &server, const QByteArray &key)
{
    QNetworkRequest request(webSocketUrl(server));
    request.setRawHeader("X-API-Key", key);
    return client.openWithRequest(request) && client.waitForType(u"auth_ok"_s).has_value();
}

QJsonObject getStats(const WebSocketManager &server)
{
    QNetworkAccessManager http;
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/websocket/stats"_s.arg(server.port())));
    request.setRawHeader("X-API-Key", AdminKey);
    std::unique_ptr<QNetworkReply> reply(http.get(request));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000))
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

qint64 bucketTotal(const QJsonObject &histogram)
{
    qint64 total = 0;
    for (const QJsonValue &bucket : histogram.value(u"buckets"_s).toArray())
        total += bucket.toObject().value(u"count"_s).toInteger();
    return total;
}

} // namespace

class tst_Stats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectionFigures();
    void bandwidthOfASampledSecond();
    void queuesAndPending();
    void latencyWindowsPerChannel();
    void dryRunCountsWhatAPublishReaches();
    void dryRunErrors();
    void welcomeCarriesReconnectionAdvice();
    void processMonitorKeepsSamplingInTheBackground();
};

void tst_Stats::connectionFigures()
{
    auto server = startServer(authConfig());
    QVERIFY(server);
    HttpApi api(server.get());
    WsTestClient admin, trader1, trader2, viewer;
    QElapsedTimer sinceFirstOpen;
    sinceFirstOpen.start();
    QVERIFY(openAs(admin, *server, AdminKey));
    QVERIFY(openAs(trader1, *server, TraderKey));
    QVERIFY(openAs(trader2, *server, TraderKey));
    QVERIFY(openAs(viewer, *server, ViewerKey));
    WsTestClient anonymous; // connected, never authenticated
    QVERIFY(anonymous.open(webSocketUrl(*server)));

    QJsonObject connections = getStats(*server).value(u"connections"_s).toObject();
    QCOMPARE(connections.value(u"current"_s).toInt(), 5);
    QCOMPARE(connections.value(u"by_network"_s).toObject(), QJsonObject({{u"127.0.0.0/24"_s, 5}}));
    QCOMPARE(connections.value(u"by_role"_s).toObject(),
             QJsonObject({{u"admin"_s, 1}, {u"trader"_s, 2}, {u"viewer"_s, 1}, {u"-"_s, 1}}));
    QCOMPARE(connections.value(u"by_user"_s).toObject(),
             QJsonObject({{u"ops"_s, 1}, {u"tina"_s, 2}, {u"victor"_s, 1}, {u"-"_s, 1}}));
    QJsonObject duration = connections.value(u"duration"_s).toObject();
    QJsonObject open = duration.value(u"open"_s).toObject();
    QCOMPARE(open.value(u"count"_s).toInt(), 5);
    QCOMPARE(bucketTotal(open), 5);
    // Every open age is at most the time since the first client connected:
    // only buckets starting below that hold them (under 1 s on an idle machine).
    const double elapsedSec = double(sinceFirstOpen.elapsed()) / 1000.0;
    qint64 young = 0;
    double lowerBound = 0;
    for (const QJsonValue &bucket : open.value(u"buckets"_s).toArray()) {
        if (lowerBound <= elapsedSec)
            young += bucket.toObject().value(u"count"_s).toInteger();
        lowerBound = bucket.toObject().value(u"le"_s).toDouble(1e12);
    }
    QCOMPARE(young, 5);
    QCOMPARE(duration.value(u"closed"_s).toObject().value(u"count"_s).toInt(), 0);

    trader2.close();
    viewer.close();
    QTRY_COMPARE(server->statsJson().value(u"connections"_s).toObject().value(u"current"_s).toInt(), 3);
    connections = getStats(*server).value(u"connections"_s).toObject();
    duration = connections.value(u"duration"_s).toObject();
    QCOMPARE(duration.value(u"closed"_s).toObject().value(u"count"_s).toInt(), 2);
    QCOMPARE(bucketTotal(duration.value(u"closed"_s).toObject()), 2);
    QCOMPARE(duration.value(u"open"_s).toObject().value(u"count"_s).toInt(), 3);
    QCOMPARE(connections.value(u"by_role"_s).toObject(), QJsonObject({{u"admin"_s, 1}, {u"trader"_s, 1}, {u"-"_s, 1}}));
    QCOMPARE(connections.value(u"by_network"_s).toObject(), QJsonObject({{u"127.0.0.0/24"_s, 3}}));
}

void tst_Stats::bandwidthOfASampledSecond()
{
    FakeClock clock; // the rate sampler's second passes when the test says so
    auto server = startServer(testConfig(), &clock);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"order_updates"_s}}));
    clock.advance(1000); // the baseline sample

    // Known traffic inside one sampled second: 3 frames in, 10 pushes out.
    qint64 bytesIn = 0;
    for (int i = 0; i < 3; ++i) {
        const QString text = u"{\"type\":\"ping\",\"id\":\"bw-%1\",\"data\":\"%2\"}"_s.arg(i).arg(QString(100, u'x'));
        bytesIn += text.toUtf8().size();
        client.sendText(text);
    }
    QTRY_COMPARE(client.framesOfType(u"pong"_s).size(), 3);
    const qint64 outBefore = server->statsJson().value(u"bandwidth"_s).toObject().value(u"bytes_out"_s).toInteger();
    for (int i = 0; i < 10; ++i)
        server->broadcastOrderUpdate({{u"order"_s, i}, {u"pad"_s, QString(200, u'y')}});
    QTRY_COMPARE(client.pushesOn(u"order_updates"_s).size(), 10);
    const QJsonObject mid = server->statsJson().value(u"bandwidth"_s).toObject();
    const qint64 pushBytes = mid.value(u"bytes_out"_s).toInteger() - outBefore;
    QVERIFY2(pushBytes >= 10 * 200, qPrintable(QString::number(pushBytes)));
    QCOMPARE(server->statsJson().value(u"channels"_s).toObject().value(u"order_updates"_s).toObject()
                 .value(u"bytes"_s).toInteger(), pushBytes);

    clock.advance(1000);
    const QJsonObject stats = server->statsJson();
    const QJsonObject bandwidth = stats.value(u"bandwidth"_s).toObject();
    QCOMPARE(bandwidth.value(u"bytes_in_per_sec"_s).toDouble(), double(bytesIn));
    // Out: the ten pushes plus the three pongs, nothing else in that second.
    const double outPerSec = bandwidth.value(u"bytes_out_per_sec"_s).toDouble();
    QVERIFY2(outPerSec >= double(pushBytes) && outPerSec < double(pushBytes) + 3 * 200,
             qPrintable(u"%1 vs %2"_s.arg(outPerSec).arg(pushBytes)));
    QCOMPARE(stats.value(u"throughput"_s).toObject().value(u"bytes_out_per_sec"_s).toDouble(), outPerSec);

    clock.advance(1000); // a quiet second
    QCOMPARE(server->statsJson().value(u"bandwidth"_s).toObject().value(u"bytes_out_per_sec"_s).toDouble(), 0.0);
}

void tst_Stats::queuesAndPending()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::MarketData).batchIntervalMs = 60000;
    config.channel(SubscriptionType::MarketData).batchMaxMessages = 1000;
    config.limits.maxPendingBytes = 1; // any unflushed byte queues the next frame
    // The queue is made by writing five pushes in one turn of the session's
    // loop: only the main thread's loop holds still for that while the test
    // reads the stats (with worker threads the worker drains it meanwhile).
    config.websocket.workerThreads = 1;
    FakeClock clock;
    auto server = startServer(config, &clock);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"market_data"_s}}));
    QVERIFY(client.subscribe({{u"type"_s, u"order_updates"_s}}));

    for (int i = 0; i < 7; ++i)
        server->broadcastMarketData({{u"i"_s, i}});
    // Five pushes written without returning to the event loop: the first
    // fills the (one byte) allowance, the other four wait in the session.
    for (int i = 0; i < 5; ++i)
        server->broadcastOrderUpdate({{u"i"_s, i}});
    QJsonObject stats = server->statsJson();
    QCOMPARE(stats.value(u"channels"_s).toObject().value(u"market_data"_s).toObject().value(u"pending"_s).toInt(), 7);
    QCOMPARE(stats.value(u"queues"_s).toObject().value(u"pending_messages"_s).toInt(), 7);
    QCOMPARE(stats.value(u"queues"_s).toObject().value(u"queued_frames"_s).toInt(), 4);

    QTRY_COMPARE(client.pushesOn(u"order_updates"_s).size(), 5); // the queue drains
    stats = server->statsJson();
    QCOMPARE(stats.value(u"queues"_s).toObject().value(u"queued_frames"_s).toInt(), 0);
    clock.advance(60000); // the batch interval ends
    QTRY_COMPARE(client.pushesOn(u"market_data"_s).size(), 7);
    stats = server->statsJson();
    QCOMPARE(stats.value(u"queues"_s).toObject().value(u"pending_messages"_s).toInt(), 0);
}

void tst_Stats::latencyWindowsPerChannel()
{
    FakeClock clock;
    auto server = startServer(testConfig(), &clock);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"risk_alerts"_s}}));
    for (int i = 0; i < 4; ++i)
        server->broadcastRiskAlert({{u"i"_s, i}});
    QTRY_COMPARE(client.pushesOn(u"risk_alerts"_s).size(), 4);
    const auto windows = [&] {
        return server->statsJson().value(u"channels"_s).toObject().value(u"risk_alerts"_s).toObject()
            .value(u"latency"_s).toObject();
    };
    for (const QString &window : {u"10s"_s, u"1m"_s, u"5m"_s})
        QCOMPARE(windows().value(window).toObject().value(u"count"_s).toInt(), 4);
    QCOMPARE(server->statsJson().value(u"channels"_s).toObject().value(u"market_data"_s).toObject()
                 .value(u"latency"_s).toObject().value(u"10s"_s).toObject().value(u"count"_s).toInt(), 0);
    // The deliveries age out of each window in turn; the lifetime keeps them.
    clock.advance(11000);
    QCOMPARE(windows().value(u"10s"_s).toObject().value(u"count"_s).toInt(), 0);
    QCOMPARE(windows().value(u"1m"_s).toObject().value(u"count"_s).toInt(), 4);
    clock.advance(50000);
    QCOMPARE(windows().value(u"1m"_s).toObject().value(u"count"_s).toInt(), 0);
    QCOMPARE(windows().value(u"5m"_s).toObject().value(u"count"_s).toInt(), 4);
    clock.advance(240000);
    QCOMPARE(windows().value(u"5m"_s).toObject().value(u"count"_s).toInt(), 0);
    const QJsonObject latency = server->statsJson().value(u"latency"_s).toObject();
    QCOMPARE(latency.value(u"count"_s).toInt(), 4);
    QCOMPARE(latency.value(u"recent"_s).toObject().value(u"count"_s).toInt(), 0);
}

void tst_Stats::dryRunCountsWhatAPublishReaches()
{
    auto server = startServer(authConfig());
    WsTestClient admin, trader1, trader2, viewer;
    QElapsedTimer sinceFirstOpen;
    sinceFirstOpen.start();
    QVERIFY(openAs(admin, *server, AdminKey));
    QVERIFY(openAs(trader1, *server, TraderKey));
    QVERIFY(openAs(trader2, *server, TraderKey));
    QVERIFY(openAs(viewer, *server, ViewerKey));
    for (WsTestClient *client : {&admin, &trader1, &trader2, &viewer})
        QVERIFY(client->subscribe({{u"type"_s, u"strategy_status"_s}}));

    const QJsonObject toTraders {
        {u"type"_s, u"strategy_status"_s},
        {u"payload"_s, QJsonObject {{u"note"_s, u"traders only"_s}}},
        {u"filters"_s, QJsonObject {{u"role"_s, u"trader"_s}}},
    };
    QJsonObject dry = toTraders;
    dry.insert(u"dry_run"_s, true);
    const auto preview = admin.request({{u"type"_s, u"publish"_s}, {u"data"_s, dry}});
    QVERIFY(preview);
    QCOMPARE(preview->value(Key::Type).toString(), u"published"_s);
    const QJsonObject previewData = preview->value(Key::Data).toObject();
    QCOMPARE(previewData.value(u"recipients"_s).toInt(), 2);
    QCOMPARE(previewData.value(u"dry_run"_s).toBool(), true);
    QVERIFY(!previewData.contains(u"seq"_s)); // nothing was published
    QCOMPARE(server->statsJson().value(u"channels"_s).toObject().value(u"strategy_status"_s).toObject()
                 .value(u"seq"_s).toInt(), 0);

    const auto published = admin.request({{u"type"_s, u"publish"_s}, {u"data"_s, toTraders}});
    QVERIFY(published);
    QCOMPARE(published->value(Key::Data).toObject().value(u"recipients"_s).toInt(),
             previewData.value(u"recipients"_s).toInt());
    QCOMPARE(published->value(Key::Data).toObject().value(u"seq"_s).toInt(), 1);
    QTRY_COMPARE(trader1.pushesOn(u"strategy_status"_s).size(), 1);
    QTRY_COMPARE(trader2.pushesOn(u"strategy_status"_s).size(), 1);
    QVERIFY(admin.request({{u"type"_s, u"ping"_s}}));
    QVERIFY(viewer.request({{u"type"_s, u"ping"_s}}));
    QCOMPARE(admin.pushesOn(u"strategy_status"_s).size(), 0);
    QCOMPARE(viewer.pushesOn(u"strategy_status"_s).size(), 0);

    // By user and by session id, over REST too.
    QNetworkAccessManager http;
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/websocket/broadcast"_s.arg(server->port())));
    request.setRawHeader("X-API-Key", AdminKey);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    HttpApi api(server.get());
    const QString viewerSession = viewer.frames().first().value(Key::Data).toObject().value(Key::SessionId).toString();
    const QJsonObject bySession {
        {u"type"_s, u"strategy_status"_s},
        {u"payload"_s, QJsonObject {}},
        {u"filters"_s, QJsonObject {{u"session_id"_s, viewerSession}}},
        {u"dry_run"_s, true},
    };
    std::unique_ptr<QNetworkReply> reply(http.post(request, QJsonDocument(bySession).toJson()));
    QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(body, QJsonObject({{u"recipients"_s, 1}, {u"dry_run"_s, true}}));
}

void tst_Stats::dryRunErrors()
{
    auto server = startServer(authConfig());
    WsTestClient admin, bystander;
    QVERIFY(openAs(admin, *server, AdminKey));
    QVERIFY(openAs(bystander, *server, ViewerKey));
    QVERIFY(bystander.subscribe({{u"type"_s, u"strategy_status"_s}}));
    const auto reply = admin.request({{u"type"_s, u"publish"_s},
        {u"data"_s, QJsonObject {{u"type"_s, u"strategy_status"_s}, {u"payload"_s, QJsonObject {}},
                                 {u"dry_run"_s, u"yes"_s}}}});
    QVERIFY(reply);
    QCOMPARE(reply->value(Key::Type).toString(), u"error"_s);
    QCOMPARE(reply->value(Key::Data).toObject().value(Key::Code).toString(), u"bad_request"_s);
    QVERIFY(reply->value(Key::Data).toObject().value(Key::Message).toString().contains(u"dry_run"_s));
    // Nothing was published, and the server still serves everyone.
    server->broadcastStrategyStatus({{u"n"_s, 1}});
    QTRY_COMPARE(bystander.pushesOn(u"strategy_status"_s).size(), 1);
    QCOMPARE(bystander.pushesOn(u"strategy_status"_s).first().value(Key::Seq).toInt(), 1);
    QVERIFY(admin.request({{u"type"_s, u"ping"_s}}));
}

void tst_Stats::welcomeCarriesReconnectionAdvice()
{
    ServerConfig config = testConfig();
    config.websocket.reconnection.maxAttempts = 3;
    config.websocket.reconnection.initialDelayMs = 50;
    config.websocket.reconnection.maxDelayMs = 400;
    config.websocket.reconnection.backoffMultiplier = 1.5;
    config.websocket.reconnection.jitterEnabled = false;
    auto server = startServer(config);
    WsTestClient raw;
    QVERIFY(raw.open(webSocketUrl(*server)));
    QCOMPARE(raw.frames().first().value(Key::Data).toObject().value(u"reconnection"_s).toObject(), QJsonObject({
        {u"enabled"_s, true}, {u"max_attempts"_s, 3}, {u"initial_delay_ms"_s, 50}, {u"max_delay_ms"_s, 400},
        {u"backoff_multiplier"_s, 1.5}, {u"jitter_enabled"_s, false}}));

    // PushClient takes the advice on welcome, and follows it when the server goes.
    PushClient client;
    client.setUrl(webSocketUrl(*server));
    QSignalSpy welcomed(&client, &PushClient::welcomeReceived);
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    client.open();
    QTRY_COMPARE(welcomed.size(), 1);
    QCOMPARE(client.reconnectPolicy().maxAttempts, 3);
    QCOMPARE(client.reconnectPolicy().initialDelayMs, 50);
    QCOMPARE(client.reconnectPolicy().maxDelayMs, 400);
    QCOMPARE(client.reconnectPolicy().backoffMultiplier, 1.5);
    QCOMPARE(client.reconnectPolicy().jitterEnabled, false);
    server.reset();
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == PushClient::State::Failed, 20000);
    QCOMPARE(scheduled.size(), 3); // max_attempts from the server, not the default 10
    QCOMPARE(scheduled.at(0).at(1).toInt(), 50);
    QCOMPARE(scheduled.at(1).at(1).toInt(), 75);
    QCOMPARE(scheduled.at(2).at(1).toInt(), 112);

    // A client that sets its own policy ignores the advice.
    PushClient pinned;
    PushClient::ReconnectPolicy own;
    own.maxAttempts = 7;
    pinned.setReconnectPolicy(own);
    QVERIFY(!pinned.followsServerReconnectAdvice());
    auto again = startServer(config);
    pinned.setUrl(webSocketUrl(*again));
    QSignalSpy pinnedWelcome(&pinned, &PushClient::welcomeReceived);
    pinned.open();
    QTRY_COMPARE(pinnedWelcome.size(), 1);
    QCOMPARE(pinned.reconnectPolicy().maxAttempts, 7);
}

void tst_Stats::processMonitorKeepsSamplingInTheBackground()
{
    Metrics metrics;
    ProcessMonitor monitor(&metrics);
    if (!metrics.processUsage().known)
        QSKIP("no /proc: nothing to sample");
    const int before = metrics.processUsage().openFds;
    // Thirty more descriptors: the periodic reading (on the monitor's own
    // thread, not this one) must bring the count to the registry by itself.
    std::vector<std::unique_ptr<QTemporaryFile>> files;
    for (int i = 0; i < 30; ++i) {
        files.push_back(std::make_unique<QTemporaryFile>());
        QVERIFY(files.back()->open());
    }
    QTRY_VERIFY_WITH_TIMEOUT(metrics.processUsage().openFds >= before + 30, 5000);
    // The reading thread is one of the process's threads while it runs.
    QVERIFY(metrics.processUsage().threads >= 2);
}

QTEST_GUILESS_MAIN(tst_Stats)
#include "tst_stats.moc"
