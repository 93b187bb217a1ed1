// Alert rules and the admin stream on system_monitor.

#include "Clock.h"
#include "Metrics.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "config/ConfigLoader.h"
#include "http/AdminStatsStream.h"
#include "http/AlertEngine.h"
#include "http/HttpApi.h"

#include <QtCore/QJsonArray>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;
using namespace QuantPush::Testing;

Q_DECLARE_METATYPE(QuantPush::AlertTransition)

namespace {

const QByteArray AdminKey = QByteArrayLiteral("alerts-admin-key-0123456789");
const QByteArray ViewerKey = QByteArrayLiteral("alerts-viewer-key-0123456789");

AlertRuleConfig rule(const QString &name, AlertMetric metric, AlertOp op, double threshold, int forSec = 0)
{
    return AlertRuleConfig { name, metric, op, threshold, forSec };
}

ServerConfig authConfig()
{
    ServerConfig config = testConfig();
    config.websocket.authRequired = true;
    config.auth.jwtSecret = u"alerts-test-secret-0123456789abcdef"_s;
    config.auth.apiKeys = {
        ApiKeyConfig { QString::fromLatin1(AdminKey), {}, u"ops"_s, u"admin"_s },
        ApiKeyConfig { QString::fromLatin1(ViewerKey), {}, u"watcher"_s, u"viewer"_s },
    };
    return config;
}

bool openAs(WsTestClient &client, const WebSocketManager &server, const QByteArray &key)
{
    QNetworkRequest request(webSocketUrl(server));
    request.setRawHeader("X-API-Key", key);
    return client.openWithRequest(request) && client.waitForType(u"auth_ok"_s).has_value();
}

QList<QJsonObject> monitorData(const WsTestClient &client, const QString &kind)
{
    QList<QJsonObject> list;
    for (const QJsonObject &push : client.pushesOn(u"system_monitor"_s)) {
        const QJsonObject data = push.value(u"data"_s).toObject();
        if (data.value(u"kind"_s).toString() == kind)
            list.append(data);
    }
    return list;
}

} // namespace

class tst_Alerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void configSection();
    void configErrors_data();
    void configErrors();

    void firesAfterForAndResolves();
    void belowRules();
    void metricValues();

    void firesAndResolvesEndToEnd();
    void bandwidthAndQueueRules();
    void adminStatsStream();
};

void tst_Alerts::initTestCase()
{
    qRegisterMetaType<AlertTransition>();
}

void tst_Alerts::configSection()
{
    QString error;
    const auto config = ConfigLoader::loadYaml(R"(
alerts:
  - name: many_connections
    metric: connections
    op: above
    threshold: 5000
    for_s: 30
  - {name: slow, metric: p99_latency_ms, op: above, threshold: 50}
  - {name: quiet, metric: error_rate, op: below, threshold: 0.5, for_s: 5}
  - {name: hot, metric: cpu_percent, op: above, threshold: 90}
  - {name: fat, metric: rss_bytes, op: above, threshold: 2.0e9}
  - {name: crowded_host, metric: cpu_wait_percent, op: above, threshold: 50, for_s: 60}
)",
        &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->alerts.size(), 6);
    QCOMPARE(config->alerts.at(5).metric, AlertMetric::CpuWaitPercent);
    const AlertRuleConfig &first = config->alerts.first();
    QCOMPARE(first.name, u"many_connections"_s);
    QCOMPARE(first.metric, AlertMetric::Connections);
    QCOMPARE(first.op, AlertOp::Above);
    QCOMPARE(first.threshold, 5000.0);
    QCOMPARE(first.forSec, 30);
    QCOMPARE(config->alerts.at(1).metric, AlertMetric::P99LatencyMs);
    QCOMPARE(config->alerts.at(1).forSec, 0);
    QCOMPARE(config->alerts.at(2).op, AlertOp::Below);
    QCOMPARE(config->alerts.at(4).threshold, 2.0e9);
    QVERIFY(ServerConfig::defaults().alerts.isEmpty());
}

