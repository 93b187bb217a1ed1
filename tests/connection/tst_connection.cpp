// The connection side (SessionHost, RequestRouter, AuthFlow) over real sockets: bad input gets the protocol's answer
// while everyone else keeps being served; connection limits and heartbeats.
#include "Bystander.h"
#include "Clock.h"
#include "RawWebSocketClient.h"
#include "TestServer.h"
#include "WelcomeFrame.h"
#include "WsTestClient.h"
#include "auth/JwtSigner.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>
#include <QtNetwork/QNetworkRequest>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <memory>
#include <set>
#include <vector>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

class tst_Connection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badInputIsAnsweredAndOthersKeepReceiving_data();
    void badInputIsAnsweredAndOthersKeepReceiving();
    void oversizedFrameClosesWith1009();
    void maxConnectionsAnswers1013();
    void welcomeIsBuiltForEachSession();
    void silentClientIsClosedAfterConnectionTimeout();
    void pingsAreSpreadOverTheInterval();
    void slowHandshakeIsDropped();
    void silentConnectionIsDropped();
    void plainHttpOnTheSamePort();
    void rateLimitedErrorEchoesTheId();
    void bearerSchemeIsCaseInsensitive();
    void adminMayDisconnectItself();
};

void tst_Connection::badInputIsAnsweredAndOthersKeepReceiving_data()
{
    QTest::addColumn<QString>("frame"); // sent as a text frame unless binary
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("echoedId");
    auto row = [](const char *name, const char *frame, const char *code, const char *id = "", bool binary = false) {
        QTest::newRow(name) << QString::fromUtf8(frame) << binary << QString::fromLatin1(code) << QString::fromLatin1(id);
    };
    row("malformed JSON", R"({"type":"subscribe",)", "bad_request");
    row("not JSON at all", "hello server", "bad_request");
    row("a JSON array", R"([{"type":"ping"}])", "bad_request");
    row("a JSON string", R"("ping")", "bad_request");
    row("missing type", R"({"id":"m1","data":{}})", "bad_request", "m1");
    row("type not a string", R"({"id":"m2","type":["ping"]})", "bad_request", "m2");
    row("unknown type", R"({"id":"m3","type":"launch_missiles"})", "unknown_type", "m3");
    row("server-only type", R"({"id":"m4","type":"welcome"})", "unknown_type", "m4");
    row("data not an object", R"({"id":"m5","type":"subscribe","data":"market_data"})", "bad_request", "m5");
    row("channel not a string", R"({"id":"m6","type":"subscribe","data":{"type":7}})", "bad_request", "m6");
    row("unknown channel", R"({"id":"m7","type":"subscribe","data":{"type":"gossip"}})", "bad_request", "m7");
    row("since not an integer", R"({"id":"m8","type":"subscribe","data":{"type":"market_data","since":"x"}})", "bad_request", "m8");
    row("filters not an object", R"({"id":"m9","type":"subscribe","data":{"type":"market_data","filters":1}})", "bad_request", "m9");
    row("ack seq not a number", R"({"id":"m10","type":"ack","data":{"channel":"order_updates","seq":"1"}})", "bad_request", "m10");
    row("id an object", R"({"id":{"a":1},"type":"ping"})", "bad_request");
    row("deep nesting", R"({"type":"ping","data":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})", "bad_request");
    row("binary frame", "\x01\x02binary", "bad_request", "", true);
    row("publish from a trader", R"({"id":"m11","type":"publish","data":{"type":"risk_alerts","payload":{}}})", "forbidden", "m11");
    row("stats from a trader", R"({"id":"m12","type":"stats"})", "forbidden", "m12");
}

