// The server's own RFC 6455 layer: WsFrameParser on its own (fragments,
// control frames between them, every violation and its close code, any TCP
// split), WsHandshake's answers, and the same cases over real sockets
// against a running server while a bystander must keep getting every seq.
#include "Bystander.h"
#include "RawWebSocketClient.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "protocol/JsonKeys.h"
#include "ws/WsFrameParser.h"
#include "ws/WsHandshake.h"

#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

using Event = WsFrameParser::Event;

// A client frame: masked unless `masked` is false; FIN unless `fin` is false.
QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true, quint8 rsv = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const quint64 size = quint64(payload.size());
    const char maskBit = masked ? char(0x80) : char(0);
    if (size < 126) {
        out.append(char(maskBit | char(size)));
    } else if (size < 65536) {
        out.append(char(maskBit | 126));
        out.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((size >> shift) & 0xff));
    }
    const char key[4] = {'\x12', '\x34', '\x56', '\x78'};
    if (masked)
        out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(masked ? char(payload.at(i) ^ key[i % 4]) : payload.at(i));
    return out;
}

QByteArray closeBody(int code, const QByteArray &reason = {})
{
    QByteArray body;
    body.append(char(code >> 8)).append(char(code & 0xff));
    return body + reason;
}

struct Collected
{
    QList<Event> events;
    WsFrameParser::Sink sink()
    {
        return [this](Event &&event) {
            events.append(std::move(event));
            return true;
        };
    }
};

// Feeds `bytes` to a fresh parser in pieces of `chunk` bytes.
QList<Event> parse(const QByteArray &bytes, qsizetype chunk = 0, quint64 maxMessage = 65536)
{
    WsFrameParser parser(maxMessage);
    Collected collected;
    const WsFrameParser::Sink sink = collected.sink();
    if (chunk <= 0)
        chunk = bytes.size();
    for (qsizetype at = 0; at < bytes.size(); at += chunk)
        parser.feed(bytes.constData() + at, std::min(chunk, bytes.size() - at), sink);
    return collected.events;
}

} // namespace

class tst_WsProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fragmentsWithControlFramesBetween();
    void anySplitGivesTheSameEvents_data();
    void anySplitGivesTheSameEvents();
    void violations_data();
    void violations();
    void closeFrames_data();
    void closeFrames();
    void nothingAfterTheEnd();
    void sizeIsCheckedBeforeBuffering();
    void randomBytesStayBounded();
    void handshake_data();
    void handshake();
    void connectionTokenList();

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

void tst_WsProtocol::fragmentsWithControlFramesBetween()
{
    const QByteArray bytes = frame(0x1, "Hel", false) + frame(0x9, "p1") + frame(0x0, "lo ", false)
        + frame(0xA, "p2") + frame(0x0, "w\xc3\xb6rld") + frame(0x2, QByteArray("\x00\x01", 2), false)
        + frame(0x0, "\x02");
    const QList<Event> events = parse(bytes);
    QCOMPARE(events.size(), 4);
    QCOMPARE(events[0].kind, Event::Kind::Ping);
    QCOMPARE(events[0].payload, "p1");
    QCOMPARE(events[1].kind, Event::Kind::Pong);
    QCOMPARE(events[1].payload, "p2");
    QCOMPARE(events[2].kind, Event::Kind::Text);
    QCOMPARE(events[2].text, u"Hello wörld"_s);
    QCOMPARE(events[3].kind, Event::Kind::Binary);
    QCOMPARE(events[3].payload, QByteArray("\x00\x01\x02", 3));
}

void tst_WsProtocol::anySplitGivesTheSameEvents_data()
{
    QTest::addColumn<int>("chunk");
    for (int chunk : {1, 2, 3, 5, 7, 13, 64, 1000})
        QTest::addRow("%d", chunk) << chunk;
}

void tst_WsProtocol::anySplitGivesTheSameEvents()
{
    QFETCH(int, chunk);
    // 7-, 16- and 64-bit lengths, an empty frame, fragments, a ping.
    const QByteArray big(70000, 'b');
    const QByteArray medium(300, 'm');
    const QByteArray bytes = frame(0x1, "") + frame(0x1, medium) + frame(0x2, big) + frame(0x1, "a", false)
        + frame(0x9, "") + frame(0x0, "", false) + frame(0x0, "z") + frame(0x8, closeBody(1000, "bye"));
    const QList<Event> events = parse(bytes, chunk, 100000);
    QCOMPARE(events.size(), 6);
    QCOMPARE(events[0].text, QString());
    QCOMPARE(events[1].text, QString::fromLatin1(medium));
    QCOMPARE(events[2].payload, big);
    QCOMPARE(events[3].kind, Event::Kind::Ping);
    QCOMPARE(events[4].text, u"az"_s);
    QCOMPARE(events[5].kind, Event::Kind::Close);
    QCOMPARE(events[5].closeCode, 1000);
    QCOMPARE(events[5].reason, u"bye"_s);
}