void tst_Alerts::configErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QByteArray(
        "alerts:\n  - {name: a, metric: connections, op: above, threshold: 1, severity: high}")
                                 << u"alerts[0].severity: unknown key"_s;
    QTest::newRow("unknown metric") << QByteArray("alerts:\n  - {name: a, metric: latency, op: above, threshold: 1}")
                                    << u"alerts[0].metric: must be one of"_s;
    QTest::newRow("missing metric") << QByteArray("alerts:\n  - {name: a, op: above, threshold: 1}")
                                    << u"alerts[0].metric: is required"_s;
    QTest::newRow("bad op") << QByteArray("alerts:\n  - {name: a, metric: connections, op: over, threshold: 1}")
                            << u"alerts[0].op: must be above or below"_s;
    QTest::newRow("missing threshold") << QByteArray("alerts:\n  - {name: a, metric: connections, op: above}")
                                       << u"alerts[0].threshold: is required"_s;
    QTest::newRow("threshold not a number")
        << QByteArray("alerts:\n  - {name: a, metric: connections, op: above, threshold: lots}")
        << u"alerts[0].threshold: expected a number"_s;
    QTest::newRow("missing name") << QByteArray("alerts:\n  - {metric: connections, op: above, threshold: 1}")
                                  << u"alerts[0].name: is required"_s;
    QTest::newRow("bad name") << QByteArray(
        "alerts:\n  - {name: \"a b\", metric: connections, op: above, threshold: 1}")
                              << u"alerts[0].name:"_s;
    QTest::newRow("duplicate name") << QByteArray(
        "alerts:\n  - {name: a, metric: connections, op: above, threshold: 1}\n"
        "  - {name: a, metric: cpu_percent, op: above, threshold: 1}")
                                    << u"alerts[1].name: 'a' is used by an earlier rule"_s;
    QTest::newRow("negative for_s") << QByteArray(
        "alerts:\n  - {name: a, metric: connections, op: above, threshold: 1, for_s: -1}")
                                    << u"alerts[0].for_s: must be between"_s;
    QTest::newRow("not a list") << QByteArray("alerts:\n  name: a") << u"alerts: expected a list"_s;
}

