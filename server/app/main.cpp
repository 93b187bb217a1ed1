#include "AccessLog.h"
#include "config/ConfigLoader.h"
#include "eventloop/EventLoopChoice.h"
#include "LogEscaper.h"
#include "Logging.h"
#include "MallocInfo.h"
#include "SecretStore.h"
#include "ServerOptions.h"
#include "UnixSignalWatcher.h"
#include "WebSocketManager.h"
#include "demo/DemoFeed.h"
#include "http/AdminStatsStream.h"
#include "http/AlertEngine.h"
#include "http/HttpApi.h"
#include "http/ProcessMonitor.h"

#include <QtCore/QCoreApplication>

#ifdef QUANTPUSH_WITH_TCMALLOC
#include "PrefaultingSysAllocator.h"
#endif

#include <csignal>
#include <cstdio>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

void announceDemo(const ServerOptions &options, quint16 port)
{
    if (options.demoAdminToken.isEmpty())
        return;
    std::fprintf(stderr,
                 "\n*** DEMO MODE: auth is %s, anonymous clients are '%s'. Never run this in production. ***\n"
                 "*** A JWT secret was generated for this run only. Admin token (24 h), for the console: ***\n%s\n"
                 "*** e.g. quantpush-console --url ws://127.0.0.1:%u/ws --token <token> ***\n\n",
                 options.config.websocket.authRequired ? "required" : "NOT required",
                 qPrintable(options.config.auth.anonymousRole), options.demoAdminToken.constData(), unsigned(port));
}

} // namespace

int main(int argc, char *argv[])
{
    // A write to a socket or pipe whose reader is gone must fail with EPIPE,
    // not end the process: our own socket writes pass MSG_NOSIGNAL, but
    // hiredis writes to Redis with write(2), and logs may go to a pipe. (Qt
    // used to ignore SIGPIPE as a side effect of its first socket write;
    // WebSocket connections no longer go through Qt's sockets.)
    std::signal(SIGPIPE, SIG_IGN);
#ifdef QUANTPUSH_WITH_TCMALLOC
    if (!qEnvironmentVariableIsSet("QUANTPUSH_NO_PREFAULT")) // for comparing, docs/benchmarks.md
        PrefaultingSysAllocator::install();
#endif
    // The main thread's dispatcher must exist before the application object,
    // so --event-loop is read from argv here; ServerOptions validates it below.
    // epoll by default: Qt's poll dispatcher costs O(connections) per loop turn.
    // With --event-loop poll, Qt's own poll-based dispatcher instead of GLib's:
    // GLib keeps socket watches in a list and walks it on every write-notifier
    // toggle, which with thousands of clients costs more than the writes.
    const EventLoopKind eventLoop = EventLoopChoice::parse(EventLoopChoice::fromArguments(argc, argv))
                                        .value_or(EventLoopChoice::defaultKind());
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    EventLoopChoice::installForMainThread(eventLoop);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"quantpush-server"_s);
    QCoreApplication::setApplicationVersion(u"%1 (malloc: %2)"_s.arg(QStringLiteral(QUANTPUSH_VERSION), mallocDescription()));

    QString error;
    const std::optional<ServerOptions> options = ServerOptions::parse(QCoreApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "quantpush-server: %s\n", qPrintable(error));
        return 2;
    }
    applyLogLevel(options->config.logging.level);
    for (const QString &warning : options->warnings)
        qCWarning(lcServer).noquote() << warning;
    qCInfo(lcServer) << "event loop:" << EventLoopChoice::name(options->eventLoop);
    qCInfo(lcServer).noquote() << "malloc:" << mallocDescription();
    qCInfo(lcServer).noquote() << "worker_threads:" << options->config.websocket.workerThreads
                               << u"(default %1)"_s.arg(WebSocketConfig::defaultWorkerThreadsBasis());
    AccessLog accessLog;
    if (!accessLog.open(options->config.logging.accessLogFile, &error)) {
        std::fprintf(stderr, "quantpush-server: %s\n", qPrintable(error));
        return 1;
    }
    // After the access log's handler, so that it runs first and both the
    // access log and stderr get escaped lines.
    LogEscaper::install();

    WebSocketManager server(options->config);
    if (!server.start(&error)) {
        std::fprintf(stderr, "quantpush-server: %s\n", qPrintable(error));
        return 1;
    }

    // Operations: REST + /metrics on the same port, process usage, alert rules, stats to admins.
    HttpApi httpApi(&server);
    ProcessMonitor processMonitor(server.metrics());
    AlertEngine alerts(options->config.alerts, server.metrics());
    AdminStatsStream adminStream(&server, &alerts);

    DemoFeed demo(options->config.demo);
    if (options->demo) {
        QObject::connect(&demo, &DemoFeed::publishRequested, &server, &WebSocketManager::submit);
        demo.start();
        announceDemo(*options, server.port());
    }

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &server, [&](int signalNumber) {
        qCInfo(lcServer) << "signal" << signalNumber << "received: shutting down";
        demo.stop();
        server.stop();
    });
    // SIGHUP (systemd ExecReload): JWT secrets and API keys from the config
    // and secret files again, without a restart (docs/security.md).
    QObject::connect(&signalWatcher, &UnixSignalWatcher::reloadRequested, &server, [&] {
        ServerConfig fresh = options->config;
        if (!options->configPath.isEmpty()) {
            QString loadError;
            const std::optional<ServerConfig> loaded = ConfigLoader::loadFile(options->configPath, &loadError);
            if (!loaded) {
                qCWarning(lcServer).noquote() << "reload failed, keys unchanged:" << loadError;
                return;
            }
            fresh.auth = loaded->auth;
            // A secret --demo generated for this run lives only in memory.
            if (fresh.auth.jwtSecret.isEmpty() && fresh.auth.jwtSecretFile.isEmpty() && fresh.auth.jwtKeys.isEmpty())
                fresh.auth.jwtSecret = options->config.auth.jwtSecret;
            fresh.auth.anonymousAccounts = options->config.auth.anonymousAccounts;
        }
        QStringList warnings;
        QString reloadError;
        if (!SecretStore::load(fresh.auth, fresh.security.tls.keyFile, &warnings, &reloadError)) {
            qCWarning(lcServer).noquote() << "reload failed, keys unchanged:" << reloadError;
            return;
        }
        for (const QString &warning : std::as_const(warnings))
            qCWarning(lcServer).noquote() << warning;
        server.reloadCredentials(fresh.auth);
    });
    QObject::connect(&server, &WebSocketManager::stopped, &app, [] { QCoreApplication::exit(0); });
    return QCoreApplication::exec();
}
