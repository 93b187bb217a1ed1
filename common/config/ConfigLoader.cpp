#include "ConfigLoader.h"

#include "YamlSection.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr int MaxInt = std::numeric_limits<int>::max();
constexpr qint64 MaxInt64 = std::numeric_limits<qint64>::max();

void readReconnection(YamlSection section, ReconnectionConfig &config)
{
    section.read("enabled", config.enabled);
    section.read("max_attempts", config.maxAttempts, 0, MaxInt);
    section.read("initial_delay_ms", config.initialDelayMs, 1, 3600000);
    section.read("max_delay_ms", config.maxDelayMs, 1, 3600000);
    section.read("backoff_multiplier", config.backoffMultiplier, 1.0, 100.0);
    section.read("jitter_enabled", config.jitterEnabled);
    if (config.maxDelayMs < config.initialDelayMs)
        section.error(u"max_delay_ms"_s, u"must not be below initial_delay_ms"_s);
    section.rejectUnknownKeys();
}

void readWebSocket(YamlSection section, WebSocketConfig &config)
{
    section.read("host", config.host);
    section.read("port", config.port, 0, 65535);
    section.read("max_connections", config.maxConnections, 1, 1000000);
    section.read("ping_interval", config.pingIntervalSec, 1, 3600);
    section.read("connection_timeout", config.connectionTimeoutSec, 1, 86400);
    section.read("auth_required", config.authRequired);
    section.read("compression_enabled", config.compressionEnabled);
    section.read("compression_min_bytes", config.compressionMinBytes, 0, 1 << 30);
    section.read("message_queue_size", config.messageQueueSize, 1, 10000000);
    section.read("max_message_size", config.maxMessageSize, 64, qint64(1) << 30);
    section.read("worker_threads", config.workerThreads, 1, WebSocketConfig::MaxWorkerThreads);
    section.read("flush_pacing_ms", config.flushPacingMs, 0, 1000);
    readReconnection(section.section("reconnection"), config.reconnection);
    section.rejectUnknownKeys();
}

void readAuth(YamlSection section, AuthConfig &config)
{
    section.read("jwt_secret", config.jwtSecret);
    section.read("jwt_secret_file", config.jwtSecretFile);
    section.read("jwt_leeway_s", config.jwtLeewaySec, 0, 3600);
    section.read("allow_weak_secret", config.allowWeakSecret);
    section.forEachItem("jwt_keys", [&config](YamlSection &item) {
        JwtKeyConfig key;
        item.read("kid", key.kid);
        item.read("secret", key.secret);
        item.read("secret_file", key.secretFile);
        if (key.secret.isEmpty() == key.secretFile.isEmpty())
            item.error(u"secret"_s, u"give exactly one of secret or secret_file"_s);
        config.jwtKeys.append(key);
    });
    section.read("anonymous_role", config.anonymousRole);
    if (section.has("anonymous_accounts")) {
        QStringList accounts;
        section.read("anonymous_accounts", accounts);
        config.anonymousAccounts = accounts;
    }
    section.forEachItem("api_keys", [&config](YamlSection &item) {
        ApiKeyConfig key;
        item.read("key", key.key);
        item.read("key_sha256", key.keySha256);
        item.read("user", key.user);
        item.read("role", key.role);
        if (key.key.isEmpty() == key.keySha256.isEmpty())
            item.error(u"key"_s, u"give exactly one of key or key_sha256"_s);
        if (key.user.isEmpty())
            item.error(u"user"_s, u"is required"_s);
        if (key.role.isEmpty())
            item.error(u"role"_s, u"is required"_s);
        config.apiKeys.append(key);
    });
    if (!config.jwtSecret.isEmpty() && !config.jwtSecretFile.isEmpty())
        section.error(u"jwt_secret"_s, u"give jwt_secret or jwt_secret_file, not both"_s);
    section.rejectUnknownKeys();
}

