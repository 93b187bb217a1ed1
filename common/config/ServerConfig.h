#pragma once

#include "protocol/Protocol.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <array>
#include <optional>

// Every setting of the server, with its default. Loaded from YAML by
// ConfigLoader; the command line overrides a few of them.
namespace QuantPush {

struct ReconnectionConfig
{
    bool enabled = true;
    int maxAttempts = 10;
    int initialDelayMs = 1000;
    int maxDelayMs = 30000;
    double backoffMultiplier = 2.0;
    bool jitterEnabled = true;
};

struct WebSocketConfig
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8765;
    int maxConnections = 10000;
    int pingIntervalSec = 30;        // a WebSocket ping to every client this often
    int connectionTimeoutSec = 60;   // close a client silent (no frame, no pong) this long
    bool authRequired = true;
    // ?compression=deflate may turn on compressed push frames (docs/protocol.md,
    // "Compression"); frames with less JSON than compressionMinBytes stay text.
    bool compressionEnabled = true;
    int compressionMinBytes = 256;
    int messageQueueSize = 1000;     // per session: messages waiting while the socket is full
    qint64 maxMessageSize = 65536;   // bytes, inbound frame or message (close 1009 above)
    // Threads that own the connections (sockets, sessions, heartbeats,
    // inbound rate limits), each on its own event loop; 1 keeps them all on
    // the main thread. Default: one per core the process may use (its
    // affinity mask, capped by a cgroup CPU quota: CpuQuota).
    int workerThreads = defaultWorkerThreads();
    // While a connection thread waits for a CPU 20 % of its time or more
    // (more busy threads than cores), pushes to a connection are gathered
    // for up to this long and sent together, not every loop turn (fewer
    // syscalls when CPU is short); 0 never gathers. Replies never wait.
    int flushPacingMs = 12;
    ReconnectionConfig reconnection;

    static constexpr int MaxWorkerThreads = 256;
    static int defaultWorkerThreads();
    // The default and what it follows, for the start-up log.
    static QString defaultWorkerThreadsBasis();
};

struct ApiKeyConfig
{
    QString key;        // plaintext (discouraged) ...
    QString keySha256;  // ... or its SHA-256 in hex
    QString user;
    QString role;
};

// One more JWT secret (key rotation): picked by the token's `kid` header
// when it names one, otherwise tried in order after the main secret.
struct JwtKeyConfig
{
    QString kid;
    QString secret;      // inline (UTF-8) ...
    QString secretFile;  // ... or read as raw bytes
    QByteArray loaded;   // the bytes read from secretFile (SecretStore)
};

struct AuthConfig
{
    QString jwtSecret;
    QString jwtSecretFile;
    QByteArray jwtSecretLoaded; // the bytes read from jwtSecretFile (SecretStore)
    QList<JwtKeyConfig> jwtKeys;
    bool allowWeakSecret = false; // secrets under 32 bytes: a warning instead of a refusal
    int jwtLeewaySec = 0;
    QString anonymousRole = QStringLiteral("viewer");
    // The accounts claim of anonymous connections (nullopt: none; --demo
    // grants the demo feed's accounts).
    std::optional<QStringList> anonymousAccounts;
    QList<ApiKeyConfig> apiKeys;
};

struct RoleConfig
{
    QStringList channels; // wire names; "*" for all
    bool publish = false;
    bool admin = false;
    // Without an `accounts` claim, no account data at all (fail closed):
    // messages with `data.account` are withheld on every channel and the
    // account channels refuse the subscription with `forbidden`.
    bool requireAccounts = false;
};

enum class SlowConsumerPolicy { Gap, Close };

struct ChannelConfig
{
    BroadcastStrategy strategy = BroadcastStrategy::Immediate;
    bool ack = false;
    int historySize = 1000;
    int batchIntervalMs = 20;
    int batchMaxMessages = 100;
    double rateLimitPerSec = 10.0;
    int ackTimeoutMs = 5000;
    int maxRetries = 3;
    SlowConsumerPolicy slowConsumer = SlowConsumerPolicy::Gap;
};

struct LimitsConfig
{
    int maxSubscriptions = 100;          // per connection
    double inboundMessagesPerSec = 50;   // per connection, token bucket
    int inboundBurst = 100;
    int rateLimitStrikes = 20;           // frames sent after rate_limited before close 4029
    int authTimeoutMs = 5000;
    int maxConnectionsPerIp = 256;
    int maxFilterValues = 1000;              // per subscription: conditions + in/nin values
    int maxFilterValuesPerConnection = 5000; // the same, summed over a connection's subscriptions
    int maxJsonDepth = 32;
    int maxFilterConditions = 32;
    int handshakeTimeoutMs = 5000;
    // Connections still sending their request head, in all (from one
    // address: maxConnectionsPerIp); past it a new one is closed at once.
    int maxPendingHandshakes = 4096;
    // Messages a connection may have replayed from history (subscribe with
    // `since`), a second; it may save up a resume of every channel's whole
    // history at once. Past it the subscribe is refused with rate_limited.
    int replayMessagesPerSec = 20000;
    qint64 maxPendingBytes = 4 * 1024 * 1024; // per session, bytes buffered in the socket
    qint64 preAuthPendingBytes = 8 * 1024;    // per session before auth: all it may hold (else 4008)
    int closeGraceMs = 1000;                  // after a close, the socket is aborted this much later
    int shutdownDrainMs = 2000;
};

