#include "TestServer.h"

#include "Clock.h"

#include <QtTest/QTest>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

int testWorkerThreads()
{
    bool ok = false;
    const int workers = qEnvironmentVariableIntValue("QUANTPUSH_TEST_WORKER_THREADS", &ok);
    return ok && workers > 0 ? workers : 1;
}

ServerConfig testConfig()
{
    ServerConfig config = ServerConfig::defaults();
    config.websocket.host = u"127.0.0.1"_s;
    config.websocket.port = 0;
    config.websocket.authRequired = false;
    config.auth.anonymousRole = u"trader"_s;
    // Tests of other things publish order updates of any account to
    // anonymous traders; the account scoping tests (hostile, security) turn
    // the fail-closed default back on.
    config.roles[u"trader"_s].requireAccounts = false;
    // The suite runs once as today (sessions on the main thread) and once
    // with QUANTPUSH_TEST_WORKER_THREADS=4 (ctest -L workers4 / scripts).
    config.websocket.workerThreads = testWorkerThreads();
    return config;
}

std::unique_ptr<WebSocketManager> startServer(const ServerConfig &config, Clock *clock)
{
    auto server = std::make_unique<WebSocketManager>(config, clock ? clock : Clock::system());
    QString error;
    if (!server->start(&error)) {
        QTest::qFail(qPrintable(u"server did not start: "_s + error), __FILE__, __LINE__);
        return nullptr;
    }
    return server;
}

QUrl webSocketUrl(const WebSocketManager &server, const QString &path)
{
    return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(server.port()).arg(path));
}

} // namespace QuantPush::Testing
