// The server's own RFC 6455 layer (server/ws) over real sockets against a
// running server, while a bystander must keep getting every seq: bad frames
// and their close codes, a request byte by byte, a head in pieces or with
// frames behind it, a close or an error right behind the head, bad
// handshakes, the close handshake, a ping flood that never reads. The
// parser and the handshake on their own: tests/wsprotocol.
#include "Bystander.h"
#include "ClientFrame.h"
#include "RawWebSocketClient.h"
#include "TestServer.h"

#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

class tst_WsWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badFramesOverTheWire_data();
    void badFramesOverTheWire();
    void byteByByteOverTheWire();
    void fragmentedRequestWithPingBetween();
    void headArrivingInPiecesOrWithFramesBehind_data();
    void headArrivingInPiecesOrWithFramesBehind();
    void closeOrErrorRightBehindTheHead_data();
    void closeOrErrorRightBehindTheHead();
    void badHandshakeOverTheWire_data();
    void badHandshakeOverTheWire();
    void closeHandshakeEchoesTheCode();
    void pingFloodWithoutReadingStaysBounded();
};

// Over real sockets: a raw client completes the handshake and sends
// hand-made frames; the server closes it with the code, answers nothing else
// to it, and the bystander loses nothing.
void tst_WsWire::badFramesOverTheWire_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::newRow("unmasked") << clientFrame(0x1, R"({"type":"ping"})", true, false) << 1002;
    QTest::newRow("rsv1") << clientFrame(0x1, R"({"type":"ping"})", true, true, 0x4) << 1002;
    QTest::newRow("unknown opcode") << clientFrame(0x5, "x") << 1002;
    QTest::newRow("oversized") << clientFrame(0x1, QByteArray(5000, 'x')) << 1009;
    QTest::newRow("oversized announced only") << clientFrame(0x1, QByteArray(70000, 'x')).left(14) << 1009;
    QTest::newRow("invalid UTF-8") << clientFrame(0x1, "{\"type\":\"\xc3\x28\"}") << 1007;
    QTest::newRow("bad close code") << clientFrame(0x8, closeBody(1005)) << 1002;
}

void tst_WsWire::badFramesOverTheWire()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    ServerConfig config = testConfig();
    config.websocket.maxMessageSize = 4096;
    auto server = startServer(config);
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    RawWebSocketClient offender(server->port());
    QTRY_VERIFY(offender.upgraded);
    QTRY_COMPARE(offender.texts.size(), 1); // welcome
    offender.socket.write(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(offender.closeCode, code, 10000);
    QCOMPARE(offender.texts.size(), 1);
    // The server ends the connection (it does not wait on a broken stream).
    QTRY_COMPARE_WITH_TIMEOUT(offender.socket.state(), QAbstractSocket::UnconnectedState, 10000);
    bystander.verifySawEverything();
}

void tst_WsWire::byteByByteOverTheWire()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    RawWebSocketClient slow(server->port());
    QTRY_VERIFY(slow.upgraded);
    QTRY_COMPARE(slow.texts.size(), 1);
    const QByteArray bytes = clientFrame(0x1, R"({"id":"p1","type":"ping"})");
    for (const char byte : bytes) {
        slow.socket.write(&byte, 1);
        slow.socket.flush();
        QTest::qWait(2);
    }
    QTRY_COMPARE(slow.texts.size(), 2);
    QVERIFY(slow.texts.at(1).contains(u"\"pong\""_s));
    QVERIFY(slow.texts.at(1).contains(u"\"p1\""_s));
    QCOMPARE(slow.closeCode, -1);
    bystander.verifySawEverything();
}

void tst_WsWire::fragmentedRequestWithPingBetween()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, &client, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server->port());
    client.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(received.contains("\"welcome\""));
    QVERIFY(received.startsWith("HTTP/1.1 101 "));
    received.clear();
    // A ping between the fragments of a request: answered at once, and the
    // request still arrives whole.
    client.write(clientFrame(0x1, R"({"id":"f1",)", false) + clientFrame(0x9, "are you there") + clientFrame(0x0, R"("type":"ping"})"));
    QTRY_VERIFY(received.contains("\"f1\""));
    QVERIFY(received.startsWith(QByteArray("\x8a\x0d" "are you there")));
    bystander.verifySawEverything();
}