void tst_Connection::badInputIsAnsweredAndOthersKeepReceiving()
{
    QFETCH(QString, frame);
    QFETCH(bool, binary);
    QFETCH(QString, code);
    QFETCH(QString, echoedId);

    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    WsTestClient offender;
    QVERIFY(offender.open(webSocketUrl(*server)));
    QTest::qWait(50);
    if (binary)
        offender.sendBinary(frame.toLatin1());
    else
        offender.sendText(frame);
    const auto error = offender.waitForType(u"error"_s);
    QVERIFY(error);
    QCOMPARE(error->value(Key::Data).toObject().value(Key::Code).toString(), code);
    QVERIFY(!error->value(Key::Data).toObject().value(Key::Message).toString().isEmpty());
    QCOMPARE(error->value(Key::Id).toString(), echoedId);

    // The offender is still connected and served.
    const auto pong = offender.request({{u"type"_s, u"ping"_s}});
    QVERIFY(pong);
    QCOMPARE(pong->value(Key::Type).toString(), u"pong"_s);
    QVERIFY(!offender.isClosed());
    bystander.verifySawEverything();
}

void tst_Connection::oversizedFrameClosesWith1009()
{
    ServerConfig config = testConfig();
    config.websocket.maxMessageSize = 4096;
    auto server = startServer(config);
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    WsTestClient offender;
    QVERIFY(offender.open(webSocketUrl(*server)));
    offender.sendText(u"{\"type\":\"ping\",\"data\":\"%1\"}"_s.arg(QString(8192, u'x')));
    QVERIFY(offender.waitForClose());
    QCOMPARE(offender.closeCode(), 1009);
    bystander.verifySawEverything();
}

void tst_Connection::maxConnectionsAnswers1013()
{
    ServerConfig config = testConfig();
    config.websocket.maxConnections = 3;
    auto server = startServer(config);
    std::array<WsTestClient, 3> admitted;
    for (WsTestClient &client : admitted)
        QVERIFY(client.open(webSocketUrl(*server)));
    RawWebSocketClient refused(server->port());
    QTRY_VERIFY(refused.closeCode != -1);
    QVERIFY(refused.upgraded);
    QCOMPARE(refused.closeCode, 1013);
    QVERIFY(refused.texts.isEmpty()); // no welcome
    for (WsTestClient &client : admitted)
        QVERIFY(!client.isClosed());
    // A place frees up: the next one gets in.
    admitted[0].close();
    QVERIFY(admitted[0].waitForClose());
    WsTestClient later;
    QTRY_VERIFY_WITH_TIMEOUT(later.open(webSocketUrl(*server), 1000), 5000);
}

void tst_Connection::welcomeIsBuiltForEachSession()
{
    // The welcome's bytes are made once and the session id spliced in: each
    // connection must still get, byte for byte, the message built for it.
    ServerConfig config = testConfig();
    config.websocket.pingIntervalSec = 17;
    config.websocket.reconnection.maxAttempts = 9;
    auto server = startServer(config);
    RawWebSocketClient plain(server->port());
    RawWebSocketClient deflate(server->port(), "/ws?compression=deflate");
    RawWebSocketClient another(server->port());
    QTRY_VERIFY(!plain.texts.isEmpty() && !deflate.texts.isEmpty() && !another.texts.isEmpty());
    QSet<QString> ids;
    for (const RawWebSocketClient *client : {&plain, &deflate, &another}) {
        const QJsonObject welcome = QJsonDocument::fromJson(client->texts.first().toUtf8()).object();
        const QString id = welcome.value(Key::Data).toObject().value(Key::SessionId).toString();
        QVERIFY(!id.isEmpty());
        ids.insert(id);
        const bool compressed = client == &deflate;
        QCOMPARE(client->texts.first().toUtf8(), WelcomeFrame::build(config.websocket, id, compressed).serialize());
    }
    QCOMPARE(ids.size(), 3);
}

