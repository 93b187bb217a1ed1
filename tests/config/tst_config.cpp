#include "config/ConfigLoader.h"
#include "config/CpuQuota.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <cmath>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

class tst_Config : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsFollowTheProtocol();
    void shippedFileLoadsAndMatchesDefaults();
    void overrides();
    void errors_data();
    void errors();
    void missingFile();
    void cpuQuotaFiles_data();
    void cpuQuotaFiles();
    void cpuQuotaTrees_data();
    void cpuQuotaTrees();
    void defaultWorkerThreadsFitTheMachine();
};

namespace {

using FileTree = QHash<QString, QByteArray>;

// Writes `files` (path relative to `root` -> contents) into a fake tree.
void writeTree(const QString &root, const FileTree &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = root + it.key();
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
        file.write(it.value());
    }
}

const QByteArray V2Mount =
    "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
const QByteArray V1CpuMount = "35 26 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - "
                              "cgroup cgroup rw,cpu,cpuacct\n";
const QByteArray HybridV2Mount =
    "29 26 0:26 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw\n";
const QByteArray ProcMount = "22 1 0:5 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n";

} // namespace

void tst_Config::defaultsFollowTheProtocol()
{
    const ServerConfig config = ServerConfig::defaults();
    QCOMPARE(config.websocket.port, 8765);
    QCOMPARE(config.channel(SubscriptionType::TradingSignals).strategy, BroadcastStrategy::PriorityQueue);
    QCOMPARE(config.channel(SubscriptionType::MarketData).strategy, BroadcastStrategy::Batched);
    QCOMPARE(config.channel(SubscriptionType::SystemMonitor).strategy, BroadcastStrategy::RateLimited);
    QCOMPARE(config.channel(SubscriptionType::PerformanceMetrics).strategy, BroadcastStrategy::RateLimited);
    QCOMPARE(config.channel(SubscriptionType::StrategyStatus).strategy, BroadcastStrategy::Immediate);
    QVERIFY(config.channel(SubscriptionType::OrderUpdates).ack);
    QVERIFY(config.channel(SubscriptionType::PositionUpdates).ack);
    QVERIFY(config.channel(SubscriptionType::RiskAlerts).ack);
    QVERIFY(!config.channel(SubscriptionType::MarketData).ack);
    QCOMPARE(config.channel(SubscriptionType::MarketData).batchIntervalMs, 20);
    QCOMPARE(config.channel(SubscriptionType::MarketData).batchMaxMessages, 100);
    QCOMPARE(config.channel(SubscriptionType::OrderUpdates).ackTimeoutMs, 5000);
    QCOMPARE(config.channel(SubscriptionType::OrderUpdates).maxRetries, 3);
    QCOMPARE(config.limits.authTimeoutMs, 5000);
    QVERIFY(config.websocket.compressionEnabled);
    QCOMPARE(config.websocket.compressionMinBytes, 256);
    QVERIFY(config.roles.contains(u"admin"_s) && config.roles.contains(u"trader"_s) && config.roles.contains(u"viewer"_s));
}

void tst_Config::shippedFileLoadsAndMatchesDefaults()
{
    QString error;
    const std::optional<ServerConfig> config = ConfigLoader::loadFile(QStringLiteral(QUANTPUSH_DEFAULT_CONFIG), &error);
    QVERIFY2(config, qPrintable(error));
    const ServerConfig defaults = ServerConfig::defaults();
    QCOMPARE(config->websocket.port, defaults.websocket.port);
    QCOMPARE(config->websocket.maxMessageSize, defaults.websocket.maxMessageSize);
    QCOMPARE(config->websocket.reconnection.maxDelayMs, defaults.websocket.reconnection.maxDelayMs);
    QCOMPARE(config->limits.maxPendingBytes, defaults.limits.maxPendingBytes);
    QCOMPARE(config->websocket.compressionEnabled, defaults.websocket.compressionEnabled);
    QCOMPARE(config->websocket.compressionMinBytes, defaults.websocket.compressionMinBytes);
    QCOMPARE(config->websocket.flushPacingMs, defaults.websocket.flushPacingMs);
    for (SubscriptionType channel : allSubscriptionTypes()) {
        QCOMPARE(config->channel(channel).strategy, defaults.channel(channel).strategy);
        QCOMPARE(config->channel(channel).ack, defaults.channel(channel).ack);
        QCOMPARE(config->channel(channel).historySize, defaults.channel(channel).historySize);
        QCOMPARE(config->channel(channel).slowConsumer, defaults.channel(channel).slowConsumer);
    }
    QCOMPARE(config->roles.value(u"viewer"_s).channels, defaults.roles.value(u"viewer"_s).channels);
    QVERIFY(config->websocket.authRequired);
}

