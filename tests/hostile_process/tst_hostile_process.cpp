// Issue 11, finding 1, against the quantpush-server binary as an operator
// runs it: 50 sockets from one address that never read and never
// authenticate each send 400 pings with a 65,000-byte id. The server's RSS
// (from /proc/<pid>/status) must grow by less than 16 MB, every attacking
// socket must be gone (closed in the server's own fd table) within
// auth_timeout + 2 s, and a bystander on the demo feed must see every seq.
#include "ServerProcess.h"
#include "FloodClient.h"
#include "SeqWatcher.h"
#include "WsTestClient.h"
#include "auth/JwtSigner.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtTest/QTest>

#include <QtNetwork/QTcpSocket>

#include <csignal>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray Secret = QByteArrayLiteral("hostile-process-secret-8c1f4a7d0e3b6c9f2a5d8e1b4c7f0a3d");
constexpr int AuthTimeoutMs = 5000;
constexpr int Attackers = 50;
constexpr int PingsEach = 400;
constexpr qint64 RssBoundBytes = 16 * 1024 * 1024;

qint64 residentBytes(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression vmRss(u"VmRSS:\\s+(\\d+) kB"_s);
    const QRegularExpressionMatch match = vmRss.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() * 1024 : -1;
}

int openSockets(qint64 pid)
{
    const QDir fds(u"/proc/%1/fd"_s.arg(pid));
    int sockets = 0;
    for (const QString &name : fds.entryList(QDir::System | QDir::NoDotAndDotDot)) {
        char target[64] = {};
        const QByteArray path = fds.filePath(name).toLocal8Bit();
        if (::readlink(path.constData(), target, sizeof target - 1) > 0 && qstrncmp(target, "socket:", 7) == 0)
            ++sockets;
    }
    return sockets;
}

int startServer(QProcess &process, const QStringList &arguments)
{
    return startServerProcess(process, QStringLiteral(QUANTPUSH_SERVER_BINARY), arguments, 20000);
}

QByteArray mint(const QString &secretFile, const QStringList &claims, QByteArray *stderrOutput = nullptr)
{
    QProcess tool;
    tool.start(QStringLiteral(QUANTPUSH_TOKEN_BINARY), QStringList {u"--secret-file"_s, secretFile} + claims);
    if (!tool.waitForFinished(15000) || tool.exitCode() != 0)
        return {};
    if (stderrOutput)
        *stderrOutput = tool.readAllStandardError();
    return tool.readAllStandardOutput().trimmed();
}

bool writePrivate(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return false;
    file.close();
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QUrl withToken(int port, const QByteArray &token)
{
    QUrl url(u"ws://127.0.0.1:%1/ws"_s.arg(port));
    QUrlQuery query;
    query.addQueryItem(u"token"_s, QString::fromLatin1(token));
    url.setQuery(query);
    return url;
}

} // namespace

class tst_HostileProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void preAuthFloodFromOneAddressIsBounded();
    void binarySecretFileIsSharedWithTheTokenTool();
    void sighupRotatesKeysWhileClientsStayConnected();
    void controlCharactersNeverReachTheLog();
};