void tst_WsProtocol::violations_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::newRow("unmasked") << frame(0x1, "hi", true, false) << 1002;
    QTest::newRow("rsv1 without an extension") << frame(0x1, "hi", true, true, 0x4) << 1002;
    QTest::newRow("rsv3") << frame(0x2, "hi", true, true, 0x1) << 1002;
    QTest::newRow("opcode 3") << frame(0x3, "hi") << 1002;
    QTest::newRow("opcode 11") << frame(0xB, "hi") << 1002;
    QTest::newRow("fragmented ping") << frame(0x9, "hi", false) << 1002;
    QTest::newRow("ping over 125 bytes") << frame(0x9, QByteArray(126, 'p')) << 1002;
    QTest::newRow("continuation first") << frame(0x0, "hi") << 1002;
    QTest::newRow("text inside a fragmented text") << frame(0x1, "a", false) + frame(0x1, "b") << 1002;
    QTest::newRow("oversized frame") << frame(0x1, QByteArray(101, 'x')) << 1009;
    QTest::newRow("oversized in fragments") << frame(0x1, QByteArray(60, 'x'), false) + frame(0x0, QByteArray(60, 'x'))
                                            << 1009;
    QByteArray endless = frame(0x1, "{", false);
    for (int i = 0; i < WsFrameParser::MaxFramesPerMessage; ++i)
        endless += frame(0x0, {}, false);
    QTest::newRow("message in too many frames") << endless << 1009;
    QTest::newRow("invalid UTF-8") << frame(0x1, "\xc3\x28") << 1007;
    QTest::newRow("UTF-16 surrogate in UTF-8") << frame(0x1, "\xed\xa0\x80") << 1007;
    QTest::newRow("invalid UTF-8 across fragments") << frame(0x1, "\xe2\x82", false) + frame(0x0, "x") << 1007;
    QByteArray topBit = frame(0x2, "");
    topBit[1] = char(0x80 | 127);
    topBit.insert(2, QByteArray("\x80\0\0\0\0\0\0\0", 8));
    QTest::newRow("64-bit length with its top bit") << topBit << 1002;
}

void tst_WsProtocol::violations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    for (const qsizetype chunk : {qsizetype(0), qsizetype(1)}) {
        const QList<Event> events = parse(bytes, chunk, 100);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last().kind, Event::Kind::Error);
        QCOMPARE(events.last().closeCode, code);
        QVERIFY(!events.last().reason.isEmpty());
    }
}

void tst_WsProtocol::closeFrames_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("code");
    QTest::newRow("empty") << QByteArray() << true << 1005;
    QTest::newRow("1000") << closeBody(1000) << true << 1000;
    QTest::newRow("1001 with reason") << closeBody(1001, "going") << true << 1001;
    QTest::newRow("4999") << closeBody(4999) << true << 4999;
    QTest::newRow("one byte") << QByteArray("\x03") << false << 1002;
    QTest::newRow("999") << closeBody(999) << false << 1002;
    QTest::newRow("1005 on the wire") << closeBody(1005) << false << 1002;
    QTest::newRow("1006 on the wire") << closeBody(1006) << false << 1002;
    QTest::newRow("2000") << closeBody(2000) << false << 1002;
    QTest::newRow("5000") << closeBody(5000) << false << 1002;
    QTest::newRow("reason not UTF-8") << closeBody(1000, "\xff") << false << 1007;
}

void tst_WsProtocol::closeFrames()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QFETCH(int, code);
    const QList<Event> events = parse(frame(0x8, body));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, valid ? Event::Kind::Close : Event::Kind::Error);
    QCOMPARE(events[0].closeCode, code);
}

void tst_WsProtocol::nothingAfterTheEnd()
{
    WsFrameParser parser;
    Collected collected;
    QByteArray bytes = frame(0x8, closeBody(1000)) + frame(0x1, "late");
    QVERIFY(!parser.feed(bytes.constData(), bytes.size(), collected.sink()));
    QVERIFY(parser.isFinished());
    QCOMPARE(collected.events.size(), 1);
    QCOMPARE(collected.events[0].kind, Event::Kind::Close);
    bytes = frame(0x1, "more");
    QVERIFY(!parser.feed(bytes.constData(), bytes.size(), collected.sink()));
    QCOMPARE(collected.events.size(), 1);
}