struct TlsConfig
{
    QString certFile;
    QString keyFile;
    bool enabled() const { return !certFile.isEmpty(); }
};

struct SecurityConfig
{
    QStringList allowedOrigins; // empty: any origin (non-browser clients send none)
    TlsConfig tls;
};

struct HttpConfig
{
    bool metricsPublic = false;
    qint64 maxBodyBytes = 1024 * 1024;
    int maxHeaderBytes = 16 * 1024;
    int requestTimeoutMs = 10000;
    int maxConnections = 256;  // HTTP requests in flight at once; more get 503
    int maxConnectionsPerIp = 8; // the same from one address (/healthz and public /metrics are outside both)
};

struct BrokerConfig
{
    QString type = QStringLiteral("local");
    QString url = QStringLiteral("redis://127.0.0.1:6379/0"); // redis://host[:port][/db]
    // Parsed from url by the loader.
    QString redisHost = QStringLiteral("127.0.0.1");
    int redisPort = 6379;
    int redisDb = 0;
    QString nodeId;                 // empty: <hostname>:<port>
    bool startWithoutRedis = false; // Redis unreachable at start: serve alone instead of exiting
    int timeoutMs = 2000;           // connect and command timeout against Redis
    int heartbeatIntervalMs = 1000; // node heartbeat; a node is gone after 3 missed beats
};

struct DemoConfig
{
    bool enabled = false;
    QStringList symbols {QStringLiteral("BTCUSDT"), QStringLiteral("ETHUSDT"), QStringLiteral("SOLUSDT"),
                         QStringLiteral("BNBUSDT"), QStringLiteral("XRPUSDT")};
    QStringList accounts {QStringLiteral("DEMO-A1"), QStringLiteral("DEMO-B2")};
    int tickIntervalMs = 100;         // market_data per symbol
    int strategyStatusIntervalMs = 5000;
    int systemMonitorIntervalMs = 1000;
    int performanceIntervalMs = 2000;
    int orderIntervalMs = 1500;
    double riskAlertProbability = 0.02; // per order
};

struct LoggingConfig
{
    QString level = QStringLiteral("info");
    QString accessLogFile;
};

// One alert rule (section `alerts:`): the rule fires when `metric` has been
// `op` `threshold` for `for_s` seconds, and resolves as soon as it is not.
enum class AlertMetric {
    Connections, P99LatencyMs, ErrorRate, CpuPercent, RssBytes,
    BytesInPerSec, BytesOutPerSec, QueuedFrames, PendingMessages, CpuWaitPercent,
};
enum class AlertOp { Above, Below };

// Config names of AlertMetric, in enum order.
inline constexpr std::array<QLatin1StringView, 10> AlertMetricNames {
    QLatin1StringView("connections"), QLatin1StringView("p99_latency_ms"), QLatin1StringView("error_rate"),
    QLatin1StringView("cpu_percent"), QLatin1StringView("rss_bytes"), QLatin1StringView("bytes_in_per_sec"),
    QLatin1StringView("bytes_out_per_sec"), QLatin1StringView("queued_frames"), QLatin1StringView("pending_messages"),
    QLatin1StringView("cpu_wait_percent"),
};

struct AlertRuleConfig
{
    QString name;
    AlertMetric metric = AlertMetric::Connections;
    AlertOp op = AlertOp::Above;
    double threshold = 0;
    int forSec = 0;
};

struct ServerConfig
{
    WebSocketConfig websocket;
    AuthConfig auth;
    QHash<QString, RoleConfig> roles;
    std::array<ChannelConfig, SubscriptionTypeCount> channels;
    LimitsConfig limits;
    SecurityConfig security;
    HttpConfig http;
    BrokerConfig broker;
    DemoConfig demo;
    LoggingConfig logging;
    QList<AlertRuleConfig> alerts;

    // The embedded defaults: protocol defaults per channel and the three roles.
    static ServerConfig defaults();

    const ChannelConfig &channel(SubscriptionType type) const { return channels[std::size_t(type)]; }
    ChannelConfig &channel(SubscriptionType type) { return channels[std::size_t(type)]; }
};

} // namespace QuantPush