void tst_HostileProcess::preAuthFloodFromOneAddressIsBounded()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath(u"quantpush.yaml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("websocket:\n  host: 127.0.0.1\n  auth_required: true\n"
                 "auth:\n  jwt_secret: \"" + Secret + "\"\n"
                 "limits:\n  auth_timeout_ms: " + QByteArray::number(AuthTimeoutMs) + "\n");
    config.close();

    QProcess server;
    const int port = startServer(server, {u"--config"_s, config.fileName(), u"--demo"_s, u"--port"_s, u"0"_s});
    QVERIFY2(port > 0, server.readAll().constData());
    const qint64 pid = server.processId();

    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 3600;
    QUrl url(u"ws://127.0.0.1:%1/ws"_s.arg(port));
    QUrlQuery query;
    query.addQueryItem(u"token"_s, QString::fromLatin1(JwtSigner::sign(
                                       {{u"sub"_s, u"good"_s}, {u"role"_s, u"viewer"_s}, {u"exp"_s, exp}}, Secret)));
    url.setQuery(query);
    SeqWatcher bystander(url, u"market_data"_s);
    QVERIFY(bystander.isReady());
    QTRY_VERIFY_WITH_TIMEOUT(bystander.seqs().size() >= 20, 20000); // the demo feed runs
    QTest::qWait(500);
    const int socketsBefore = openSockets(pid);
    const qint64 rssBefore = residentBytes(pid);
    QVERIFY(socketsBefore > 0 && rssBefore > 0);

    qint64 rssMax = rssBefore;
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] { rssMax = std::max(rssMax, residentBytes(pid)); });
    sampler.start(20);

    const QByteArray ping = R"({"type":"ping","id":")" + QByteArray(65000, 'x') + R"("})";
    QElapsedTimer sinceAttack;
    sinceAttack.start();
    std::vector<std::unique_ptr<FloodClient>> attackers;
    for (int i = 0; i < Attackers; ++i)
        attackers.push_back(std::make_unique<FloodClient>(quint16(port), ping, PingsEach));
    QTRY_VERIFY_WITH_TIMEOUT(openSockets(pid) > socketsBefore, 20000);

    // Gone: the server's own socket count is back where it was.
    const bool gone = QTest::qWaitFor([&] { return openSockets(pid) <= socketsBefore; }, 60000);
    const qint64 goneAfterMs = sinceAttack.elapsed();
    int upgraded = 0;
    for (const auto &attacker : attackers)
        upgraded += attacker->isUpgraded() ? 1 : 0;
    QTest::qWait(1000); // memory still held after the close would show now
    sampler.stop();
    const qint64 growth = rssMax - rssBefore;
    qInfo("attack: %d of %d upgraded; sockets gone after %lld ms; RSS %lld kB -> max %lld kB (+%lld kB)", upgraded,
          Attackers, goneAfterMs, rssBefore / 1024, rssMax / 1024, growth / 1024);
    QVERIFY(gone);
    QCOMPARE(upgraded, Attackers);
    QVERIFY2(goneAfterMs <= AuthTimeoutMs + 2000, qPrintable(u"sockets gone after %1 ms"_s.arg(goneAfterMs)));
    QVERIFY2(growth < RssBoundBytes, qPrintable(u"RSS grew by %1 bytes"_s.arg(growth)));

    QString why;
    QVERIFY2(bystander.sawConsecutive(40, &why), qPrintable(why));
    server.terminate();
    QVERIFY(server.waitForFinished(15000));
}

// Finding 8: a binary secret file was decoded as UTF-8 by the server, so the
// tokens quantpush-token minted from the same file failed with 4001.
void tst_HostileProcess::binarySecretFileIsSharedWithTheTokenTool()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray binary;
    for (int i = 0; i < 40; ++i)
        binary.append(char(0x80 + 3 * i));
    const QString secretFile = dir.filePath(u"jwt.secret"_s);
    QVERIFY(writePrivate(secretFile, binary));
    const QString configFile = dir.filePath(u"quantpush.yaml"_s);
    QVERIFY(writePrivate(configFile, "websocket:\n  host: 127.0.0.1\n  auth_required: true\nauth:\n  jwt_secret_file: "
                                         + secretFile.toUtf8() + "\n"));
    QProcess server;
    const int port = startServer(server, {u"--config"_s, configFile, u"--port"_s, u"0"_s});
    QVERIFY2(port > 0, server.readAll().constData());

    QByteArray warning;
    const QByteArray token = mint(secretFile, {u"--sub"_s, u"bob"_s, u"--role"_s, u"trader"_s}, &warning);
    QVERIFY(!token.isEmpty());
    // Finding 5: the tool says what a trader token without accounts means.
    QVERIFY2(warning.contains("without --accounts"), warning.constData());
    WsTestClient client;
    QVERIFY(client.open(withToken(port, token), 15000));
    const auto pong = client.request({{u"type"_s, u"ping"_s}}, 15000);
    QVERIFY(pong);
    QCOMPARE(pong->value(u"type"_s).toString(), u"pong"_s);
    QVERIFY(client.framesOfType(u"error"_s).isEmpty());
    server.terminate();
    QVERIFY(server.waitForFinished(15000));
}

