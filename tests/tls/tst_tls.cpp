// wss:// end to end against the real quantpush-server binary (issue 3,
// item 3): a self-signed certificate is made with the openssl CLI at test
// time, the server is started with it, and a Python `websockets` client and a
// QWebSocket client talk to it trusting only that certificate. Also: plain
// ws:// and silent connections are dropped, bad certificate or key files stop
// start-up with a clear error, and the access log file is written.

#include "auth/JwtSigner.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray Secret = QByteArrayLiteral("tls-test-secret-8d6f4b2a0c9e7d5b3a1f8e6c4a2b0d9f");
constexpr int WaitMs = 30000;

QString setting(const char *env, const char *fallback)
{
    const QString value = qEnvironmentVariable(env);
    return value.isEmpty() ? QString::fromUtf8(fallback) : value;
}

QString serverBinary()
{
    return setting("QUANTPUSH_SERVER_BIN", QUANTPUSH_SERVER_BIN);
}

} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pythonWebsocketsClient();
    void qtClient();
    void plainWebSocketIsRefused();
    void untrustedQtClientIsRefused();
    void silentConnectionIsDropped();
    void accessLogFile();
    void badTlsFilesStopStartup_data();
    void badTlsFilesStopStartup();
    void cleanupTestCase();

private:
    bool runOpenssl(const QStringList &arguments);
    QString writeConfig(const QString &name, const QString &cert, const QString &key);
    QUrl url(const QString &scheme, const QString &host = u"127.0.0.1"_s) const;

    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;
    QString m_token;
    QProcess m_server;
    QByteArray m_serverOutput;
    quint16 m_port = 0;
};

bool tst_Tls::runOpenssl(const QStringList &arguments)
{
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"openssl"_s, arguments);
    if (!openssl.waitForFinished(WaitMs) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        qWarning().noquote() << "openssl" << arguments.join(u' ') << "failed:" << openssl.readAll();
        return false;
    }
    return true;
}

QString tst_Tls::writeConfig(const QString &name, const QString &cert, const QString &key)
{
    const QString path = m_dir.filePath(name + u".yaml"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    const QString yaml = u"websocket:\n"
                         "  host: 127.0.0.1\n"
                         "  port: 0\n"
                         "  auth_required: true\n"
                         "auth:\n"
                         "  jwt_secret: \"%1\"\n"
                         "limits:\n"
                         "  handshake_timeout_ms: 1000\n"
                         "security:\n"
                         "  tls:\n"
                         "    cert: \"%2\"\n"
                         "    key: \"%3\"\n"
                         "logging:\n"
                         "  access_log_file: \"%4\"\n"_s.arg(QString::fromLatin1(Secret), cert, key,
                                                         m_dir.filePath(name + u"-access.log"_s));
    file.write(yaml.toUtf8());
    return path;
}

QUrl tst_Tls::url(const QString &scheme, const QString &host) const
{
    return QUrl(u"%1://%2:%3/ws"_s.arg(scheme, host).arg(m_port));
}

void tst_Tls::initTestCase()
{
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("the openssl command is not installed");
    QVERIFY2(QFile::exists(serverBinary()), qPrintable(serverBinary()));
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend here");
    QVERIFY(m_dir.isValid());
    m_cert = m_dir.filePath(u"cert.pem"_s);
    m_key = m_dir.filePath(u"key.pem"_s);
    // EC P-256: as good as RSA for the test and made in milliseconds.
    QVERIFY(runOpenssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                        u"-nodes"_s, u"-keyout"_s, m_key, u"-out"_s, m_cert, u"-days"_s, u"2"_s, u"-subj"_s,
                        u"/CN=localhost"_s, u"-addext"_s, u"subjectAltName=DNS:localhost,IP:127.0.0.1"_s}));

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_token = QString::fromLatin1(JwtSigner::sign(
        {{u"sub"_s, u"tls-admin"_s}, {u"role"_s, u"admin"_s}, {u"iat"_s, now}, {u"exp"_s, now + 3600}}, Secret));

    m_server.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_server, &QProcess::readyRead, this, [this] { m_serverOutput += m_server.readAll(); });
    m_server.start(serverBinary(), {u"--config"_s, writeConfig(u"server"_s, m_cert, m_key)});
    const QRegularExpression listening(u"listening on \\w+://[^ ]+:(\\d+)/"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(listening.match(QString::fromUtf8(m_serverOutput)).hasMatch()
                                  || m_server.state() == QProcess::NotRunning,
                              m_serverOutput.constData(), WaitMs);
    const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_serverOutput));
    QVERIFY2(match.hasMatch(), m_serverOutput.constData());
    m_port = quint16(match.captured(1).toUInt());
    QVERIFY(m_serverOutput.contains("TLS on"));
}

void tst_Tls::pythonWebsocketsClient()
{
    const QString python = setting("QUANTPUSH_PYTHON", "/usr/bin/python3");
    if (!QFile::exists(python))
        QSKIP("no /usr/bin/python3");
    QProcess client;
    client.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QP_TOKEN"_s, m_token);
    client.setProcessEnvironment(environment);
    client.start(python, {setting("QUANTPUSH_TLS_CLIENT", QUANTPUSH_TLS_CLIENT), u"--url"_s,
                          url(u"wss"_s).toString(), u"--cafile"_s, m_cert});
    QVERIFY(client.waitForFinished(WaitMs));
    const QByteArray output = client.readAll();
    qInfo().noquote() << output.trimmed();
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QVERIFY2(client.exitCode() == 0, output.constData());
}

