// Hostile inputs against a running in-process server (auth required, JWT +
// API keys, roles, small limits). Every row must get exactly the error codes
// and the close code of PROTOCOL.md, while a well-behaved client on the same
// server receives every published message with no gap. The access log of the
// whole run is captured and must hold no token, key or secret. The
// connection limits that need servers of their own are in tests/security_limits.

#include "AccessLog.h"
#include "GoodClient.h"
#include "Probe.h"
#include "SecurityFixture.h"
#include "WebSocketManager.h"
#include "auth/JwtSigner.h"
#include "config/ServerConfig.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMutex>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::SecurityTesting;
using namespace Qt::Literals::StringLiterals;

namespace {

// Every log message of the run, whatever its category and level.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker locker(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "default") + u": "_s + message);
    }
    // Keep the test output readable: only warnings and worse go on.
    if (type != QtInfoMsg && type != QtDebugMsg && g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class tst_Security : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hostile_data();
    void hostile();
    void frontDoorLimits();
    void tokenExpiryEndsALiveSession();
    void wellBehavedClientSawEverything();
    void accessLogRecordsEveryEvent();
    void logsHoldNoSecrets();
    void cleanupTestCase();

private:
    QString token(const QJsonObject &claims, const QByteArray &secret = Secret);
    void publishTick();

    QTemporaryDir m_dir;
    ServerConfig m_config;
    std::unique_ptr<WebSocketManager> m_server;
    std::unique_ptr<AccessLog> m_accessLog;
    GoodClient m_good;
    QTimer m_publisher;
    qint64 m_ticks = 0;
    qint64 m_lastMarketSeq = 0;
    QList<qint64> m_a1OrderSeqs;
    // Every credential used in the run: none may appear in any log line.
    QStringList m_secrets;
    QHash<QString, QString> m_tokens;
};

QString tst_Security::token(const QJsonObject &claims, const QByteArray &secret)
{
    const QString t = QString::fromLatin1(JwtSigner::sign(claims, secret));
    m_secrets.append(t);
    m_secrets.append(t.section(u'.', 2)); // the signature alone must not leak either
    return t;
}