void tst_Config::overrides()
{
    QString error;
    const std::optional<ServerConfig> config = ConfigLoader::loadYaml(R"(
websocket:
  port: 9000
  auth_required: false
  compression_enabled: false
  compression_min_bytes: 1024
  reconnection: {max_attempts: 0, jitter_enabled: false}
auth:
  anonymous_role: reader
  api_keys:
    - {key_sha256: "0000000000000000000000000000000000000000000000000000000000000000", user: bot, role: admin}
roles:
  reader: {channels: [market_data], publish: false}
channels:
  market_data: {strategy: immediate, history_size: 5}
  order_updates: {slow_consumer: gap, ack_timeout_ms: 100}
security:
  allowed_origins: ["https://desk.example"]
)", &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->websocket.port, 9000);
    QVERIFY(!config->websocket.authRequired);
    QVERIFY(!config->websocket.compressionEnabled);
    QCOMPARE(config->websocket.compressionMinBytes, 1024);
    QCOMPARE(config->websocket.reconnection.maxAttempts, 0);
    QVERIFY(!config->websocket.reconnection.jitterEnabled);
    QCOMPARE(config->websocket.reconnection.initialDelayMs, 1000); // untouched default
    QCOMPARE(config->auth.apiKeys.size(), 1);
    QCOMPARE(config->roles.value(u"reader"_s).channels, QStringList {u"market_data"_s});
    QVERIFY(config->roles.contains(u"admin"_s)); // built-in roles stay
    QCOMPARE(config->channel(SubscriptionType::MarketData).strategy, BroadcastStrategy::Immediate);
    QCOMPARE(config->channel(SubscriptionType::MarketData).historySize, 5);
    QCOMPARE(config->channel(SubscriptionType::OrderUpdates).slowConsumer, SlowConsumerPolicy::Gap);
    QCOMPARE(config->channel(SubscriptionType::OrderUpdates).ackTimeoutMs, 100);
    QCOMPARE(config->security.allowedOrigins, QStringList {u"https://desk.example"_s});
}