void tst_Connection::silentClientIsClosedAfterConnectionTimeout()
{
    ServerConfig config = testConfig();
    config.websocket.pingIntervalSec = 1;
    config.websocket.connectionTimeoutSec = 2;
    FakeClock clock; // heartbeats tick when the test advances it
    auto server = startServer(config, &clock);

    // A live QWebSocket answers pings by itself: it must survive.
    WsTestClient alive;
    QVERIFY(alive.open(webSocketUrl(*server)));

    // A raw client that completes the handshake and then never answers pings.
    RawWebSocketClient silent(server->port());
    QTRY_VERIFY(silent.upgraded);
    clock.advance(1000); // the first ping is due
    QTRY_VERIFY(silent.pings >= 1);
    QVERIFY(alive.request({{u"type"_s, u"ping"_s}})); // the live client talks
    clock.advance(900);  // 1.9 s of silence: not yet over connection_timeout
    QVERIFY(alive.request({{u"type"_s, u"ping"_s}}));
    QCOMPARE(silent.socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(silent.closeCode, -1);
    clock.advance(600);  // 2.5 s of silence
    QTRY_VERIFY_WITH_TIMEOUT(silent.socket.state() == QAbstractSocket::UnconnectedState, 10000);
    QCOMPARE(silent.closeCode, 1008);
    QVERIFY(alive.request({{u"type"_s, u"ping"_s}}));
    QVERIFY(!alive.isClosed());
}

void tst_Connection::pingsAreSpreadOverTheInterval()
{
    ServerConfig config = testConfig();
    config.websocket.pingIntervalSec = 10;
    config.websocket.connectionTimeoutSec = 3600;
    FakeClock clock; // heartbeats (every 500 ms) tick when the test advances it
    auto server = startServer(config, &clock);

    // Connected together (the fake clock stands still meanwhile).
    std::vector<std::unique_ptr<RawWebSocketClient>> clients;
    for (int i = 0; i < 40; ++i)
        clients.push_back(std::make_unique<RawWebSocketClient>(server->port()));
    for (const auto &client : clients)
        QTRY_VERIFY(client->upgraded);
    QTRY_COMPARE(server->connectionsJson().size(), 40);

    // One interval in heartbeat steps: the step in which each first saw a ping.
    std::vector<int> firstPingStep(clients.size(), -1);
    for (int step = 0; step < 20; ++step) {
        clock.advance(500);
        QTest::qWait(30); // lets the pings in; one seen late only counts in a later step
        for (std::size_t i = 0; i < clients.size(); ++i) {
            if (firstPingStep[i] < 0 && clients[i]->pings > 0)
                firstPingStep[i] = step;
        }
    }
    // Every one was pinged once within the interval...
    for (const auto &client : clients)
        QTRY_COMPARE(client->pings, 1);
    // ...and not all in the same heartbeat: a burst of pings in one turn
    // holds back every delivery of that turn.
    const std::set<int> steps(firstPingStep.begin(), firstPingStep.end());
    QVERIFY2(!steps.contains(-1) && steps.size() >= 8,
             qPrintable(u"the 40 first pings came in %1 distinct heartbeats"_s.arg(steps.size())));
}

void tst_Connection::slowHandshakeIsDropped()
{
    ServerConfig config = testConfig();
    config.limits.handshakeTimeoutMs = 300;
    auto server = startServer(config);
    QTcpSocket slow;
    slow.connectToHost(u"127.0.0.1"_s, server->port());
    QVERIFY(slow.waitForConnected(3000));
    slow.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // never finishes the head
    QTRY_VERIFY_WITH_TIMEOUT(slow.state() == QAbstractSocket::UnconnectedState, 5000);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
}

void tst_Connection::silentConnectionIsDropped()
{
    // The listener defers accept until a connection's first bytes arrive:
    // one that never sends any must still be accepted in the end, dropped at
    // its handshake deadline and counted, while everyone else is served.
    ServerConfig config = testConfig();
    config.limits.handshakeTimeoutMs = 300;
    auto server = startServer(config);
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    QTcpSocket silent;
    silent.connectToHost(u"127.0.0.1"_s, server->port());
    QVERIFY(silent.waitForConnected(3000));
    QTRY_VERIFY_WITH_TIMEOUT(silent.state() == QAbstractSocket::UnconnectedState, 10000);
    const QJsonObject refused =
        server->statsJson().value(u"connections"_s).toObject().value(u"refused"_s).toObject();
    QCOMPARE(refused.value(u"handshake_timeout"_s).toInt(), 1);
    bystander.verifySawEverything();
}

void tst_Connection::plainHttpOnTheSamePort()
{
    auto server = startServer(testConfig());
    QTcpSocket http;
    http.connectToHost(u"127.0.0.1"_s, server->port());
    QVERIFY(http.waitForConnected(3000));
    http.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY(http.state() == QAbstractSocket::UnconnectedState || http.bytesAvailable() > 0);
    QTRY_VERIFY(http.peek(100).contains("\r\n\r\n"));
    QVERIFY(http.readAll().startsWith("HTTP/1.1 200"));
}

void tst_Connection::rateLimitedErrorEchoesTheId()
{
    ServerConfig config = testConfig();
    config.limits.inboundMessagesPerSec = 0.5;
    config.limits.inboundBurst = 1;
    FakeClock clock; // the bucket refills only when the test says time passed
    auto server = startServer(config, &clock);
    WsTestClient client;
    QVERIFY(client.open(webSocketUrl(*server)));
    QCOMPARE(client.request({{u"type"_s, u"ping"_s}})->value(Key::Type).toString(), u"pong"_s);
    const auto limited = client.request({{u"type"_s, u"ping"_s}});
    QVERIFY(limited);
    QCOMPARE(limited->value(Key::Type).toString(), u"error"_s);
    QCOMPARE(limited->value(Key::Data).toObject().value(Key::Code).toString(), u"rate_limited"_s);
    clock.advance(1500); // three quarters of a token: still limited
    QCOMPARE(client.request({{u"type"_s, u"ping"_s}})->value(Key::Type).toString(), u"error"_s);
    clock.advance(2000); // a whole token again
    QCOMPARE(client.request({{u"type"_s, u"ping"_s}})->value(Key::Type).toString(), u"pong"_s);
}

void tst_Connection::bearerSchemeIsCaseInsensitive()
{
    ServerConfig config = testConfig();
    config.websocket.authRequired = true;
    config.auth.jwtSecret = u"connection-test-secret-0123456789abcdef"_s;
    auto server = startServer(config);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray token = JwtSigner::sign({{u"sub"_s, u"alice"_s}, {u"role"_s, u"trader"_s}, {u"exp"_s, now + 600}},
                                             config.auth.jwtSecret.toUtf8());
    QNetworkRequest request(webSocketUrl(*server));
    request.setRawHeader("Authorization", "bearer " + token);
    WsTestClient client;
    QVERIFY(client.openWithRequest(request));
    const auto ok = client.waitForType(u"auth_ok"_s);
    QVERIFY(ok);
    QCOMPARE(ok->value(Key::Data).toObject().value(Key::User).toString(), u"alice"_s);
}

void tst_Connection::adminMayDisconnectItself()
{
    ServerConfig config = testConfig();
    config.auth.anonymousRole = u"admin"_s;
    auto server = startServer(config);
    WsTestClient admin;
    QVERIFY(admin.open(webSocketUrl(*server)));
    const QString self = admin.frames().first().value(Key::Data).toObject().value(Key::SessionId).toString();
    const auto reply = admin.request({{u"type"_s, u"disconnect"_s},
                                      {u"data"_s, QJsonObject {{Key::ConnectionId, self}, {Key::Reason, u"bye"_s}}}});
    QVERIFY(reply);
    QCOMPARE(reply->value(Key::Type).toString(), u"disconnected"_s);
    QCOMPARE(reply->value(Key::Data).toObject().value(Key::ConnectionId).toString(), self);
    QVERIFY(admin.waitForClose());
    QCOMPARE(admin.closeCode(), 1000);
}

QTEST_GUILESS_MAIN(tst_Connection)
#include "tst_connection.moc"