void readRoles(YamlSection section, QHash<QString, RoleConfig> &roles)
{
    section.forEachEntry([&roles](const QString &name, YamlSection &entry) {
        RoleConfig role = roles.value(name);
        entry.read("channels", role.channels);
        entry.read("publish", role.publish);
        entry.read("admin", role.admin);
        entry.read("require_accounts", role.requireAccounts);
        for (const QString &channel : std::as_const(role.channels)) {
            if (channel != u"*"_s && !subscriptionTypeFromWire(channel))
                entry.error(u"channels"_s, u"unknown channel '%1'"_s.arg(channel));
        }
        roles.insert(name, role);
    });
}

void readChannels(YamlSection section, std::array<ChannelConfig, SubscriptionTypeCount> &channels)
{
    const QStringList strategies {u"immediate"_s, u"batched"_s, u"priority_queue"_s, u"rate_limited"_s};
    section.forEachEntry([&](const QString &name, YamlSection &entry) {
        const std::optional<SubscriptionType> type = subscriptionTypeFromWire(name);
        if (!type) {
            entry.error(QString(), u"unknown channel"_s);
            entry.skip();
            return;
        }
        ChannelConfig &config = channels[std::size_t(*type)];
        entry.readChoice("strategy", strategies, [&config](const QString &value) {
            config.strategy = *broadcastStrategyFromWire(value);
        });
        entry.read("ack", config.ack);
        entry.read("history_size", config.historySize, 0, 10000000);
        entry.read("batch_interval_ms", config.batchIntervalMs, 1, 60000);
        entry.read("batch_max_messages", config.batchMaxMessages, 1, 100000);
        entry.read("rate_limit_per_sec", config.rateLimitPerSec, 0.001, 1000000.0);
        entry.read("ack_timeout_ms", config.ackTimeoutMs, 10, 3600000);
        entry.read("max_retries", config.maxRetries, 0, 1000);
        entry.readChoice("slow_consumer", {u"gap"_s, u"close"_s}, [&config](const QString &value) {
            config.slowConsumer = value == u"close"_s ? SlowConsumerPolicy::Close : SlowConsumerPolicy::Gap;
        });
    });
}

void readLimits(YamlSection section, LimitsConfig &config)
{
    section.read("max_subscriptions", config.maxSubscriptions, 1, 100000);
    section.read("inbound_messages_per_sec", config.inboundMessagesPerSec, 0.01, 1000000.0);
    section.read("inbound_burst", config.inboundBurst, 1, 1000000);
    section.read("rate_limit_strikes", config.rateLimitStrikes, 0, 1000000);
    section.read("auth_timeout_ms", config.authTimeoutMs, 10, 3600000);
    section.read("max_connections_per_ip", config.maxConnectionsPerIp, 1, 1000000);
    section.read("max_json_depth", config.maxJsonDepth, 2, 1000);
    section.read("max_filter_conditions", config.maxFilterConditions, 1, 10000);
    section.read("max_filter_values", config.maxFilterValues, 1, 10000000);
    section.read("max_filter_values_per_connection", config.maxFilterValuesPerConnection, 1, 100000000);
    section.read("handshake_timeout_ms", config.handshakeTimeoutMs, 10, 600000);
    section.read("max_pending_handshakes", config.maxPendingHandshakes, 1, 1000000);
    section.read("replay_messages_per_sec", config.replayMessagesPerSec, 1, 100000000);
    section.read("max_pending_bytes", config.maxPendingBytes, 1024, MaxInt64);
    section.read("pre_auth_pending_bytes", config.preAuthPendingBytes, 1024, MaxInt64);
    section.read("close_grace_ms", config.closeGraceMs, 10, 60000);
    section.read("shutdown_drain_ms", config.shutdownDrainMs, 0, 600000);
    section.rejectUnknownKeys();
}

void readSecurity(YamlSection section, SecurityConfig &config)
{
    section.read("allowed_origins", config.allowedOrigins);
    YamlSection tls = section.section("tls");
    tls.read("cert", config.tls.certFile);
    tls.read("key", config.tls.keyFile);
    if (config.tls.certFile.isEmpty() != config.tls.keyFile.isEmpty())
        tls.error(u"cert"_s, u"give both cert and key, or neither"_s);
    tls.rejectUnknownKeys();
    section.rejectUnknownKeys();
}