void tst_Config::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("errorContains");
    auto row = [](const char *name, const char *yaml, const char *error) {
        QTest::newRow(name) << QByteArray(yaml) << QString::fromUtf8(error);
    };
    row("unknown top-level key", "websockets: {}", "websockets: unknown key");
    row("unknown nested key", "websocket: {prot: 1}", "websocket.prot: unknown key");
    row("unknown deep key", "websocket: {reconnection: {retries: 3}}", "websocket.reconnection.retries: unknown key");
    row("port not a number", "websocket: {port: abc}", "websocket.port: expected an integer, got 'abc'");
    row("port out of range", "websocket: {port: 70000}", "websocket.port: must be between 0 and 65535");
    row("bool wrong", "websocket: {auth_required: maybe}", "websocket.auth_required: expected true or false");
    row("section not a map", "websocket: 5", "websocket: expected a mapping");
    row("worker threads zero", "websocket: {worker_threads: 0}", "websocket.worker_threads: must be between 1 and 256");
    row("worker threads too many", "websocket: {worker_threads: 100000}", "websocket.worker_threads: must be between 1 and 256");
    row("worker threads not a number", "websocket: {worker_threads: many}", "websocket.worker_threads: expected an integer, got 'many'");
    row("replay budget zero", "limits: {replay_messages_per_sec: 0}", "limits.replay_messages_per_sec: must be between 1 and 100000000");
    row("pending handshakes zero", "limits: {max_pending_handshakes: 0}", "limits.max_pending_handshakes: must be between 1 and 1000000");
    row("flush pacing negative", "websocket: {flush_pacing_ms: -1}", "websocket.flush_pacing_ms: must be between 0 and 1000");
    row("flush pacing too long", "websocket: {flush_pacing_ms: 5000}", "websocket.flush_pacing_ms: must be between 0 and 1000");
    row("compression not a bool", "websocket: {compression_enabled: sometimes}", "websocket.compression_enabled: expected true or false");
    row("compression threshold negative", "websocket: {compression_min_bytes: -1}", "websocket.compression_min_bytes: must be between");
    row("unknown channel", "channels: {gossip: {strategy: immediate}}", "channels.gossip: unknown channel");
    row("unknown strategy", "channels: {market_data: {strategy: fastest}}", "channels.market_data.strategy: must be one of");
    row("unknown channel key", "channels: {market_data: {batch: 5}}", "channels.market_data.batch: unknown key");
    row("bad slow consumer", "channels: {market_data: {slow_consumer: ignore}}", "channels.market_data.slow_consumer");
    row("rate zero", "channels: {system_monitor: {rate_limit_per_sec: 0}}", "rate_limit_per_sec: must be between");
    row("role unknown channel", "roles: {bot: {channels: [gossip]}}", "roles.bot.channels: unknown channel 'gossip'");
    row("anonymous role unknown", "auth: {anonymous_role: ghost}", "auth.anonymous_role: no role named 'ghost'");
    row("api key without user", "auth: {api_keys: [{key: abc, role: admin}]}", "auth.api_keys[0].user: is required");
    row("api key both forms", "auth: {api_keys: [{key: a, key_sha256: b, user: u, role: admin}]}", "exactly one of key or key_sha256");
    row("api key unknown role", "auth: {api_keys: [{key: a, user: u, role: ghost}]}", "unknown role 'ghost'");
    row("secret twice", "auth: {jwt_secret: a, jwt_secret_file: /x}", "not both");
    row("tls half", "security: {tls: {cert: /a.pem}}", "security.tls.cert: give both cert and key");
    row("origins not a list", "security: {allowed_origins: 5}", "security.allowed_origins: expected a list of strings");
    row("broker type", "broker: {type: kafka}", "broker.type: must be one of local, redis");
    row("broker unknown key", "broker: {type: redis, hosts: [a]}", "broker.hosts: unknown key");
    row("broker bad url", "broker: {type: redis, url: 'http://cache:6379'}", "broker.url: 'http://cache:6379' is not redis://host[:port][/db]");
    row("broker url password", "broker: {type: redis, url: 'redis://:pw@cache'}", "broker.url: 'redis://:pw@cache' is not redis://");
    row("broker url port", "broker: {type: redis, url: 'redis://cache:99999'}", "broker.url: port 99999 is not in 1..65535");
    row("broker url db", "broker: {type: redis, url: 'redis://cache/42'}", "broker.url: database 42 is not in 0..15");
    row("broker redis key on local", "broker: {type: local, node_id: a}", "broker.node_id: only applies with type: redis");
    row("broker url on local", "broker: {url: 'redis://cache'}", "broker.url: only applies with type: redis");
    row("broker node id", "broker: {type: redis, node_id: 'a b'}", "broker.node_id: use up to 64 letters");
    row("broker timeout", "broker: {type: redis, timeout_ms: 0}", "broker.timeout_ms: must be between");
    row("reconnect max below initial", "websocket: {reconnection: {initial_delay_ms: 500, max_delay_ms: 100}}", "max_delay_ms: must not be below");
    row("log level", "logging: {level: loud}", "logging.level: must be one of");
    row("yaml syntax", "websocket: [unclosed", "YAML syntax error at line");
    row("two errors both named", "websocket: {port: x, max_connections: y}", "websocket.max_connections");
}

