// The quantpush-server executable as an operator runs it: command line,
// start-up errors, and SIGTERM → clients closed with 1001, exit code 0.
#include "ServerProcess.h"
#include "WsTestClient.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTemporaryFile>
#include <QtTest/QTest>

#include <memory>
#include <vector>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// The server on an ephemeral port: the port it logged; what it printed up to
// then goes to *startOutput when asked.
int startServer(QProcess &process, const QStringList &arguments, QByteArray *startOutput = nullptr)
{
    return startServerProcess(process, QStringLiteral(QUANTPUSH_SERVER_BINARY), arguments, 10000, startOutput);
}

} // namespace

class tst_ServerProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sigtermClosesClientsWith1001AndExitsZero();
    void sigtermWritesTheLastAccessLogBatch();
    void badConfigNamesTheKey();
    void versionAndHelp();
    void eventLoopChoice_data();
    void eventLoopChoice();
    void unknownEventLoopIsRejected();
    void badWorkerThreadsAreRejected_data();
    void badWorkerThreadsAreRejected();
    void workerThreadsServeEveryClient_data();
    void workerThreadsServeEveryClient();
};

void tst_ServerProcess::sigtermClosesClientsWith1001AndExitsZero()
{
    QProcess server;
    const int port = startServer(server, {u"--demo"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s});
    QVERIFY(port > 0);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port))));
    QVERIFY(client.subscribe({{u"type"_s, u"market_data"_s}}));
    QTRY_VERIFY(!client.pushesOn(u"market_data"_s).isEmpty()); // the demo feed runs

    server.terminate(); // SIGTERM
    QVERIFY(client.waitForClose(10000));
    QCOMPARE(client.closeCode(), 1001);
    // Keep the event loop turning: the client still answers the TCP close.
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    const QByteArray log = server.readAll();
    QVERIFY2(log.contains("closing 1 connections with 1001"), log.constData());
}

// The access log is written in batches (AccessLog); what the shutdown itself
// logs (the disconnect) is in the file once the process has exited.
void tst_ServerProcess::sigtermWritesTheLastAccessLogBatch()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString accessLog = dir.filePath(u"access.log"_s);
    QFile config(dir.filePath(u"server.yaml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("websocket: {host: 127.0.0.1, port: 0, auth_required: false}\n"
                 "auth: {anonymous_role: trader}\n"
                 "logging: {level: info, access_log_file: \"" + accessLog.toUtf8() + "\"}\n");
    config.close();
    QProcess server;
    const int port = startServer(server, {u"--config"_s, config.fileName()});
    QVERIFY(port > 0);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port))));

    server.terminate(); // SIGTERM
    QVERIFY(client.waitForClose(10000));
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
    QCOMPARE(server.exitCode(), 0);
    QFile file(accessLog);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray log = file.readAll();
    QVERIFY2(log.contains(" info connect 127.0.0.1:"), log.constData());
    QVERIFY2(log.contains(" info disconnect 127.0.0.1:"), log.constData());
    QVERIFY(log.endsWith('\n'));
}

void tst_ServerProcess::badConfigNamesTheKey()
{
    QTemporaryFile config;
    QVERIFY(config.open());
    config.write("websocket:\n  port: 8765\n  max_conections: 5\n");
    config.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), {u"--config"_s, config.fileName()});
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 2);
    const QByteArray output = server.readAll();
    QVERIFY2(output.contains("websocket.max_conections: unknown key"), output.constData());
}

void tst_ServerProcess::versionAndHelp()
{
    QProcess server;
    server.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), {u"--version"_s});
    QVERIFY(server.waitForFinished(10000));
    const QByteArray version = server.readAllStandardOutput();
    QVERIFY(version.contains(QUANTPUSH_VERSION));
    // The allocator the build chose is the one the process runs on.
    QVERIFY2(version.contains("(malloc: " QUANTPUSH_EXPECTED_MALLOC), version.constData());
    server.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), {u"--help"_s});
    QVERIFY(server.waitForFinished(10000));
    const QByteArray help = server.readAllStandardOutput();
    for (const char *option : {"--config", "--host", "--port", "--demo", "--log-level", "--event-loop", "--worker-threads"})
        QVERIFY2(help.contains(option), option);
}

void tst_ServerProcess::eventLoopChoice_data()
{
    QTest::addColumn<QStringList>("flag");
    QTest::addColumn<QString>("logged");
    QTest::newRow("default") << QStringList() << u"epoll"_s;
    QTest::newRow("epoll") << QStringList {u"--event-loop"_s, u"epoll"_s} << u"epoll"_s;
    QTest::newRow("poll") << QStringList {u"--event-loop=poll"_s} << u"poll"_s;
}