void tst_Security::initTestCase()
{
    QVERIFY(m_dir.isValid());
    g_previousHandler = qInstallMessageHandler(captureLog);
    m_accessLog = std::make_unique<AccessLog>();
    QString error;
    QVERIFY2(m_accessLog->open(m_dir.filePath(u"access.log"_s), &error), qPrintable(error));

    m_config = securityConfig();
    m_secrets << QString::fromLatin1(Secret) << TraderKey << ViewerKey << WrongKey;

    m_server = std::make_unique<WebSocketManager>(m_config);
    QVERIFY2(m_server->start(&error), qPrintable(error));

    const qint64 exp = inOneHour();
    m_tokens.insert(u"trader-a1"_s, token({{u"sub"_s, u"trader-a1"_s}, {u"role"_s, u"trader"_s},
                                          {u"accounts"_s, QJsonArray {u"A1"_s}}, {u"exp"_s, exp}}));
    m_tokens.insert(u"viewer"_s, token({{u"sub"_s, u"viewer-1"_s}, {u"role"_s, u"viewer"_s}, {u"exp"_s, exp}}));
    m_tokens.insert(u"narrow"_s, token({{u"sub"_s, u"narrow-1"_s}, {u"role"_s, u"trader"_s},
                                       {u"channels"_s, QJsonArray {u"market_data"_s}}, {u"exp"_s, exp}}));
    m_tokens.insert(u"admin"_s, token({{u"sub"_s, u"root"_s}, {u"role"_s, u"admin"_s}, {u"exp"_s, exp}}));
    m_tokens.insert(u"forged"_s, token({{u"sub"_s, u"mallory"_s}, {u"role"_s, u"admin"_s}, {u"exp"_s, exp}},
                                       OtherSecret));
    m_tokens.insert(u"expired"_s, token({{u"sub"_s, u"trader-a1"_s}, {u"role"_s, u"trader"_s},
                                        {u"exp"_s, QDateTime::currentSecsSinceEpoch() - 120}}));
    m_tokens.insert(u"no-exp"_s, token({{u"sub"_s, u"trader-a1"_s}, {u"role"_s, u"trader"_s}}));
    m_tokens.insert(u"no-role"_s, token({{u"sub"_s, u"mallory"_s}, {u"exp"_s, exp}}));
    m_tokens.insert(u"bad-accounts-claim"_s, token({{u"sub"_s, u"mallory"_s}, {u"role"_s, u"trader"_s},
                                                    {u"accounts"_s, u"A1"_s}, {u"exp"_s, exp}}));
    m_tokens.insert(u"unknown-role"_s, token({{u"sub"_s, u"mallory"_s}, {u"role"_s, u"root"_s}, {u"exp"_s, exp}}));
    const QByteArray adminClaims =
        compact({{u"sub"_s, u"mallory"_s}, {u"role"_s, u"admin"_s}, {u"exp"_s, exp}});
    // Valid header and signature of the trader token, payload swapped for an admin one.
    const QStringList trader = m_tokens.value(u"trader-a1"_s).split(u'.');
    m_tokens.insert(u"tampered-payload"_s, trader.at(0) + u'.' + QString::fromLatin1(b64(adminClaims)) + u'.' + trader.at(2));
    QString flipped = m_tokens.value(u"trader-a1"_s);
    flipped[flipped.size() - 3] = flipped.at(flipped.size() - 3) == u'A' ? u'B' : u'A';
    m_tokens.insert(u"tampered-signature"_s, flipped);
    m_tokens.insert(u"alg-none"_s, QString::fromLatin1(b64(R"({"alg":"none","typ":"JWT"})") + '.' + b64(adminClaims) + '.'));
    m_tokens.insert(u"alg-none-signed"_s, QString::fromLatin1(b64(R"({"alg":"none","typ":"JWT"})") + '.'
                                                               + b64(adminClaims) + '.')
                                              + trader.at(2));
    m_tokens.insert(u"alg-hs512"_s, QString::fromLatin1(b64(R"({"alg":"HS512","typ":"JWT"})") + '.' + b64(adminClaims))
                                        + u'.' + trader.at(2));
    for (const QString &name : {u"tampered-payload"_s, u"tampered-signature"_s, u"alg-none"_s,
                                u"alg-none-signed"_s, u"alg-hs512"_s})
        m_secrets.append(m_tokens.value(name));

    // The well-behaved client, authenticated in the handshake.
    connect(&m_good.socket, &QWebSocket::textMessageReceived, &m_good, &GoodClient::onText);
    connect(&m_good.socket, &QWebSocket::disconnected, &m_good, [this] { m_good.closed = true; });
    QNetworkRequest request(url(m_server->port()));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.value(u"trader-a1"_s).toLatin1());
    m_good.socket.open(request);
    QTRY_VERIFY_WITH_TIMEOUT(m_good.socket.state() == QAbstractSocket::ConnectedState, WaitMs);
    for (const QString &channel : {u"market_data"_s, u"order_updates"_s}) {
        m_good.socket.sendTextMessage(frame({{u"type"_s, u"subscribe"_s},
                                             {u"data"_s, QJsonObject {{u"type"_s, channel}}}}));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_good.subscribedAt.size(), 2, WaitMs);
    QVERIFY(m_good.unexpected.isEmpty());

    // A steady publisher for the whole run; QTRY_* spins the event loop.
    m_publisher.setInterval(5);
    connect(&m_publisher, &QTimer::timeout, this, &tst_Security::publishTick);
    m_publisher.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_good.seqs.value(u"order_updates"_s).size() >= 2, WaitMs);
}

void tst_Security::publishTick()
{
    ++m_ticks;
    m_lastMarketSeq = m_server->broadcastMarketData({{u"symbol"_s, u"BTCUSDT"_s}, {u"n"_s, m_ticks}}).seq;
    if (m_ticks % 10 == 0) {
        m_a1OrderSeqs.append(
            m_server->broadcastOrderUpdate({{u"account"_s, u"A1"_s}, {u"order_id"_s, m_ticks}}).seq);
    } else if (m_ticks % 10 == 5) {
        // Another account's order on the same channel: never for the A1 client.
        m_server->broadcastOrderUpdate({{u"account"_s, u"B2"_s}, {u"order_id"_s, m_ticks}});
    }
}

