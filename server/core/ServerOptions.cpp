#include "ServerOptions.h"

#include "OriginPolicy.h"
#include "SecretStore.h"
#include "auth/JwtSigner.h"
#include "auth/SecretGenerator.h"
#include "config/ConfigLoader.h"
#include "eventloop/EventLoopChoice.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

// --demo on the embedded defaults: open to anyone as a trader, and an admin
// token minted with a secret that lives only as long as this run.
void applyDemoDefaults(ServerOptions &options, bool fromFile)
{
    options.config.demo.enabled = true;
    // Open to anyone on this machine, not to any website a visitor has open:
    // a page elsewhere would otherwise read the demo's order updates.
    if (options.config.security.allowedOrigins.isEmpty())
        options.config.security.allowedOrigins = OriginPolicy::localhostOrigins();
    if (!fromFile) {
        options.config.websocket.authRequired = false;
        options.config.auth.anonymousRole = u"trader"_s;
    }
    // Fail-closed account scoping would leave an anonymous demo trader with
    // no order or position updates: grant it the demo feed's accounts. A role
    // that is not scoped (an anonymous admin, say) keeps seeing everything.
    const auto anonymousRole = options.config.roles.constFind(options.config.auth.anonymousRole);
    const bool scoped = anonymousRole == options.config.roles.constEnd() || anonymousRole->requireAccounts;
    if (!options.config.auth.anonymousAccounts && scoped)
        options.config.auth.anonymousAccounts = options.config.demo.accounts;
    const AuthConfig &auth = options.config.auth;
    if (auth.jwtSecret.isEmpty() && auth.jwtSecretFile.isEmpty() && auth.jwtKeys.isEmpty()) {
        const QByteArray secret = SecretGenerator::randomSecret();
        options.config.auth.jwtSecret = QString::fromLatin1(secret);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        options.demoAdminToken = JwtSigner::sign(QJsonObject {
            {u"sub"_s, u"demo-admin"_s}, {u"role"_s, u"admin"_s}, {u"iat"_s, now}, {u"exp"_s, now + 24 * 3600}}, secret);
    }
}

} // namespace

void applyLogLevel(const QString &level)
{
    QString rules = u"quantpush.*.debug=false"_s;
    if (level == u"debug"_s)
        rules = u"quantpush.*.debug=true"_s;
    else if (level == u"warning"_s)
        rules += u"\nquantpush.*.info=false"_s;
    else if (level == u"critical"_s)
        rules += u"\nquantpush.*.info=false\nquantpush.*.warning=false"_s;
    QLoggingCategory::setFilterRules(rules);
}

std::optional<ServerOptions> ServerOptions::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"QuantPush: real-time WebSocket push server for trading"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(u"config"_s, u"YAML configuration file."_s, u"file"_s);
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on (overrides websocket.host)."_s, u"address"_s);
    const QCommandLineOption portOption(u"port"_s, u"Port to listen on (overrides websocket.port)."_s, u"port"_s);
    const QCommandLineOption demoOption(u"demo"_s, u"Run the demo feed of simulated market data and signals."_s);
    const QCommandLineOption logOption(u"log-level"_s, u"debug, info, warning or critical."_s, u"level"_s);
    const QCommandLineOption eventLoopOption(u"event-loop"_s,
        u"Event dispatcher: epoll (default on Linux) or poll (Qt's own)."_s, u"kind"_s);
    const QCommandLineOption workersOption(u"worker-threads"_s,
                                           u"Threads that own the connections (overrides websocket.worker_threads)."_s,
                                           u"count"_s);
    parser.addOptions({configOption, hostOption, portOption, demoOption, logOption, eventLoopOption, workersOption});
    parser.process(arguments);

    ServerOptions options;
    options.configPath = parser.value(configOption);
    if (options.configPath.isEmpty()) {
        options.config = ServerConfig::defaults();
    } else {
        std::optional<ServerConfig> loaded = ConfigLoader::loadFile(options.configPath, error);
        if (!loaded)
            return std::nullopt;
        options.config = *loaded;
    }
    if (parser.isSet(hostOption))
        options.config.websocket.host = parser.value(hostOption);
    if (parser.isSet(portOption)) {
        bool ok = false;
        const uint port = parser.value(portOption).toUInt(&ok);
        if (!ok || port > 65535) {
            *error = u"--port: '%1' is not a port number"_s.arg(parser.value(portOption));
            return std::nullopt;
        }
        options.config.websocket.port = int(port);
    }
    if (parser.isSet(workersOption)) {
        bool ok = false;
        const int workers = parser.value(workersOption).toInt(&ok);
        if (!ok || workers < 1 || workers > WebSocketConfig::MaxWorkerThreads) {
            *error = u"--worker-threads: '%1' is not a number between 1 and %2"_s.arg(parser.value(workersOption))
                         .arg(WebSocketConfig::MaxWorkerThreads);
            return std::nullopt;
        }
        options.config.websocket.workerThreads = workers;
    }
    if (parser.isSet(logOption)) {
        const QString level = parser.value(logOption);
        if (!QStringList {u"debug"_s, u"info"_s, u"warning"_s, u"critical"_s}.contains(level)) {
            *error = u"--log-level: '%1' is not one of debug, info, warning, critical"_s.arg(level);
            return std::nullopt;
        }
        options.config.logging.level = level;
    }
    if (parser.isSet(eventLoopOption)) {
        const std::optional<EventLoopKind> kind = EventLoopChoice::parse(parser.value(eventLoopOption));
        if (!kind) {
            *error = u"--event-loop: '%1' is not one of epoll, poll"_s.arg(parser.value(eventLoopOption));
            return std::nullopt;
        }
        options.eventLoop = *kind;
    }
    options.demo = parser.isSet(demoOption) || options.config.demo.enabled;
    if (options.demo)
        applyDemoDefaults(options, !options.configPath.isEmpty());
    if (!SecretStore::load(options.config.auth, options.config.security.tls.keyFile, &options.warnings, error))
        return std::nullopt;
    return options;
}

} // namespace QuantPush