void tst_WsProtocol::sizeIsCheckedBeforeBuffering()
{
    // A header announcing 2^62 bytes is refused at once: nothing is buffered
    // for it, however much the peer then sends.
    QByteArray header = frame(0x2, "");
    header[1] = char(0x80 | 127);
    header.insert(2, QByteArray("\x40\0\0\0\0\0\0\0", 8));
    WsFrameParser parser(4096);
    Collected collected;
    QVERIFY(!parser.feed(header.constData(), header.size(), collected.sink()));
    QCOMPARE(collected.events.size(), 1);
    QCOMPARE(collected.events[0].closeCode, 1009);
    QCOMPARE(parser.bufferedBytes(), 0);
    // A partial message holds what was sent of it, no more.
    WsFrameParser slow(4096);
    const QByteArray part = frame(0x1, QByteArray(4000, 'x')).left(1000);
    QVERIFY(slow.feed(part.constData(), part.size(), collected.sink()));
    QVERIFY(slow.bufferedBytes() <= 1000);
}

void tst_WsProtocol::randomBytesStayBounded()
{
    // Garbage and mutated valid frames in random pieces: the parser never
    // holds more than a message, a control frame and a header, and once it
    // reported an error or a close it reports nothing more.
    QRandomGenerator random(12);
    const QByteArray valid = frame(0x1, "abc", false) + frame(0x9, "p") + frame(0x0, QByteArray(300, 'z'))
        + frame(0x2, QByteArray(70, 'b')) + frame(0x8, closeBody(1000));
    constexpr quint64 Max = 256;
    for (int round = 0; round < 3000; ++round) {
        QByteArray bytes = valid;
        if (round % 3 == 0) {
            bytes = QByteArray(int(random.bounded(400)), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(random.bounded(256));
        } else {
            for (int flips = int(random.bounded(1, 6)); flips > 0; --flips)
                bytes[qsizetype(random.bounded(int(bytes.size())))] = char(random.bounded(256));
        }
        WsFrameParser parser(Max);
        int afterEnd = 0;
        bool ended = false;
        const WsFrameParser::Sink sink = [&](Event &&event) {
            if (ended)
                ++afterEnd;
            ended = ended || event.kind == Event::Kind::Error || event.kind == Event::Kind::Close;
            return true;
        };
        for (qsizetype at = 0; at < bytes.size();) {
            const qsizetype piece = std::min<qsizetype>(random.bounded(1, 40), bytes.size() - at);
            parser.feed(bytes.constData() + at, piece, sink);
            QVERIFY(quint64(parser.bufferedBytes()) <= Max + 125 + 14);
            at += piece;
        }
        QCOMPARE(afterEnd, 0);
    }
}

void tst_WsProtocol::handshake_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("status");
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    QTest::newRow("good") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray("13") << key << 101;
    QTest::newRow("token list") << QByteArray("GET") << QByteArray("keep-alive, UPGRADE") << QByteArray("13") << key << 101;
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("Upgrade") << QByteArray("13") << key << 400;
    QTest::newRow("no upgrade token") << QByteArray("GET") << QByteArray("keep-alive") << QByteArray("13") << key << 400;
    QTest::newRow("upgrade as part of a word") << QByteArray("GET") << QByteArray("upgraded") << QByteArray("13") << key << 400;
    QTest::newRow("version 8") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray("8") << key << 426;
    QTest::newRow("no version") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray() << key << 426;
    QTest::newRow("no key") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray("13") << QByteArray() << 400;
    QTest::newRow("key of 15 bytes") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray("13")
                                     << QByteArray(15, 'k').toBase64() << 400;
    QTest::newRow("key not base64") << QByteArray("GET") << QByteArray("Upgrade") << QByteArray("13")
                                    << QByteArray("!!!!!!!!!!!!!!!!!!!!!!==") << 400;
}