void tst_Alerts::configErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!ConfigLoader::loadYaml(yaml, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_Alerts::firesAfterForAndResolves()
{
    Metrics metrics;
    AlertEngine engine({ rule(u"crowded"_s, AlertMetric::Connections, AlertOp::Above, 1, 2) }, &metrics);
    QSignalSpy changes(&engine, &AlertEngine::alertChanged);
    QCOMPARE(metrics.alerts().value(u"crowded"_s, true), false); // registered, not firing

    metrics.connectionOpened(u"10.0.0.0/24"_s);
    engine.evaluate(0);
    QCOMPARE(changes.size(), 0);
    metrics.connectionOpened(u"10.0.0.0/24"_s);
    engine.evaluate(1000); // holds from here
    engine.evaluate(2999);
    QCOMPARE(changes.size(), 0);
    QVERIFY(!engine.isFiring(u"crowded"_s));
    engine.evaluate(3000); // held for for_s = 2 s
    QCOMPARE(changes.size(), 1);
    auto fired = changes.takeFirst().first().value<AlertTransition>();
    QVERIFY(fired.firing);
    QCOMPARE(fired.value, 2.0);
    QCOMPARE(fired.rule.threshold, 1.0);
    QVERIFY(fired.since.isValid());
    QVERIFY(metrics.alerts().value(u"crowded"_s));
    engine.evaluate(4000); // still firing: no repeat
    QCOMPARE(changes.size(), 0);

    metrics.connectionClosed(u"10.0.0.0/24"_s, 1.0);
    engine.evaluate(5000);
    QCOMPARE(changes.size(), 1);
    auto resolved = changes.takeFirst().first().value<AlertTransition>();
    QVERIFY(!resolved.firing);
    QCOMPARE(resolved.value, 1.0);
    QVERIFY(!metrics.alerts().value(u"crowded"_s));

    // A blip shorter than for_s never fires.
    metrics.connectionOpened(u"10.0.0.0/24"_s);
    engine.evaluate(6000);
    metrics.connectionClosed(u"10.0.0.0/24"_s, 1.0);
    engine.evaluate(7000);
    metrics.connectionOpened(u"10.0.0.0/24"_s);
    engine.evaluate(8500);
    QCOMPARE(changes.size(), 0);
}

void tst_Alerts::belowRules()
{
    Metrics metrics;
    AlertEngine engine({ rule(u"nobody"_s, AlertMetric::Connections, AlertOp::Below, 1) }, &metrics);
    QSignalSpy changes(&engine, &AlertEngine::alertChanged);
    engine.evaluate(0);
    QCOMPARE(changes.size(), 1);
    QVERIFY(engine.isFiring(u"nobody"_s));
    metrics.connectionOpened(u"10.0.0.0/24"_s);
    engine.evaluate(1000);
    QCOMPARE(changes.size(), 2);
    QVERIFY(!engine.isFiring(u"nobody"_s));
}

void tst_Alerts::metricValues()
{
    Metrics metrics;
    AlertEngine engine({}, &metrics);
    // Error rate: errors per second over the last rate sample.
    metrics.sampleRates(0);
    for (int i = 0; i < 5; ++i)
        metrics.errorSent(ErrorCode::BadRequest);
    metrics.sampleRates(500);
    QCOMPARE(metrics.errorsPerSec(), 10.0);
    QVERIFY(*engine.valueOf(AlertMetric::ErrorRate) > 0);
    // p99 over the recent window, in milliseconds.
    for (int i = 0; i < 100; ++i)
        metrics.deliveryLatency(SubscriptionType::OrderUpdates, 0.020);
    const double p99 = *engine.valueOf(AlertMetric::P99LatencyMs);
    QVERIFY2(p99 > 10.0 && p99 <= 25.0, qPrintable(QString::number(p99)));
    // Process figures stay unknown until someone measures them.
    QVERIFY(!engine.valueOf(AlertMetric::RssBytes));
    metrics.setProcessUsage(Metrics::ProcessUsage { true, 42.0, 1.0, 123456789, 3, 10 });
    QCOMPARE(*engine.valueOf(AlertMetric::CpuPercent), 42.0);
    QCOMPARE(*engine.valueOf(AlertMetric::RssBytes), 123456789.0);
    // Run-queue wait: unknown (no schedstat) stays unknown, not 0.
    QVERIFY(!engine.valueOf(AlertMetric::CpuWaitPercent));
    const auto process = [&metrics] { return metrics.snapshot({}).value(u"process"_s).toObject(); };
    QVERIFY(!process().contains(u"cpu_wait_percent"_s));
    metrics.setProcessUsage(Metrics::ProcessUsage { true, 42.0, 1.0, 123456789, 3, 10, 12.5, 74.0 });
    QCOMPARE(*engine.valueOf(AlertMetric::CpuWaitPercent), 74.0);
    QCOMPARE(process().value(u"cpu_wait_percent"_s).toDouble(), 74.0);
    QCOMPARE(process().value(u"cpu_wait_seconds_total"_s).toDouble(), 12.5);
}

void tst_Alerts::firesAndResolvesEndToEnd()
{
    ServerConfig config = authConfig();
    // Admin and viewer watching: 2 connections. A third one fires it.
    config.alerts = { rule(u"crowded"_s, AlertMetric::Connections, AlertOp::Above, 2) };
    config.http.metricsPublic = true;
    std::unique_ptr<WebSocketManager> server = startServer(config);
    QVERIFY(server);
    HttpApi api(server.get());
    AlertEngine alerts(config.alerts, server->metrics());
    AdminStatsStream stream(server.get(), &alerts);

    WsTestClient admin;
    QVERIFY(openAs(admin, *server, AdminKey));
    QVERIFY(admin.subscribe(QJsonObject { { u"type"_s, u"system_monitor"_s } }));
    WsTestClient viewer;
    QVERIFY(openAs(viewer, *server, ViewerKey));
    QVERIFY(viewer.subscribe(QJsonObject { { u"type"_s, u"system_monitor"_s } }));

    WsTestClient third;
    QVERIFY(openAs(third, *server, ViewerKey));
    QTRY_COMPARE_WITH_TIMEOUT(monitorData(admin, u"alert"_s).size(), 1, 10000);
    const QJsonObject firing = monitorData(admin, u"alert"_s).first().value(u"alert"_s).toObject();
    QCOMPARE(firing.value(u"rule"_s).toString(), u"crowded"_s);
    QCOMPARE(firing.value(u"state"_s).toString(), u"firing"_s);
    QCOMPARE(firing.value(u"value"_s).toDouble(), 3.0);
    QCOMPARE(firing.value(u"threshold"_s).toDouble(), 2.0);
    QVERIFY(QDateTime::fromString(firing.value(u"since"_s).toString(), Qt::ISODateWithMs).isValid());

    QNetworkAccessManager http;
    const auto scrape = [&] {
        std::unique_ptr<QNetworkReply> reply(
            http.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(server->port())))));
        (void)QTest::qWaitFor([&] { return reply->isFinished(); }, 5000);
        return reply->readAll();
    };
    QVERIFY(scrape().contains("quantpush_alert_active{rule=\"crowded\"} 1\n"));

    third.close();
    QTRY_COMPARE_WITH_TIMEOUT(monitorData(admin, u"alert"_s).size(), 2, 10000);
    const QJsonObject resolved = monitorData(admin, u"alert"_s).last().value(u"alert"_s).toObject();
    QCOMPARE(resolved.value(u"state"_s).toString(), u"resolved"_s);
    QCOMPARE(resolved.value(u"value"_s).toDouble(), 2.0);
    QVERIFY(scrape().contains("quantpush_alert_active{rule=\"crowded\"} 0\n"));
    QCOMPARE(server->statsJson().value(u"alerts"_s).toObject().value(u"crowded"_s).toString(), u"ok"_s);

    // Admins only: the viewer on the same channel saw none of it.
    QVERIFY(monitorData(viewer, u"alert"_s).isEmpty());
    QVERIFY(monitorData(viewer, u"stats"_s).isEmpty());
}