void tst_WsWire::headArrivingInPiecesOrWithFramesBehind_data()
{
    // Where the first write ends (bytes of head + frame); -1: all at once.
    // A whole head at accept takes the front door's descriptor path, with
    // any frames behind it left in the kernel for the worker's socket; a
    // head still incomplete takes the socket path.
    // controlPing: the frame is a WebSocket ping, answered by the
    // connection itself: its pong must not overtake the 101 and the
    // welcome, which the session holds until the turn's end.
    QTest::addColumn<int>("firstPart");
    QTest::addColumn<bool>("controlPing");
    QTest::newRow("head and a frame in one write") << -1 << false;
    QTest::newRow("head cut in the request line") << 10 << false;
    QTest::newRow("head cut before its blank line") << 120 << false;
    QTest::newRow("whole head, the frame later") << 0 << false; // 0: exactly the head first
    QTest::newRow("head and half a frame") << -2 << false;       // -2: the head and 5 bytes of the frame
    QTest::newRow("head and a control ping in one write") << -1 << true;
    QTest::newRow("head cut, its end and a control ping together") << 120 << true;
}

void tst_WsWire::headArrivingInPiecesOrWithFramesBehind()
{
    QFETCH(int, firstPart);
    QFETCH(bool, controlPing);
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    const QByteArray head = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const QByteArray all = head + (controlPing ? clientFrame(0x9, "\"early\"") : clientFrame(0x1, R"({"id":"early","type":"ping"})"));
    qsizetype cut = all.size();
    if (firstPart > 0)
        cut = firstPart;
    else if (firstPart == 0)
        cut = head.size();
    else if (firstPart == -2)
        cut = head.size() + 5;
    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, &client, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(client.waitForConnected(5000));
    client.write(all.left(cut));
    QVERIFY(client.waitForBytesWritten(5000));
    if (cut < all.size()) {
        QTest::qWait(50); // the front door sees the first part alone
        client.write(all.mid(cut));
    }
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("\"early\""), 10000);
    QVERIFY2(received.startsWith("HTTP/1.1 101 "), received.left(80).toHex(' ').constData());
    QVERIFY(received.contains("\"welcome\""));
    if (controlPing) {
        const qsizetype pong = received.indexOf(QByteArray("\x8a\x07\"early\""));
        QVERIFY(pong > received.indexOf("\"welcome\""));
    } else {
        QVERIFY(received.contains("\"pong\""));
    }
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    bystander.verifySawEverything();
}

void tst_WsWire::closeOrErrorRightBehindTheHead_data()
{
    // The first frame behind the head ends the connection: the close frame
    // must still come after the 101 and the welcome the session holds. With
    // the head cut, the socket path reads the frame together with the head's
    // end and meets it as the session starts, while the 101 is still held.
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("headCut");
    for (const bool headCut : {false, true}) {
        const char *how = headCut ? "head cut" : "whole head";
        QTest::addRow("close, %s", how) << clientFrame(0x8, closeBody(4000)) << 4000 << headCut;
        QTest::addRow("unmasked frame, %s", how) << clientFrame(0x1, "x", true, false) << 1002 << headCut;
    }
}