void tst_WsProtocol::handshake()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, connection);
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, key);
    QFETCH(int, status);
    QHash<QByteArray, QByteArray> headers {{"upgrade", "websocket"}, {"connection", connection}, {"host", "x"}};
    if (!version.isEmpty())
        headers.insert("sec-websocket-version", version);
    if (!key.isEmpty())
        headers.insert("sec-websocket-key", key);
    const WsHandshake::Outcome outcome = WsHandshake::answer(method, headers, "QuantPush/test");
    QCOMPARE(outcome.status, status);
    QCOMPARE(outcome.accepted, status == 101);
    QVERIFY(outcome.response.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')));
    if (status == 101) {
        // RFC 6455 section 1.3's own example.
        QVERIFY(outcome.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(outcome.response.endsWith("\r\n\r\n"));
    } else {
        QVERIFY(!outcome.error.isEmpty());
        QVERIFY(outcome.response.contains(outcome.error));
        QCOMPARE(outcome.response.contains("\r\nSec-WebSocket-Version: 13\r\n"), status == 426);
    }
}

void tst_WsProtocol::connectionTokenList()
{
    QVERIFY(WsHandshake::hasToken("Upgrade", "upgrade"));
    QVERIFY(WsHandshake::hasToken("keep-alive,Upgrade", "upgrade"));
    QVERIFY(WsHandshake::hasToken(" close , upgrade ", "upgrade"));
    QVERIFY(!WsHandshake::hasToken("keep-alive", "upgrade"));
    QVERIFY(!WsHandshake::hasToken("", "upgrade"));
    QVERIFY(!WsHandshake::hasToken("up grade", "upgrade"));
}

// Over real sockets: a raw client completes the handshake and sends
// hand-made frames; the server closes it with the code, answers nothing else
// to it, and the bystander loses nothing.
void tst_WsProtocol::badFramesOverTheWire_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::newRow("unmasked") << frame(0x1, R"({"type":"ping"})", true, false) << 1002;
    QTest::newRow("rsv1") << frame(0x1, R"({"type":"ping"})", true, true, 0x4) << 1002;
    QTest::newRow("unknown opcode") << frame(0x5, "x") << 1002;
    QTest::newRow("oversized") << frame(0x1, QByteArray(5000, 'x')) << 1009;
    QTest::newRow("oversized announced only") << frame(0x1, QByteArray(70000, 'x')).left(14) << 1009;
    QTest::newRow("invalid UTF-8") << frame(0x1, "{\"type\":\"\xc3\x28\"}") << 1007;
    QTest::newRow("bad close code") << frame(0x8, closeBody(1005)) << 1002;
}

void tst_WsProtocol::badFramesOverTheWire()
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

void tst_WsProtocol::byteByByteOverTheWire()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    RawWebSocketClient slow(server->port());
    QTRY_VERIFY(slow.upgraded);
    QTRY_COMPARE(slow.texts.size(), 1);
    const QByteArray bytes = frame(0x1, R"({"id":"p1","type":"ping"})");
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

void tst_WsProtocol::fragmentedRequestWithPingBetween()
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
    client.write(frame(0x1, R"({"id":"f1",)", false) + frame(0x9, "are you there") + frame(0x0, R"("type":"ping"})"));
    QTRY_VERIFY(received.contains("\"f1\""));
    QVERIFY(received.startsWith(QByteArray("\x8a\x0d" "are you there")));
    bystander.verifySawEverything();
}

void tst_WsProtocol::headArrivingInPiecesOrWithFramesBehind_data()
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

void tst_WsProtocol::headArrivingInPiecesOrWithFramesBehind()
{
    QFETCH(int, firstPart);
    QFETCH(bool, controlPing);
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    const QByteArray head = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const QByteArray all = head + (controlPing ? frame(0x9, "\"early\"") : frame(0x1, R"({"id":"early","type":"ping"})"));
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

void tst_WsProtocol::closeOrErrorRightBehindTheHead_data()
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
        QTest::addRow("close, %s", how) << frame(0x8, closeBody(4000)) << 4000 << headCut;
        QTest::addRow("unmasked frame, %s", how) << frame(0x1, "x", true, false) << 1002 << headCut;
    }
}

void tst_WsProtocol::closeOrErrorRightBehindTheHead()
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

void tst_WsProtocol::badHandshakeOverTheWire_data()
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

void tst_WsProtocol::badHandshakeOverTheWire()
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

void tst_WsProtocol::closeHandshakeEchoesTheCode()
{
    auto server = startServer(testConfig());
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());
    RawWebSocketClient client(server->port());
    QTRY_VERIFY(client.upgraded);
    QTRY_COMPARE(client.texts.size(), 1);
    client.socket.write(frame(0x8, closeBody(4321, "done here")));
    QTRY_COMPARE(client.closeCode, 4321);
    // The server closes the TCP connection after the echo.
    QTRY_COMPARE_WITH_TIMEOUT(client.socket.state(), QAbstractSocket::UnconnectedState, 10000);
    bystander.verifySawEverything();
}

// A client that sends pings as fast as it can and never reads its pongs:
// what the server holds for it stays bounded (pings go unanswered while
// 64 KiB of output waits), and the bystander loses nothing.
void tst_WsProtocol::pingFloodWithoutReadingStaysBounded()
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
    const QByteArray ping = frame(0x9, QByteArray(125, 'p'));
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

QTEST_MAIN(tst_WsProtocol)
#include "tst_wsprotocol.moc"