// Both dispatchers serve a client; the log says which one runs.
void tst_ServerProcess::eventLoopChoice()
{
    QFETCH(QStringList, flag);
    QFETCH(QString, logged);
    QProcess server;
    QByteArray log;
    const int port = startServer(server, QStringList {u"--demo"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s,
                                                      u"--log-level"_s, u"info"_s} + flag, &log);
    QVERIFY(port > 0);
    WsTestClient client;
    QVERIFY(client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port))));
    QVERIFY(client.subscribe({{u"type"_s, u"market_data"_s}}));
    QTRY_VERIFY(!client.pushesOn(u"market_data"_s).isEmpty());
    server.terminate();
    QVERIFY(client.waitForClose(10000));
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
    QCOMPARE(server.exitCode(), 0);
    QVERIFY2(log.contains(QByteArray("event loop: \"" + logged.toUtf8() + '"')), log.constData());
}

void tst_ServerProcess::unknownEventLoopIsRejected()
{
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), {u"--event-loop"_s, u"select"_s});
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 2);
    const QByteArray output = server.readAll();
    QVERIFY2(output.contains("--event-loop: 'select' is not one of epoll, poll"), output.constData());
}

void tst_ServerProcess::badWorkerThreadsAreRejected_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QByteArray>("error");
    QTest::newRow("zero in the config") << QByteArray("websocket:\n  worker_threads: 0\n") << QStringList()
                                        << QByteArray("websocket.worker_threads: must be between 1 and 256");
    QTest::newRow("words in the config") << QByteArray("websocket:\n  worker_threads: all\n") << QStringList()
                                         << QByteArray("websocket.worker_threads: expected an integer, got 'all'");
    QTest::newRow("flag not a number") << QByteArray() << QStringList {u"--worker-threads"_s, u"lots"_s}
                                       << QByteArray("--worker-threads: 'lots' is not a number between 1 and 256");
    QTest::newRow("flag too large") << QByteArray() << QStringList {u"--worker-threads=999"_s}
                                    << QByteArray("--worker-threads: '999' is not a number between 1 and 256");
}

// A bad worker count stops start-up and names the key (or the flag).
void tst_ServerProcess::badWorkerThreadsAreRejected()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, flags);
    QFETCH(QByteArray, error);
    QTemporaryFile config;
    QVERIFY(config.open());
    config.write(yaml.isEmpty() ? QByteArray("websocket:\n  port: 0\n") : yaml);
    config.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), QStringList {u"--config"_s, config.fileName()} + flags);
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 2);
    const QByteArray output = server.readAll();
    QVERIFY2(output.contains(error), output.constData());
}

void tst_ServerProcess::workerThreadsServeEveryClient_data()
{
    QTest::addColumn<QString>("eventLoop");
    QTest::newRow("epoll") << u"epoll"_s;
    QTest::newRow("poll") << u"poll"_s;
}

// Three threads own the connections, the main thread and two workers:
// clients are spread over them (round robin), each worker runs the
// dispatcher --event-loop names, and every client gets the demo feed in seq
// order.
void tst_ServerProcess::workerThreadsServeEveryClient()
{
    QFETCH(QString, eventLoop);
    QProcess server;
    QByteArray log;
    const int port = startServer(server, {u"--demo"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--log-level"_s,
                                          u"info"_s, u"--event-loop"_s, eventLoop, u"--worker-threads"_s, u"3"_s},
                                 &log);
    QVERIFY(port > 0);
    QVERIFY2(log.contains(QByteArray("3 threads own the connections: the main thread and 2 workers (" + eventLoop.toUtf8()
                                        + ')')),
             log.constData());
    std::vector<std::unique_ptr<WsTestClient>> clients;
    QSet<QString> sessionIds;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<WsTestClient>());
        QVERIFY(clients.back()->open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port))));
        QVERIFY(clients.back()->subscribe({{u"type"_s, u"market_data"_s}}));
        const QList<QJsonObject> welcome = clients.back()->framesOfType(u"welcome"_s);
        QVERIFY(!welcome.isEmpty());
        sessionIds.insert(welcome.first().value(u"data"_s).toObject().value(u"session_id"_s).toString());
    }
    QCOMPARE(sessionIds.size(), 4);
    for (const auto &client : clients) {
        QTRY_VERIFY_WITH_TIMEOUT(client->pushesOn(u"market_data"_s).size() >= 3, 15000);
        qint64 last = 0;
        for (const QJsonObject &push : client->pushesOn(u"market_data"_s)) {
            const qint64 seq = push.value(u"seq"_s).toInteger();
            QVERIFY2(seq > last, qPrintable(u"seq %1 after %2"_s.arg(seq).arg(last)));
            last = seq;
        }
    }
    server.terminate();
    for (const auto &client : clients) {
        // On a failure, what the server said is the only clue to why.
        if (!client->waitForClose(10000))
            QFAIL(qPrintable(u"a client was not closed within 10 s of SIGTERM; server output:\n"_s
                             + QString::fromUtf8(log + server.readAll())));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
    QCOMPARE(server.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_server_process.moc"