void tst_Security::hostile_data()
{
    QTest::addColumn<QString>("handshake"); // none, bearer, x-api-key, query, origin
    QTest::addColumn<QString>("credential");
    QTest::addColumn<QStringList>("frames");
    QTest::addColumn<int>("outgoingFrameSize"); // 0: Qt's default
    QTest::addColumn<bool>("welcome");
    QTest::addColumn<QStringList>("errors"); // distinct error codes, in order of first arrival
    QTest::addColumn<int>("closeCode");       // 0: the connection must stay open

    const auto auth = [](const QString &key, const QString &value) {
        return frame({{u"type"_s, u"auth"_s}, {u"id"_s, u"a"_s}, {u"data"_s, QJsonObject {{key, value}}}});
    };
    const auto tokenAuth = [&](const QString &name) { return auth(u"token"_s, m_tokens.value(name)); };
    const auto subscribe = [](const QString &channel, const QJsonObject &filters = {}) {
        QJsonObject data {{u"type"_s, channel}};
        if (!filters.isEmpty())
            data.insert(u"filters"_s, filters);
        return frame({{u"type"_s, u"subscribe"_s}, {u"id"_s, 7}, {u"data"_s, data}});
    };
    const QString publish = frame({{u"type"_s, u"publish"_s}, {u"id"_s, 8},
                                   {u"data"_s, QJsonObject {{u"type"_s, u"trading_signals"_s},
                                                            {u"payload"_s, QJsonObject {{u"x"_s, 1}}}}}});
    const QString trader = m_tokens.value(u"trader-a1"_s);
    const QString viewer = m_tokens.value(u"viewer"_s);
    const QStringList unauthorized {u"unauthorized"_s};
    const QStringList forbidden {u"forbidden"_s};
    const QStringList badRequest {u"bad_request"_s};
    constexpr int Auth = 4001;

    // --- tokens, in an auth frame: error unauthorized, then close 4001
    for (const QString &name : {u"forged"_s, u"tampered-payload"_s, u"tampered-signature"_s, u"expired"_s,
                                u"no-exp"_s, u"alg-none"_s, u"alg-none-signed"_s, u"alg-hs512"_s,
                                u"unknown-role"_s, u"no-role"_s, u"bad-accounts-claim"_s}) {
        QTest::addRow("token %s (frame)", qPrintable(name))
            << u"none"_s << QString() << QStringList {tokenAuth(name)} << 0 << true << unauthorized << Auth;
    }
    const QStringList malformed {u"not-a-jwt"_s, u"a.b"_s, u"a.b.c.d"_s, u"eyJ!!!.eyJ***.sig"_s, u".."_s,
                                 u"..."_s, QString(9000, u'x') + u".y.z"_s, trader + u"."_s,
                                 u" "_s + trader};
    for (qsizetype i = 0; i < malformed.size(); ++i) {
        QTest::addRow("token malformed #%d (frame)", int(i))
            << u"none"_s << QString() << QStringList {auth(u"token"_s, malformed.at(i))} << 0 << true << unauthorized
            << Auth;
    }
    QTest::newRow("api key wrong (frame)")
        << u"none"_s << QString() << QStringList {auth(u"api_key"_s, WrongKey)} << 0 << true << unauthorized << Auth;
    QTest::newRow("api key, a token in its place (frame)")
        << u"none"_s << QString() << QStringList {auth(u"api_key"_s, trader)} << 0 << true << unauthorized << Auth;

    // --- credentials in the handshake: welcome, error unauthorized, close 4001
    for (const QString &name : {u"forged"_s, u"expired"_s, u"alg-none"_s, u"tampered-payload"_s}) {
        QTest::addRow("token %s (Authorization header)", qPrintable(name))
            << u"bearer"_s << m_tokens.value(name) << QStringList() << 0 << true << unauthorized << Auth;
        QTest::addRow("token %s (?token= in the URL)", qPrintable(name))
            << u"query"_s << m_tokens.value(name) << QStringList() << 0 << true << unauthorized << Auth;
    }
    QTest::newRow("api key wrong (X-API-Key header)")
        << u"x-api-key"_s << WrongKey << QStringList() << 0 << true << unauthorized << Auth;
    QTest::newRow("api key wrong (Authorization: Bearer)")
        << u"bearer"_s << WrongKey << QStringList() << 0 << true << unauthorized << Auth;

    // --- no or bad credentials: refused requests, then the auth timeout
    QTest::newRow("silent client (auth timeout)")
        << u"none"_s << QString() << QStringList() << 0 << true << unauthorized << Auth;
    QTest::newRow("subscribe before auth")
        << u"none"_s << QString() << QStringList {subscribe(u"market_data"_s)} << 0 << true << unauthorized << Auth;
    QTest::newRow("publish before auth")
        << u"none"_s << QString() << QStringList {publish} << 0 << true << unauthorized << Auth;
    QTest::newRow("auth with a non-string token")
        << u"none"_s << QString()
        << QStringList {frame({{u"type"_s, u"auth"_s}, {u"data"_s, QJsonObject {{u"token"_s, 42}}}})} << 0 << true
        << QStringList {u"bad_request"_s, u"unauthorized"_s} << Auth;

    // --- authenticated but not allowed: error forbidden, connection stays open
    QTest::newRow("viewer subscribes to order_updates")
        << u"bearer"_s << viewer << QStringList {subscribe(u"order_updates"_s)} << 0 << true << forbidden << 0;
    QTest::newRow("viewer (API key) subscribes to risk_alerts")
        << u"x-api-key"_s << ViewerKey << QStringList {subscribe(u"risk_alerts"_s)} << 0 << true << forbidden << 0;
    QTest::newRow("channels claim narrows the trader role")
        << u"bearer"_s << m_tokens.value(u"narrow"_s) << QStringList {subscribe(u"trading_signals"_s)} << 0 << true
        << forbidden << 0;
    QTest::newRow("another account's orders")
        << u"bearer"_s << trader << QStringList {subscribe(u"order_updates"_s, {{u"account"_s, u"B2"_s}})} << 0
        << true << forbidden << 0;
    QTest::newRow("another account's positions among its own")
        << u"bearer"_s << trader
        << QStringList {subscribe(u"position_updates"_s,
                                  {{u"account"_s, QJsonObject {{u"in"_s, QJsonArray {u"A1"_s, u"B2"_s}}}}})}
        << 0 << true << forbidden << 0;
    QTest::newRow("publish from a trader")
        << u"bearer"_s << trader << QStringList {publish} << 0 << true << forbidden << 0;
    QTest::newRow("publish from a viewer API key")
        << u"x-api-key"_s << ViewerKey << QStringList {publish} << 0 << true << forbidden << 0;
    for (const QString &admin : {u"stats"_s, u"connections"_s}) {
        QTest::addRow("%s from a trader", qPrintable(admin))
            << u"bearer"_s << trader << QStringList {frame({{u"type"_s, admin}, {u"id"_s, 9}})} << 0 << true
            << forbidden << 0;
    }
    QTest::newRow("disconnect (of session 1, the good client) from a trader API key")
        << u"x-api-key"_s << TraderKey
        << QStringList {frame({{u"type"_s, u"disconnect"_s},
                               {u"data"_s, QJsonObject {{u"connection_id"_s, u"1"_s}}}})}
        << 0 << true << forbidden << 0;
    QTest::newRow("re-auth as admin on a trader connection")
        << u"bearer"_s << trader << QStringList {tokenAuth(u"admin"_s)} << 0 << true << badRequest << 0;

    // --- connection policy
    QTest::newRow("disallowed origin")
        << u"origin"_s << u"https://evil.example"_s << QStringList() << 0 << false << QStringList() << 1008;
    QStringList flood;
    for (int i = 0; i < 300; ++i)
        flood.append(frame({{u"type"_s, u"ping"_s}, {u"id"_s, i}}));
    QTest::newRow("flood")
        << u"bearer"_s << trader << flood << 0 << true << QStringList {u"rate_limited"_s} << 4029;
    QStringList many;
    for (const QString &channel : {u"market_data"_s, u"trading_signals"_s, u"strategy_status"_s, u"risk_alerts"_s})
        many.append(subscribe(channel));
    QTest::newRow("too many subscriptions")
        << u"bearer"_s << trader << many << 0 << true << QStringList {u"limit_exceeded"_s} << 0;
    QTest::newRow("deep nesting (100 levels)")
        << u"bearer"_s << trader
        << QStringList {u"{\"type\":\"ping\",\"data\":"_s + QString(100, u'[') + QString(100, u']') + u"}"_s}
        << 0 << true << badRequest << 0;
    QTest::newRow("deep nesting in filters (8000 levels)")
        << u"bearer"_s << trader
        << QStringList {u"{\"type\":\"subscribe\",\"data\":{\"type\":\"market_data\",\"filters\":{\"a\":"_s
                        + QString(8000, u'[') + QString(8000, u']') + u"}}}"_s}
        << 0 << true << badRequest << 0;
    QTest::newRow("deep nesting before auth")
        << u"none"_s << QString() << QStringList {QString(5000, u'{')} << 0 << true
        << QStringList {u"bad_request"_s, u"unauthorized"_s} << Auth;
    QJsonObject tooManyConditions;
    for (int i = 0; i < 12; ++i)
        tooManyConditions.insert(u"f%1"_s.arg(i), i);
    QTest::newRow("filter over max_filter_conditions")
        << u"bearer"_s << trader << QStringList {subscribe(u"market_data"_s, tooManyConditions)} << 0 << true
        << badRequest << 0;
    QTest::newRow("unknown filter operator")
        << u"bearer"_s << trader
        << QStringList {subscribe(u"market_data"_s, {{u"price"_s, QJsonObject {{u"regex"_s, u".*"_s}}}})} << 0 << true
        << badRequest << 0;
    QTest::newRow("malformed JSON")
        << u"bearer"_s << trader << QStringList {u"{\"type\":\"ping\","_s} << 0 << true << badRequest << 0;
    QTest::newRow("unknown type")
        << u"bearer"_s << trader << QStringList {u"{\"type\":\"sudo\"}"_s} << 0 << true
        << QStringList {u"unknown_type"_s} << 0;
    QTest::newRow("server-only type")
        << u"bearer"_s << trader << QStringList {u"{\"type\":\"auth_ok\",\"data\":{\"role\":\"admin\"}}"_s} << 0
        << true << QStringList {u"unknown_type"_s} << 0;
    QTest::newRow("binary frame")
        << u"bearer"_s << trader << QStringList {u"<binary>"_s} << 0 << true << badRequest << 0;
    const QString huge = u"{\"type\":\"ping\",\"data\":{\"pad\":\""_s + QString(MaxMessageSize + 1000, u'x')
        + u"\"}}"_s;
    QTest::newRow("oversized frame")
        << u"bearer"_s << trader << QStringList {huge} << 0 << true << QStringList() << 1009;
    QTest::newRow("oversized message in small frames")
        << u"bearer"_s << trader << QStringList {huge} << 1024 << true << QStringList() << 1009;
    QTest::newRow("oversized frame before auth")
        << u"none"_s << QString() << QStringList {huge} << 0 << true << QStringList() << 1009;
}