// Rules on bandwidth and queues, on a real server whose rate sampler runs on
// a FakeClock: known traffic and queues inside one sampled second.
void tst_Alerts::bandwidthAndQueueRules()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::MarketData).batchIntervalMs = 10000; // held until the test says (well inside connection_timeout)
    config.channel(SubscriptionType::MarketData).batchMaxMessages = 1000;
    config.limits.maxPendingBytes = 1; // any unflushed byte queues the next frame
    config.alerts = {
        rule(u"in"_s, AlertMetric::BytesInPerSec, AlertOp::Above, 1000),
        rule(u"out"_s, AlertMetric::BytesOutPerSec, AlertOp::Above, 2000),
        rule(u"queued"_s, AlertMetric::QueuedFrames, AlertOp::Above, 5),
        rule(u"pending"_s, AlertMetric::PendingMessages, AlertOp::Above, 6),
    };
    // "Sampled before the event loop drains anything": only the main
    // thread's loop holds still while the test reads (a worker thread
    // drains its sessions' queues meanwhile).
    config.websocket.workerThreads = 1;
    FakeClock clock;
    std::unique_ptr<WebSocketManager> server = startServer(config, &clock);
    QVERIFY(server);
    AlertEngine engine(config.alerts, server->metrics());
    const auto evaluate = [&] { engine.evaluate(clock.nowMs()); };
    WsTestClient client; // strategy_status: immediate and unacknowledged (no redelivery adds bytes)
    QVERIFY(client.open(webSocketUrl(*server)));
    QVERIFY(client.subscribe({{u"type"_s, u"market_data"_s}}));
    QVERIFY(client.subscribe({{u"type"_s, u"strategy_status"_s}}));
    clock.advance(1000); // the baseline sample
    evaluate();
    for (const QString &name : {u"in"_s, u"out"_s, u"queued"_s, u"pending"_s})
        QVERIFY2(!engine.isFiring(name), qPrintable(name));

    // Under the thresholds: 600 bytes in, about a kilobyte out, 3 or 4 frames
    // queued (the first push or two fill the one-byte allowance), 6 held.
    for (int i = 0; i < 6; ++i)
        server->broadcastMarketData({{u"i"_s, i}});
    for (int i = 0; i < 4; ++i)
        server->broadcastStrategyStatus({{u"i"_s, i}});
    client.sendText(u"{\"type\":\"ping\",\"data\":\"%1\"}"_s.arg(QString(580, u'x')));
    clock.advance(1000); // sampled before the event loop drains anything
    evaluate();
    const auto queuedNow = [&] {
        return server->statsJson().value(u"queues"_s).toObject().value(u"queued_frames"_s).toInteger();
    };
    QCOMPARE(server->metrics()->queuedFrames(), queuedNow()); // the rule sees what /websocket/stats shows
    QVERIFY2(queuedNow() >= 3 && queuedNow() <= 4, qPrintable(QString::number(queuedNow())));
    QCOMPARE(server->metrics()->pendingMessages(), 6);
    QVERIFY(!engine.isFiring(u"queued"_s));
    QVERIFY(!engine.isFiring(u"pending"_s));
    QTRY_COMPARE(client.pushesOn(u"strategy_status"_s).size(), 4);
    QTRY_COMPARE(client.framesOfType(u"pong"_s).size(), 1);
    clock.advance(1000); // the second those bytes went through
    evaluate();
    QVERIFY2(!engine.isFiring(u"in"_s), qPrintable(QString::number(server->metrics()->bytesInPerSec())));
    QVERIFY2(!engine.isFiring(u"out"_s), qPrintable(QString::number(server->metrics()->bytesOutPerSec())));
    QVERIFY(server->metrics()->bytesInPerSec() >= 580);

    // Over them: 13 held messages, 6 or more queued frames, 1.2 kB in,
    // 5 kB of pushes out, all inside the next sampled second.
    for (int i = 0; i < 7; ++i)
        server->broadcastMarketData({{u"i"_s, i}});
    for (int i = 0; i < 8; ++i)
        server->broadcastStrategyStatus({{u"i"_s, i}, {u"pad"_s, QString(600, u'y')}});
    for (int i = 0; i < 2; ++i)
        client.sendText(u"{\"type\":\"ping\",\"data\":\"%1\"}"_s.arg(QString(580, u'x')));
    clock.advance(1000);
    evaluate();
    QCOMPARE(server->metrics()->queuedFrames(), queuedNow());
    QVERIFY2(queuedNow() >= 6, qPrintable(QString::number(queuedNow())));
    QCOMPARE(server->metrics()->pendingMessages(), 13);
    QVERIFY(engine.isFiring(u"queued"_s));
    QVERIFY(engine.isFiring(u"pending"_s));
    QTRY_COMPARE(client.pushesOn(u"strategy_status"_s).size(), 12);
    QTRY_COMPARE(client.framesOfType(u"pong"_s).size(), 3);
    clock.advance(1000); // the second the bytes went through
    evaluate();
    QVERIFY2(engine.isFiring(u"in"_s), qPrintable(QString::number(server->metrics()->bytesInPerSec())));
    QVERIFY2(engine.isFiring(u"out"_s), qPrintable(QString::number(server->metrics()->bytesOutPerSec())));

    // The batch goes out, the queues empty, a quiet second: all resolve.
    clock.advance(10000);
    QTRY_COMPARE(client.pushesOn(u"market_data"_s).size(), 13);
    clock.advance(1000);
    evaluate();
    for (const QString &name : {u"in"_s, u"out"_s, u"queued"_s, u"pending"_s})
        QVERIFY2(!engine.isFiring(name), qPrintable(name));
}