// Key rotation on SIGHUP against the real binary: the old key removed from
// the config while clients stay connected.
void tst_HostileProcess::sighupRotatesKeysWhileClientsStayConnected()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString oldFile = dir.filePath(u"old.secret"_s);
    const QString newFile = dir.filePath(u"new.secret"_s);
    QVERIFY(writePrivate(oldFile, "old-secret-0123456789abcdef0123456789abcdef\n"));
    QVERIFY(writePrivate(newFile, "new-secret-fedcba9876543210fedcba9876543210\n"));
    const QByteArray head = "websocket:\n  host: 127.0.0.1\n  auth_required: true\nauth:\n  jwt_keys:\n";
    const QByteArray oldKey = "    - {kid: old, secret_file: " + oldFile.toUtf8() + "}\n";
    const QByteArray newKey = "    - {kid: new, secret_file: " + newFile.toUtf8() + "}\n";
    const QString configFile = dir.filePath(u"quantpush.yaml"_s);
    QVERIFY(writePrivate(configFile, head + oldKey + newKey));
    QProcess server;
    const int port = startServer(server, {u"--config"_s, configFile, u"--demo"_s, u"--port"_s, u"0"_s});
    QVERIFY2(port > 0, server.readAll().constData());

    const QStringList viewer {u"--role"_s, u"viewer"_s};
    SeqWatcher bystander(withToken(port, mint(newFile, QStringList {u"--sub"_s, u"good"_s} + viewer)), u"market_data"_s);
    QVERIFY(bystander.isReady());
    WsTestClient onOld;
    QVERIFY(onOld.open(withToken(port, mint(oldFile, QStringList {u"--sub"_s, u"old-user"_s} + viewer)), 15000));
    QVERIFY(onOld.request({{u"type"_s, u"ping"_s}}, 15000));
    WsTestClient onNew;
    QVERIFY(onNew.open(withToken(port, mint(newFile, QStringList {u"--sub"_s, u"new-user"_s} + viewer)), 15000));
    QVERIFY(onNew.request({{u"type"_s, u"ping"_s}}, 15000));
    QTRY_VERIFY_WITH_TIMEOUT(bystander.seqs().size() >= 10, 20000);

    QVERIFY(writePrivate(configFile, head + newKey));
    QCOMPARE(::kill(pid_t(server.processId()), SIGHUP), 0);
    QVERIFY(onOld.waitForClose(20000));
    QCOMPARE(onOld.closeCode(), 4001);
    QVERIFY(onNew.request({{u"type"_s, u"ping"_s}}, 15000));
    QVERIFY(!onNew.isClosed());
    const int before = int(bystander.seqs().size());
    QTRY_VERIFY_WITH_TIMEOUT(bystander.seqs().size() >= before + 10, 20000);
    QString why;
    QVERIFY2(bystander.sawConsecutive(before + 10, &why), qPrintable(why));
    QCOMPARE(server.state(), QProcess::Running);
    server.terminate();
    QVERIFY(server.waitForFinished(15000));
    QVERIFY(server.readAll().contains("credentials reloaded: 1 sessions closed"));
}

// Finding 9: a request line with ESC and CR reached the quantpush.http log.
void tst_HostileProcess::controlCharactersNeverReachTheLog()
{
    QProcess server;
    const int port = startServer(server, {u"--demo"_s, u"--port"_s, u"0"_s, u"--log-level"_s, u"info"_s});
    QVERIFY(port > 0);
    QTcpSocket evil;
    evil.connectToHost(QHostAddress::LocalHost, quint16(port));
    evil.write("GET\x1b[31m /websocket/stats\rX HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(evil.bytesAvailable() > 0 || evil.state() == QAbstractSocket::UnconnectedState, 15000);
    QByteArray log;
    QTRY_VERIFY_WITH_TIMEOUT((log += server.readAll()).contains("websocket/stats"), 15000);
    server.terminate();
    QVERIFY(server.waitForFinished(15000));
    log += server.readAll();
    QVERIFY2(!log.contains('\x1b'), log.constData());
    QVERIFY2(!log.contains('\r'), log.constData());
    QVERIFY2(log.contains("GET\\x1b[31m"), log.constData());
}

QTEST_GUILESS_MAIN(tst_HostileProcess)
#include "tst_hostile_process.moc"