void tst_WsWire::closeOrErrorRightBehindTheHead()
{
    QFETCH(QByteArray, first);
    QFETCH(int, code);
    QFETCH(bool, headCut);
    auto server = startServer(testConfig());
    const QByteArray head = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, &client, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(client.waitForConnected(5000));
    const qsizetype cut = headCut ? 10 : 0;
    if (cut > 0) {
        client.write(head.left(cut));
        QVERIFY(client.waitForBytesWritten(5000));
        QTest::qWait(50); // the front door sees the first part alone
    }
    client.write(head.mid(cut) + first);
    // The close frame: 0x88, its length, the code (and a reason after an error).
    const auto closeAt = [&] {
        const qsizetype at = received.indexOf("\"welcome\"");
        const qsizetype frameAt = at < 0 ? -1 : received.indexOf('\x88', at);
        return frameAt >= 0 && received.mid(frameAt + 2, 2) == closeBody(code) ? frameAt : -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(closeAt() >= 0, 10000);
    QVERIFY2(received.startsWith("HTTP/1.1 101 "), received.left(80).toHex(' ').constData());
    QCOMPARE(received.size(), closeAt() + 2 + quint8(received.at(closeAt() + 1)));
}

void tst_WsWire::badHandshakeOverTheWire_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    const QByteArray start = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";
    QTest::newRow("version 8") << QByteArray(start + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                          "Sec-WebSocket-Version: 8\r\n\r\n")
                               << QByteArray("HTTP/1.1 426 ");
    QTest::newRow("no key") << QByteArray(start + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("short key") << QByteArray(start + "Connection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n"
                                          "Sec-WebSocket-Version: 13\r\n\r\n")
                               << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("no connection upgrade") << QByteArray(start + "Connection: keep-alive\r\nSec-WebSocket-Key: "
                                                      "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                           << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("POST") << QByteArray("POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("HEAD") << QByteArray("HEAD /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          << QByteArray("HTTP/1.1 400 ");
}

void tst_WsWire::badHandshakeOverTheWire()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    QTcpSocket socket;
    QByteArray answer;
    connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, server->port());
    socket.write(request);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    QVERIFY2(answer.startsWith(status), answer.constData());
    QVERIFY(answer.contains("\r\nConnection: close\r\n"));
    if (status.contains("426"))
        QVERIFY(answer.contains("\r\nSec-WebSocket-Version: 13\r\n"));
    if (request.startsWith("HEAD ")) // headers only (RFC 9110 9.3.2)
        QVERIFY2(answer.endsWith("\r\n\r\n"), answer.constData());
    else
        QVERIFY(!answer.endsWith("\r\n\r\n"));
    bystander.verifySawEverything();
}

void tst_WsWire::closeHandshakeEchoesTheCode()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    RawWebSocketClient client(server->port());
    QTRY_VERIFY(client.upgraded);
    QTRY_COMPARE(client.texts.size(), 1);
    client.socket.write(clientFrame(0x8, closeBody(4321, "done here")));
    QTRY_COMPARE(client.closeCode, 4321);
    // The server closes the TCP connection after the echo.
    QTRY_COMPARE_WITH_TIMEOUT(client.socket.state(), QAbstractSocket::UnconnectedState, 10000);
    bystander.verifySawEverything();
}

// A client that sends pings as fast as it can and never reads its pongs:
// what the server holds for it stays bounded (pings go unanswered while
// 64 KiB of output waits), and the bystander loses nothing.
void tst_WsWire::pingFloodWithoutReadingStaysBounded()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    QTcpSocket flooder;
    // A small receive window, and Qt reads no more than 1 KiB for us: the
    // pongs back up into the server quickly.
    flooder.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    flooder.setReadBufferSize(1024);
    flooder.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(flooder.waitForConnected(5000));
    flooder.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    constexpr int Pings = 100000; // 12.7 MB of pongs if every one were answered
    const QByteArray ping = clientFrame(0x9, QByteArray(125, 'p'));
    QByteArray burst;
    for (int i = 0; i < 1000; ++i)
        burst += ping;
    for (int i = 0; i < Pings / 1000; ++i)
        flooder.write(burst);
    QTRY_COMPARE_WITH_TIMEOUT(flooder.bytesToWrite(), 0, 60000);
    // What the server still reads of them after that is parsed within this.
    QTest::qWait(1000);
    const qint64 buffered = server->statsJson().value(u"messages"_s).toObject().value(u"buffered_bytes"_s).toInteger();
    QVERIFY2(buffered < 256 * 1024, qPrintable(u"the server holds %1 bytes for a non-reader"_s.arg(buffered)));
    bystander.verifySawEverything();
}

QTEST_MAIN(tst_WsWire)
#include "tst_wswire.moc"