void readHttp(YamlSection section, HttpConfig &config)
{
    section.read("metrics_public", config.metricsPublic);
    section.read("max_body_bytes", config.maxBodyBytes, 0, qint64(1) << 30);
    section.read("max_header_bytes", config.maxHeaderBytes, 256, 1 << 20);
    section.read("request_timeout_ms", config.requestTimeoutMs, 10, 3600000);
    section.read("max_connections", config.maxConnections, 1, 1000000);
    section.read("max_connections_per_ip", config.maxConnectionsPerIp, 1, 1000000);
    section.rejectUnknownKeys();
}

// redis://host[:port][/db]; anything else is named as the error.
void parseRedisUrl(YamlSection &section, BrokerConfig &config)
{
    static const QRegularExpression pattern(u"^redis://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?(?:/(\\d{1,2})?)?$"_s);
    const QRegularExpressionMatch match = pattern.match(config.url);
    if (!match.hasMatch()) {
        section.error(u"url"_s,
                      u"'%1' is not redis://host[:port][/db] (passwords, TLS and sockets are not supported)"_s.arg(
                          config.url));
        return;
    }
    config.redisHost = match.captured(1);
    if (config.redisHost.startsWith(u'['))
        config.redisHost = config.redisHost.mid(1, config.redisHost.size() - 2);
    const QString port = match.captured(2);
    const QString db = match.captured(3);
    config.redisPort = port.isEmpty() ? 6379 : port.toInt();
    config.redisDb = db.isEmpty() ? 0 : db.toInt();
    if (config.redisPort < 1 || config.redisPort > 65535)
        section.error(u"url"_s, u"port %1 is not in 1..65535"_s.arg(port));
    if (config.redisDb > 15)
        section.error(u"url"_s, u"database %1 is not in 0..15"_s.arg(db));
}

void readBroker(YamlSection section, BrokerConfig &config)
{
    section.readChoice("type", {u"local"_s, u"redis"_s}, [&config](const QString &value) { config.type = value; });
    QString url;
    section.read("url", url);
    if (!url.isEmpty())
        config.url = url;
    section.read("node_id", config.nodeId);
    section.read("start_without_redis", config.startWithoutRedis);
    section.read("timeout_ms", config.timeoutMs, 50, 60000);
    section.read("heartbeat_interval_ms", config.heartbeatIntervalMs, 100, 60000);
    if (config.type == u"redis"_s)
        parseRedisUrl(section, config);
    static const QRegularExpression nodeIdPattern(u"^[A-Za-z0-9._:-]{0,64}$"_s);
    if (!nodeIdPattern.match(config.nodeId).hasMatch())
        section.error(u"node_id"_s, u"use up to 64 letters, digits and . _ : -"_s);
    // Keys that only mean something with Redis must not be set for local.
    if (config.type == u"local"_s && section.isPresent()) {
        // An empty url is the shipped default file's placeholder.
        if (!url.isEmpty())
            section.error(u"url"_s, u"only applies with type: redis"_s);
        for (const char *key : {"node_id", "start_without_redis", "timeout_ms", "heartbeat_interval_ms"}) {
            if (section.has(key))
                section.error(QString::fromLatin1(key), u"only applies with type: redis"_s);
        }
    }
    section.rejectUnknownKeys();
}

void readDemo(YamlSection section, DemoConfig &config)
{
    section.read("enabled", config.enabled);
    section.read("symbols", config.symbols);
    section.read("accounts", config.accounts);
    section.read("tick_interval_ms", config.tickIntervalMs, 1, 3600000);
    section.read("strategy_status_interval_ms", config.strategyStatusIntervalMs, 10, 3600000);
    section.read("system_monitor_interval_ms", config.systemMonitorIntervalMs, 10, 3600000);
    section.read("performance_interval_ms", config.performanceIntervalMs, 10, 3600000);
    section.read("order_interval_ms", config.orderIntervalMs, 10, 3600000);
    section.read("risk_alert_probability", config.riskAlertProbability, 0.0, 1.0);
    if (config.symbols.isEmpty())
        section.error(u"symbols"_s, u"needs at least one symbol"_s);
    section.rejectUnknownKeys();
}

void readLogging(YamlSection section, LoggingConfig &config)
{
    section.readChoice("level", {u"debug"_s, u"info"_s, u"warning"_s, u"critical"_s},
                       [&config](const QString &value) { config.level = value; });
    section.read("access_log_file", config.accessLogFile);
    section.rejectUnknownKeys();
}