void tst_Config::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, errorContains);
    QString error;
    QVERIFY(!ConfigLoader::loadYaml(yaml, &error));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
}

void tst_Config::missingFile()
{
    QString error;
    QVERIFY(!ConfigLoader::loadFile(u"/nonexistent/quantpush.yaml"_s, &error));
    QVERIFY2(error.contains(u"/nonexistent/quantpush.yaml"_s), qPrintable(error));
}

void tst_Config::cpuQuotaFiles_data()
{
    QTest::addColumn<QByteArray>("cpuMax");
    QTest::addColumn<double>("cores"); // < 0: no quota

    QTest::newRow("unlimited") << QByteArray("max 100000") << -1.0;
    QTest::newRow("one and a half") << QByteArray("150000 100000\n") << 1.5;
    QTest::newRow("half") << QByteArray("50000 100000") << 0.5;
    QTest::newRow("empty") << QByteArray() << -1.0;
    QTest::newRow("garbage") << QByteArray("lots 100000") << -1.0;
    QTest::newRow("zero period") << QByteArray("100000 0") << -1.0;
    QTest::newRow("three fields") << QByteArray("100000 100000 1") << -1.0;
}

void tst_Config::cpuQuotaFiles()
{
    QFETCH(QByteArray, cpuMax);
    QFETCH(double, cores);
    const std::optional<double> quota = CpuQuota::fromCpuMax(cpuMax);
    QCOMPARE(quota.has_value(), cores >= 0);
    if (quota)
        QCOMPARE(*quota, cores);
    // cgroup v1's pair: -1 is "no quota".
    QVERIFY(!CpuQuota::fromCfs("-1", "100000"));
    QCOMPARE(CpuQuota::fromCfs("200000\n", "100000\n").value_or(-1), 2.0);
}