void tst_Tls::qtClient()
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(m_cert));
    QWebSocket socket;
    socket.setSslConfiguration(tls);
    QList<QJsonObject> frames;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&frames](const QString &text) {
        frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    socket.open(url(u"wss"_s, u"localhost"_s));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 1, WaitMs);
    QCOMPARE(frames.at(0).value(u"type"_s).toString(), u"welcome"_s);
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject {
        {u"type"_s, u"auth"_s}, {u"data"_s, QJsonObject {{u"token"_s, m_token}}}}).toJson(QJsonDocument::Compact)));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 2, WaitMs);
    QCOMPARE(frames.at(1).value(u"type"_s).toString(), u"auth_ok"_s);
    QCOMPARE(frames.at(1).value(u"data"_s).toObject().value(u"user"_s).toString(), u"tls-admin"_s);
    socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, WaitMs);
}

void tst_Tls::plainWebSocketIsRefused()
{
    QWebSocket socket;
    bool welcomed = false;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&welcomed] { welcomed = true; });
    bool failed = false;
    connect(&socket, &QWebSocket::disconnected, this, [&failed] { failed = true; });
    socket.open(url(u"ws"_s));
    QTRY_VERIFY_WITH_TIMEOUT(failed, WaitMs);
    QVERIFY(!welcomed);
}

void tst_Tls::untrustedQtClientIsRefused()
{
    QWebSocket socket; // trusts the system CAs only
    QList<QSslError> errors;
    connect(&socket, &QWebSocket::sslErrors, this, [&errors](const QList<QSslError> &e) { errors += e; });
    bool disconnected = false;
    connect(&socket, &QWebSocket::disconnected, this, [&disconnected] { disconnected = true; });
    socket.open(url(u"wss"_s, u"localhost"_s));
    QTRY_VERIFY_WITH_TIMEOUT(disconnected, WaitMs);
    QVERIFY(!errors.isEmpty());
}

void tst_Tls::silentConnectionIsDropped()
{
    // No ClientHello at all: the handshake timeout (1000 ms here) covers TLS too.
    QTcpSocket silent;
    silent.connectToHost(u"127.0.0.1"_s, m_port);
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::ConnectedState, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, WaitMs);
}

void tst_Tls::accessLogFile()
{
    // The log is written in batches (AccessLog: every 100 ms): wait for the line.
    const auto readLog = [this] {
        QFile file(m_dir.filePath(u"server-access.log"_s));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    QTRY_VERIFY_WITH_TIMEOUT(readLog().contains("user tls-admin role admin"), 10000);
    const QByteArray log = readLog();
    QVERIFY2(log.contains(" auth ok 127.0.0.1:") && log.contains("user tls-admin role admin"), log.constData());
    QVERIFY(log.contains(" connect 127.0.0.1:"));
    QVERIFY(!log.contains(m_token.toLatin1()));
    QVERIFY(!log.contains(m_token.section(u'.', 2).toLatin1()));
    QVERIFY(!m_serverOutput.contains(m_token.section(u'.', 2).toLatin1()));
    QVERIFY(!log.contains("listening on")); // only the access category goes there
}

void tst_Tls::badTlsFilesStopStartup_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    const QString garbage = m_dir.filePath(u"garbage.pem"_s);
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    file.close();
    const QString missing = m_dir.filePath(u"missing.pem"_s);
    const QString encryptedKey = m_dir.filePath(u"encrypted-key.pem"_s);
    QVERIFY(runOpenssl({u"pkey"_s, u"-in"_s, m_key, u"-aes256"_s, u"-passout"_s, u"pass:secret"_s, u"-out"_s,
                        encryptedKey}));

    QTest::newRow("cert missing") << missing << m_key << u"security.tls.cert: cannot read"_s;
    QTest::newRow("cert not a certificate") << garbage << m_key << u"security.tls.cert:"_s;
    QTest::newRow("cert is the key") << m_key << m_key << u"security.tls.cert:"_s;
    QTest::newRow("key missing") << m_cert << missing << u"security.tls.key: cannot read"_s;
    QTest::newRow("key is the certificate") << m_cert << m_cert << u"security.tls.key:"_s;
    QTest::newRow("key encrypted") << m_cert << encryptedKey << u"security.tls.key:"_s;
}

void tst_Tls::badTlsFilesStopStartup()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, message);
    const QString name = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(serverBinary(), {u"--config"_s, writeConfig(name, cert, key)});
    QVERIFY(server.waitForFinished(WaitMs));
    const QByteArray output = server.readAll();
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QVERIFY2(server.exitCode() == 1, output.constData());
    QVERIFY2(QString::fromUtf8(output).contains(message), output.constData());
    QVERIFY(!output.contains("listening on"));
}

void tst_Tls::cleanupTestCase()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    m_server.terminate(); // SIGTERM: graceful shutdown
    QVERIFY(m_server.waitForFinished(WaitMs));
    QCOMPARE(m_server.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
