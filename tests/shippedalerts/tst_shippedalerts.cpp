// The shipped config's alert rules, fired one kind at a time. The rules
// (names, metrics, operators) come from resources/quantpush.yaml; only the
// thresholds and for_s are lowered here, to what a unit test can load.
#include "Clock.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "config/ConfigLoader.h"
#include "http/AlertEngine.h"
#include "http/ProcessMonitor.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;
using namespace QuantPush::Testing;

Q_DECLARE_METATYPE(QuantPush::AlertTransition)

class tst_ShippedAlerts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void shippedRulesAreEnabledAndDocumented();
    void eachKindFiresUnderTestLoad();

private:
    QList<AlertRuleConfig> m_shipped;
};

void tst_ShippedAlerts::initTestCase()
{
    qRegisterMetaType<AlertTransition>();
    QString error;
    const std::optional<ServerConfig> config = ConfigLoader::loadFile(QStringLiteral(QUANTPUSH_DEFAULT_CONFIG), &error);
    QVERIFY2(config, qPrintable(error));
    m_shipped = config->alerts;
}

void tst_ShippedAlerts::shippedRulesAreEnabledAndDocumented()
{
    QList<int> kinds;
    for (const AlertRuleConfig &rule : std::as_const(m_shipped)) {
        if (!kinds.contains(int(rule.metric)))
            kinds.append(int(rule.metric));
        QCOMPARE(rule.op, AlertOp::Above);
        QVERIFY2(rule.threshold > 0 && rule.forSec > 0, qPrintable(rule.name));
    }
    std::sort(kinds.begin(), kinds.end());
    const QList<int> expected {int(AlertMetric::Connections), int(AlertMetric::P99LatencyMs),
                               int(AlertMetric::ErrorRate), int(AlertMetric::CpuPercent), int(AlertMetric::RssBytes)};
    QCOMPARE(kinds, expected); // the four kinds: connections, latency, error rate, CPU and memory
    // Every rule has its comment in the file: the threshold is explained.
    QFile file(QStringLiteral(QUANTPUSH_DEFAULT_CONFIG));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const AlertRuleConfig &rule : std::as_const(m_shipped)) {
        const qsizetype at = lines.indexOf(QRegularExpression(u"^\\s*- \\{name: %1,.*$"_s.arg(rule.name)));
        QVERIFY2(at > 0, qPrintable(rule.name));
        QVERIFY2(lines.at(at - 1).trimmed().startsWith(u'#'), qPrintable(rule.name + u" has no comment above it"_s));
    }
}

void tst_ShippedAlerts::eachKindFiresUnderTestLoad()
{
    // The test's own config: the shipped rules, thresholds a test can reach, no hold time.
    ServerConfig config = testConfig();
    config.alerts = m_shipped;
    for (AlertRuleConfig &rule : config.alerts) {
        rule.forSec = 0;
        switch (rule.metric) {
        case AlertMetric::Connections: rule.threshold = 2; break;      // three clients
        case AlertMetric::P99LatencyMs: rule.threshold = 0.0005; break; // any delivery takes longer
        case AlertMetric::ErrorRate: rule.threshold = 3; break;        // five bad frames in a second
        case AlertMetric::CpuPercent: rule.threshold = 2; break;        // a busy loop (the CPU is shared)
        case AlertMetric::RssBytes: rule.threshold = 1 << 20; break;   // any Qt process
        default: QFAIL("the shipped config has a rule kind this test does not load");
        }
    }
    const auto nameOf = [&](AlertMetric metric) {
        for (const AlertRuleConfig &rule : std::as_const(config.alerts)) {
            if (rule.metric == metric)
                return rule.name;
        }
        return QString();
    };

    FakeClock clock;
    auto server = startServer(config, &clock);
    AlertEngine engine(config.alerts, server->metrics());
    QSignalSpy changes(&engine, &AlertEngine::alertChanged);
    const auto evaluate = [&] { engine.evaluate(clock.nowMs()); };
    clock.advance(1000); // the rate sampler's baseline
    evaluate();
    for (AlertMetric metric : {AlertMetric::Connections, AlertMetric::P99LatencyMs, AlertMetric::ErrorRate})
        QVERIFY2(!engine.isFiring(nameOf(metric)), qPrintable(nameOf(metric)));

    // Connections: three clients against a threshold of two.
    WsTestClient a, b, c;
    QVERIFY(a.open(webSocketUrl(*server)));
    QVERIFY(b.open(webSocketUrl(*server)));
    QVERIFY(!engine.isFiring(nameOf(AlertMetric::Connections)));
    QVERIFY(c.open(webSocketUrl(*server)));
    evaluate();
    QVERIFY(engine.isFiring(nameOf(AlertMetric::Connections)));

    // Latency: deliveries measured into the recent window.
    QVERIFY(a.subscribe({{u"type"_s, u"order_updates"_s}}));
    for (int i = 0; i < 20; ++i)
        server->broadcastOrderUpdate({{u"i"_s, i}});
    QTRY_COMPARE(a.pushesOn(u"order_updates"_s).size(), 20);
    evaluate();
    QVERIFY(engine.isFiring(nameOf(AlertMetric::P99LatencyMs)));

    // Error rate: five bad frames inside one sampled second.
    for (int i = 0; i < 5; ++i)
        b.sendText(u"{\"type\":\"no_such_type\"}"_s);
    QTRY_COMPARE(b.framesOfType(u"error"_s).size(), 5);
    evaluate();
    QVERIFY(!engine.isFiring(nameOf(AlertMetric::ErrorRate))); // not until the second is sampled
    clock.advance(1000);
    evaluate();
    QVERIFY(engine.isFiring(nameOf(AlertMetric::ErrorRate)));

    // CPU and memory: the process monitor samples the real process; a busy
    // loop between two samples is the load.
    ProcessMonitor monitor(server->metrics());
    if (!server->metrics()->processUsage().known)
        QSKIP("no /proc: CPU and memory are unknown here");
    QElapsedTimer busy;
    busy.start();
    volatile double sink = 0;
    while (busy.elapsed() < 300)
        sink = sink + std::sqrt(double(busy.nsecsElapsed()));
    monitor.sample();
    evaluate();
    QVERIFY2(engine.isFiring(nameOf(AlertMetric::CpuPercent)),
             qPrintable(QString::number(server->metrics()->processUsage().cpuPercent)));
    QVERIFY(engine.isFiring(nameOf(AlertMetric::RssBytes)));

    // Each rule announced itself exactly once, as firing.
    QCOMPARE(changes.size(), config.alerts.size());
    for (const QList<QVariant> &change : std::as_const(changes))
        QVERIFY(change.first().value<AlertTransition>().firing);

    // And resolves when the load goes: two clients leave, a quiet second.
    b.close();
    c.close();
    QTRY_COMPARE(server->metrics()->openConnections(), 1);
    clock.advance(1000);
    evaluate();
    QVERIFY(!engine.isFiring(nameOf(AlertMetric::Connections)));
    QVERIFY(!engine.isFiring(nameOf(AlertMetric::ErrorRate)));
}

QTEST_GUILESS_MAIN(tst_ShippedAlerts)
#include "tst_shippedalerts.moc"