void tst_Alerts::adminStatsStream()
{
    std::unique_ptr<WebSocketManager> server = startServer(authConfig());
    QVERIFY(server);
    AdminStatsStream stream(server.get());

    WsTestClient admin;
    QVERIFY(openAs(admin, *server, AdminKey));
    QVERIFY(admin.subscribe(QJsonObject { { u"type"_s, u"system_monitor"_s } }));
    WsTestClient viewer;
    QVERIFY(openAs(viewer, *server, ViewerKey));
    QVERIFY(viewer.subscribe(QJsonObject { { u"type"_s, u"system_monitor"_s } }));

    // The demo feed's process samples share the channel (key "process");
    // the stats (key "server_stats") must not be coalesced away by them.
    for (int i = 0; i < 5; ++i)
        server->broadcastSystemMonitor(QJsonObject { { u"key"_s, u"process"_s }, { u"cpu_percent"_s, i } });

    QTRY_VERIFY_WITH_TIMEOUT(monitorData(admin, u"stats"_s).size() >= 2, 10000);
    const QJsonObject stats = monitorData(admin, u"stats"_s).last();
    QCOMPARE(stats.value(u"key"_s).toString(), u"server_stats"_s);
    const QJsonObject body = stats.value(u"stats"_s).toObject();
    QCOMPARE(body.value(u"connections"_s).toObject().value(u"current"_s).toInt(), 2);
    for (const QString &key : { u"latency"_s, u"throughput"_s, u"process"_s, u"channels"_s })
        QVERIFY2(body.contains(key), qPrintable(key));

    // The viewer got the demo-style samples but never the stats.
    QVERIFY(!viewer.pushesOn(u"system_monitor"_s).isEmpty());
    QVERIFY(monitorData(viewer, u"stats"_s).isEmpty());
    // Pushes on the channel kept seq order for the admin.
    qint64 last = 0;
    for (const QJsonObject &push : admin.pushesOn(u"system_monitor"_s)) {
        QVERIFY(push.value(u"seq"_s).toInteger() > last);
        last = push.value(u"seq"_s).toInteger();
    }
}

QTEST_GUILESS_MAIN(tst_Alerts)
#include "tst_alerts.moc"