void tst_Config::cpuQuotaTrees_data()
{
    QTest::addColumn<FileTree>("files");
    QTest::addColumn<double>("cores"); // < 0: no quota

    QTest::newRow("v2, the service's own quota") << FileTree {
        {u"/proc/self/mountinfo"_s, ProcMount + V2Mount},
        {u"/proc/self/cgroup"_s, "0::/system.slice/quantpush.service\n"},
        {u"/sys/fs/cgroup/cpu.max"_s, "max 100000"},
        {u"/sys/fs/cgroup/system.slice/cpu.max"_s, "max 100000"},
        {u"/sys/fs/cgroup/system.slice/quantpush.service/cpu.max"_s, "150000 100000"},
    } << 1.5;
    QTest::newRow("v2, a parent's lower quota binds") << FileTree {
        {u"/proc/self/mountinfo"_s, V2Mount},
        {u"/proc/self/cgroup"_s, "0::/kubepods/pod1/ctr\n"},
        {u"/sys/fs/cgroup/kubepods/pod1/cpu.max"_s, "50000 100000"},
        {u"/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max"_s, "max 100000"},
    } << 0.5;
    QTest::newRow("v2, no quota anywhere") << FileTree {
        {u"/proc/self/mountinfo"_s, V2Mount},
        {u"/proc/self/cgroup"_s, "0::/user.slice\n"},
        {u"/sys/fs/cgroup/user.slice/cpu.max"_s, "max 100000"},
    } << -1.0;
    QTest::newRow("v2 in a container (namespace root)") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n"},
        {u"/proc/self/cgroup"_s, "0::/\n"},
        {u"/sys/fs/cgroup/cpu.max"_s, "200000 100000"},
    } << 2.0;
    QTest::newRow("v2 mount of a sub-tree") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n"},
        {u"/proc/self/cgroup"_s, "0::/docker/abc\n"},
        {u"/sys/fs/cgroup/cpu.max"_s, "100000 100000"},
    } << 1.0;
    QTest::newRow("hybrid: v1 cpu controller") << FileTree {
        {u"/proc/self/mountinfo"_s, V1CpuMount + HybridV2Mount},
        {u"/proc/self/cgroup"_s, "4:cpu,cpuacct:/system.slice/quantpush.service\n0::/system.slice/quantpush.service\n"},
        {u"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"_s, "-1"},
        {u"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"_s, "100000"},
        {u"/sys/fs/cgroup/cpu,cpuacct/system.slice/quantpush.service/cpu.cfs_quota_us"_s, "100000"},
        {u"/sys/fs/cgroup/cpu,cpuacct/system.slice/quantpush.service/cpu.cfs_period_us"_s, "100000"},
    } << 1.0;
    QTest::newRow("v1 without a quota") << FileTree {
        {u"/proc/self/mountinfo"_s, V1CpuMount},
        {u"/proc/self/cgroup"_s, "4:cpu,cpuacct:/\n"},
        {u"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"_s, "-1"},
        {u"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"_s, "100000"},
    } << -1.0;
    QTest::newRow("no cgroup file system") << FileTree {
        {u"/proc/self/mountinfo"_s, ProcMount},
        {u"/proc/self/cgroup"_s, "0::/\n"},
    } << -1.0;
    QTest::newRow("a root that is only a prefix of the path's name") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n"},
        {u"/proc/self/cgroup"_s, "0::/docker/abcdef\n"},
        {u"/sys/fs/cgroup/cpu.max"_s, "100000 100000"},
        {u"/sys/fs/cgroupdef/cpu.max"_s, "100000 100000"},
    } << -1.0;
    QTest::newRow("two mounts of the hierarchy: the one that shows the path") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 /other /mnt/other ro - cgroup2 cgroup2 rw\n" + V2Mount},
        {u"/proc/self/cgroup"_s, "0::/app\n"},
        {u"/mnt/other/cpu.max"_s, "100000 100000"},
        {u"/sys/fs/cgroup/app/cpu.max"_s, "300000 100000"},
    } << 3.0;
    QTest::newRow("a mount point with a space (escaped in mountinfo)") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 / /cg\\040root rw - cgroup2 cgroup2 rw\n"},
        {u"/proc/self/cgroup"_s, "0::/app\n"},
        {u"/cg root/app/cpu.max"_s, "250000 100000"},
    } << 2.5;
    QTest::newRow("cgroup outside the mounted sub-tree") << FileTree {
        {u"/proc/self/mountinfo"_s, "40 30 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n"},
        {u"/proc/self/cgroup"_s, "0::/elsewhere\n"},
        {u"/sys/fs/cgroup/cpu.max"_s, "100000 100000"},
    } << -1.0;
}

void tst_Config::cpuQuotaTrees()
{
    QFETCH(FileTree, files);
    QFETCH(double, cores);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    writeTree(root.path(), files);
    const std::optional<double> quota = CpuQuota::cores(root.path());
    QVERIFY2(quota.has_value() == (cores >= 0), qPrintable(QString::number(quota.value_or(-1))));
    if (quota)
        QCOMPARE(*quota, cores);
}

void tst_Config::defaultWorkerThreadsFitTheMachine()
{
    const int threads = WebSocketConfig::defaultWorkerThreads();
    QVERIFY(threads >= 1);
    QVERIFY(threads <= std::max(1, QThread::idealThreadCount()));
    if (const std::optional<double> quota = CpuQuota::cores())
        QVERIFY2(threads <= std::max(1, int(std::ceil(*quota))), qPrintable(QString::number(*quota)));
    QVERIFY2(WebSocketConfig::defaultWorkerThreadsBasis().startsWith(QString::number(threads) + u","_s),
             qPrintable(WebSocketConfig::defaultWorkerThreadsBasis()));
    QCOMPARE(WebSocketConfig().workerThreads, threads);
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