bool isRuleName(const QString &name)
{
    static const QRegularExpression pattern(u"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$"_s);
    return pattern.match(name).hasMatch();
}

// A list of rules; metric, op and threshold are required, names are unique
// (they label quantpush_alert_active in /metrics).
void readAlerts(YamlSection &top, QList<AlertRuleConfig> &rules)
{
    QStringList metricNames;
    for (QLatin1StringView name : AlertMetricNames)
        metricNames.append(name);
    top.forEachItem("alerts", [&](YamlSection &item) {
        AlertRuleConfig rule;
        QString metric;
        QString op;
        double threshold = std::numeric_limits<double>::quiet_NaN();
        item.read("name", rule.name);
        item.read("metric", metric);
        item.read("op", op);
        item.read("threshold", threshold, -1e18, 1e18);
        item.read("for_s", rule.forSec, 0, 86400);
        if (!isRuleName(rule.name))
            item.error(u"name"_s, u"is required: letters, digits, _ . : - (at most 64), not starting with a digit"_s);
        else if (std::any_of(rules.cbegin(), rules.cend(), [&](const AlertRuleConfig &r) { return r.name == rule.name; }))
            item.error(u"name"_s, u"'%1' is used by an earlier rule"_s.arg(rule.name));
        if (metric.isEmpty())
            item.error(u"metric"_s, u"is required: one of %1"_s.arg(metricNames.join(u", "_s)));
        else if (!metricNames.contains(metric))
            item.error(u"metric"_s, u"must be one of %1, got '%2'"_s.arg(metricNames.join(u", "_s), metric));
        else
            rule.metric = AlertMetric(metricNames.indexOf(metric));
        if (op.isEmpty())
            item.error(u"op"_s, u"is required: above or below"_s);
        else if (op != u"above"_s && op != u"below"_s)
            item.error(u"op"_s, u"must be above or below, got '%1'"_s.arg(op));
        rule.op = op == u"below"_s ? AlertOp::Below : AlertOp::Above;
        if (std::isnan(threshold))
            item.error(u"threshold"_s, u"is required: a number"_s);
        rule.threshold = threshold;
        rules.append(rule);
    });
}

} // namespace

std::optional<ServerConfig> ConfigLoader::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    std::optional<ServerConfig> config = loadYaml(file.readAll(), error);
    if (!config)
        *error = path + u": "_s + *error;
    return config;
}

std::optional<ServerConfig> ConfigLoader::loadYaml(const QByteArray &yaml, QString *error)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        *error = u"YAML syntax error at line %1, column %2: %3"_s
                     .arg(e.mark.line + 1)
                     .arg(e.mark.column + 1)
                     .arg(QString::fromStdString(e.msg));
        return std::nullopt;
    }

    ServerConfig config = ServerConfig::defaults();
    QStringList errors;
    YamlSection top(root, QString(), &errors);
    readWebSocket(top.section("websocket"), config.websocket);
    readAuth(top.section("auth"), config.auth);
    readRoles(top.section("roles"), config.roles);
    readChannels(top.section("channels"), config.channels);
    readLimits(top.section("limits"), config.limits);
    readSecurity(top.section("security"), config.security);
    readHttp(top.section("http"), config.http);
    readBroker(top.section("broker"), config.broker);
    readDemo(top.section("demo"), config.demo);
    readLogging(top.section("logging"), config.logging);
    readAlerts(top, config.alerts);
    top.rejectUnknownKeys();

    if (!config.roles.contains(config.auth.anonymousRole))
        errors.append(u"auth.anonymous_role: no role named '%1'"_s.arg(config.auth.anonymousRole));
    for (const ApiKeyConfig &key : std::as_const(config.auth.apiKeys)) {
        if (!key.role.isEmpty() && !config.roles.contains(key.role))
            errors.append(u"auth.api_keys: user '%1' has unknown role '%2'"_s.arg(key.user, key.role));
    }
    if (!errors.isEmpty()) {
        *error = errors.join(u"; "_s);
        return std::nullopt;
    }
    return config;
}

} // namespace QuantPush