void tst_Security::hostile()
{
    QFETCH(QString, handshake);
    QFETCH(QString, credential);
    QFETCH(QStringList, frames);
    QFETCH(int, outgoingFrameSize);
    QFETCH(bool, welcome);
    QFETCH(QStringList, errors);
    QFETCH(int, closeCode);

    Probe probe;
    if (outgoingFrameSize > 0)
        probe.socket.setOutgoingFrameSize(quint64(outgoingFrameSize));
    QNetworkRequest request(url(m_server->port(), handshake == u"query"_s ? u"token="_s + credential : QString()));
    if (handshake == u"bearer"_s)
        request.setRawHeader("Authorization", "Bearer " + credential.toLatin1());
    else if (handshake == u"x-api-key"_s)
        request.setRawHeader("X-API-Key", credential.toLatin1());
    else if (handshake == u"origin"_s)
        request.setRawHeader("Origin", credential.toLatin1());
    probe.socket.open(request);

    if (welcome) {
        QTRY_VERIFY_WITH_TIMEOUT(probe.has(u"welcome"_s) || probe.closed, WaitMs);
        QVERIFY2(probe.has(u"welcome"_s), qPrintable(u"closed with %1: %2 after %3 frames"_s.arg(probe.closeCode).arg(probe.socket.closeReason()).arg(probe.frames.size())));
        QCOMPARE(probe.frames.first().value(u"type"_s).toString(), u"welcome"_s);
        if (handshake == u"bearer"_s || handshake == u"x-api-key"_s) {
            // The handshake credential is judged before any frame is read.
            QTRY_VERIFY_WITH_TIMEOUT(probe.has(u"auth_ok"_s) || !probe.errorCodes().isEmpty(), WaitMs);
        }
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(probe.closed, WaitMs);
        QVERIFY(!probe.has(u"welcome"_s));
    }

    for (const QString &text : std::as_const(frames)) {
        if (probe.closed)
            break;
        if (text == u"<binary>"_s)
            probe.socket.sendBinaryMessage(QByteArrayLiteral("\x00\x01\x02 not json"));
        else
            probe.socket.sendTextMessage(text);
    }

    if (closeCode != 0) {
        QTRY_VERIFY_WITH_TIMEOUT(probe.closed, WaitMs);
        QCOMPARE(probe.closeCode, closeCode);
    } else {
        // Everything sent before this ping has been answered once its pong is back.
        probe.socket.sendTextMessage(frame({{u"type"_s, u"ping"_s}, {u"id"_s, u"end-of-row"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(probe.has(u"pong"_s, u"end-of-row"_s) || probe.closed, WaitMs);
        QVERIFY2(!probe.closed, qPrintable(u"closed with %1"_s.arg(probe.closeCode)));
    }
    // Requests the main thread answers (subscribe) may be answered after a
    // ping the session's worker answered at once: wait for the errors too.
    const auto distinctErrors = [&probe] {
        QStringList distinct = probe.errorCodes();
        distinct.removeDuplicates();
        return distinct;
    };
    QTRY_COMPARE_WITH_TIMEOUT(distinctErrors(), errors, WaitMs);
    // No hostile row may leave its connection with privileges.
    QVERIFY(!probe.has(u"published"_s));
    QVERIFY(!probe.has(u"stats"_s));
    QVERIFY(!probe.has(u"connections"_s));
    QVERIFY(!probe.has(u"disconnected"_s));
    if (handshake != u"bearer"_s && handshake != u"x-api-key"_s)
        QVERIFY(!probe.has(u"auth_ok"_s));
    if (!probe.closed) {
        probe.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(probe.closed, WaitMs);
    }
}

void tst_Security::frontDoorLimits()
{
    // A connection that never sends a request head is dropped at the handshake timeout.
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::ConnectedState, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, WaitMs);

    // A head over http.max_header_bytes gets 431 and nothing else.
    QTcpSocket bloated;
    QByteArray answer;
    connect(&bloated, &QTcpSocket::readyRead, this, [&] { answer += bloated.readAll(); });
    bloated.connectToHost(QHostAddress::LocalHost, m_server->port());
    bloated.write("GET /ws HTTP/1.1\r\nHost: x\r\nX-Pad: " + QByteArray(4096, 'a') + "\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(bloated.state(), QAbstractSocket::UnconnectedState, WaitMs);
    QVERIFY2(answer.startsWith("HTTP/1.1 431 "), answer.constData());
}

void tst_Security::tokenExpiryEndsALiveSession()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QNetworkRequest request(url(m_server->port()));
    request.setRawHeader("Authorization",
                         "Bearer " + token({{u"sub"_s, u"short-lived"_s}, {u"role"_s, u"trader"_s}, {u"exp"_s, now + 2}}).toLatin1());
    Probe client;
    client.socket.open(request);
    QTRY_VERIFY_WITH_TIMEOUT(client.has(u"auth_ok"_s), WaitMs);
    QVERIFY(!client.closed);
    QTRY_VERIFY_WITH_TIMEOUT(client.closed, 10000);
    QCOMPARE(client.closeCode, 4001);
    QCOMPARE(client.errorCodes(), QStringList {u"unauthorized"_s});
}

void tst_Security::wellBehavedClientSawEverything()
{
    m_publisher.stop();
    QVERIFY(m_ticks > 50);
    const qint64 firstMarket = m_good.subscribedAt.value(u"market_data"_s) + 1;
    QTRY_COMPARE_WITH_TIMEOUT(m_good.seqs.value(u"market_data"_s).isEmpty() ? 0 : m_good.seqs.value(u"market_data"_s).last(),
                              m_lastMarketSeq, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_good.seqs.value(u"order_updates"_s).size(), m_a1OrderSeqs.size(), WaitMs);

    QList<qint64> expectedMarket;
    for (qint64 seq = firstMarket; seq <= m_lastMarketSeq; ++seq)
        expectedMarket.append(seq);
    QCOMPARE(m_good.seqs.value(u"market_data"_s), expectedMarket);
    QCOMPARE(m_good.seqs.value(u"order_updates"_s), m_a1OrderSeqs);
    for (const QJsonObject &f : std::as_const(m_good.unexpected))
        qWarning() << "unexpected frame:" << f;
    QVERIFY(m_good.unexpected.isEmpty()); // no error, no gap
    QVERIFY(!m_good.closed);
    for (const QString &account : std::as_const(m_good.accounts))
        QVERIFY(account.isEmpty() || account == u"A1"_s);
}

void tst_Security::accessLogRecordsEveryEvent()
{
    const auto fileText = [this] {
        QFile file(m_dir.filePath(u"access.log"_s));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    };
    // The server sees some closes a moment after the client does.
    QTRY_VERIFY_WITH_TIMEOUT(fileText().count(u" disconnect "_s) >= 40, WaitMs);
    const QStringList lines = fileText().split(u'\n', Qt::SkipEmptyParts);
    const QStringList expected {
        u"connect 127.0.0.1:"_s,
        u"auth ok 127.0.0.1:"_s,
        u"user trader-a1 role trader"_s,
        u"user trader-bot role trader"_s,
        u"user viewer-bot role viewer"_s,
        u"auth failed 127.0.0.1:"_s,
        u"reason: token rejected"_s,
        u"reason: unknown API key"_s,
        u"auth timeout 127.0.0.1:"_s,
        u"denied subscribe 127.0.0.1:"_s,
        u"reason: filter names an account not granted"_s,
        u"denied publish 127.0.0.1:"_s,
        u"denied stats 127.0.0.1:"_s,
        u"refused 127.0.0.1 close 1008 origin not allowed"_s,
        u"rate limit 127.0.0.1:"_s,
        u"role trader code 4029"_s,
        u"user - role - code 4001"_s,
        u"code 1009"_s,
    };
    for (const QString &needle : expected) {
        const bool found = std::any_of(lines.cbegin(), lines.cend(), [&](const QString &l) { return l.contains(needle); });
        QVERIFY2(found, qPrintable(u"no access log line contains \"%1\""_s.arg(needle)));
    }
    for (const QString &line : lines) {
        // "2025-01-01T12:00:00.000Z info connect ..."
        QVERIFY2(QDateTime::fromString(line.section(u' ', 0, 0), Qt::ISODateWithMs).isValid(), qPrintable(line));
        const QString event = line.section(u' ', 2);
        QVERIFY2(!event.isEmpty(), qPrintable(line));
    }
    // Only the access category goes to the file.
    QVERIFY(!fileText().contains(u"listening on"_s));
}

void tst_Security::logsHoldNoSecrets()
{
    QStringList log;
    {
        QMutexLocker locker(&g_logMutex);
        log = g_log;
    }
    QFile file(m_dir.filePath(u"access.log"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    log.append(QString::fromUtf8(file.readAll()).split(u'\n'));
    // Not vacuous: the run did log its failures.
    QVERIFY(log.filter(u"auth failed"_s).size() >= 20);
    m_secrets.removeDuplicates();
    QVERIFY(m_secrets.size() > 20);
    for (const QString &secret : std::as_const(m_secrets)) {
        if (secret.size() < 16)
            continue;
        for (const QString &line : std::as_const(log))
            QVERIFY2(!line.contains(secret), qPrintable(u"a log line holds a credential: "_s + line.left(200)));
    }
}

void tst_Security::cleanupTestCase()
{
    m_publisher.stop();
    m_good.socket.abort();
    m_server.reset();
    m_accessLog.reset(); // restores captureLog
    qInstallMessageHandler(g_previousHandler);
}

QTEST_GUILESS_MAIN(tst_Security)
#include "tst_security.moc"
