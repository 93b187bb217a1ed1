// The server's own RFC 6455 layer on its own: WsFrameParser (fragments,
// control frames between them, every violation and its close code, any TCP
// split) and WsHandshake's answers. The same cases over real sockets against
// a running server: tests/wswire.
#include "ClientFrame.h"
#include "ws/WsFrameParser.h"
#include "ws/WsHandshake.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

using Event = WsFrameParser::Event;

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

};

void tst_WsProtocol::fragmentsWithControlFramesBetween()
{
    const QByteArray bytes = clientFrame(0x1, "Hel", false) + clientFrame(0x9, "p1") + clientFrame(0x0, "lo ", false)
        + clientFrame(0xA, "p2") + clientFrame(0x0, "w\xc3\xb6rld") + clientFrame(0x2, QByteArray("\x00\x01", 2), false)
        + clientFrame(0x0, "\x02");
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
    const QByteArray bytes = clientFrame(0x1, "") + clientFrame(0x1, medium) + clientFrame(0x2, big) + clientFrame(0x1, "a", false)
        + clientFrame(0x9, "") + clientFrame(0x0, "", false) + clientFrame(0x0, "z") + clientFrame(0x8, closeBody(1000, "bye"));
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
    QTest::newRow("unmasked") << clientFrame(0x1, "hi", true, false) << 1002;
    QTest::newRow("rsv1 without an extension") << clientFrame(0x1, "hi", true, true, 0x4) << 1002;
    QTest::newRow("rsv3") << clientFrame(0x2, "hi", true, true, 0x1) << 1002;
    QTest::newRow("opcode 3") << clientFrame(0x3, "hi") << 1002;
    QTest::newRow("opcode 11") << clientFrame(0xB, "hi") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x9, "hi", false) << 1002;
    QTest::newRow("ping over 125 bytes") << clientFrame(0x9, QByteArray(126, 'p')) << 1002;
    QTest::newRow("continuation first") << clientFrame(0x0, "hi") << 1002;
    QTest::newRow("text inside a fragmented text") << clientFrame(0x1, "a", false) + clientFrame(0x1, "b") << 1002;
    QTest::newRow("oversized frame") << clientFrame(0x1, QByteArray(101, 'x')) << 1009;
    QTest::newRow("oversized in fragments") << clientFrame(0x1, QByteArray(60, 'x'), false) + clientFrame(0x0, QByteArray(60, 'x'))
                                            << 1009;
    QByteArray endless = clientFrame(0x1, "{", false);
    for (int i = 0; i < WsFrameParser::MaxFramesPerMessage; ++i)
        endless += clientFrame(0x0, {}, false);
    QTest::newRow("message in too many frames") << endless << 1009;
    QTest::newRow("invalid UTF-8") << clientFrame(0x1, "\xc3\x28") << 1007;
    QTest::newRow("UTF-16 surrogate in UTF-8") << clientFrame(0x1, "\xed\xa0\x80") << 1007;
    QTest::newRow("invalid UTF-8 across fragments") << clientFrame(0x1, "\xe2\x82", false) + clientFrame(0x0, "x") << 1007;
    QByteArray topBit = clientFrame(0x2, "");
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
    const QList<Event> events = parse(clientFrame(0x8, body));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, valid ? Event::Kind::Close : Event::Kind::Error);
    QCOMPARE(events[0].closeCode, code);
}

void tst_WsProtocol::nothingAfterTheEnd()
{
    WsFrameParser parser;
    Collected collected;
    QByteArray bytes = clientFrame(0x8, closeBody(1000)) + clientFrame(0x1, "late");
    QVERIFY(!parser.feed(bytes.constData(), bytes.size(), collected.sink()));
    QVERIFY(parser.isFinished());
    QCOMPARE(collected.events.size(), 1);
    QCOMPARE(collected.events[0].kind, Event::Kind::Close);
    bytes = clientFrame(0x1, "more");
    QVERIFY(!parser.feed(bytes.constData(), bytes.size(), collected.sink()));
    QCOMPARE(collected.events.size(), 1);
}

void tst_WsProtocol::sizeIsCheckedBeforeBuffering()
{
    // A header announcing 2^62 bytes is refused at once: nothing is buffered
    // for it, however much the peer then sends.
    QByteArray header = clientFrame(0x2, "");
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
    const QByteArray part = clientFrame(0x1, QByteArray(4000, 'x')).left(1000);
    QVERIFY(slow.feed(part.constData(), part.size(), collected.sink()));
    QVERIFY(slow.bufferedBytes() <= 1000);
}

void tst_WsProtocol::randomBytesStayBounded()
{
    // Garbage and mutated valid frames in random pieces: the parser never
    // holds more than a message, a control frame and a header, and once it
    // reported an error or a close it reports nothing more.
    QRandomGenerator random(12);
    const QByteArray valid = clientFrame(0x1, "abc", false) + clientFrame(0x9, "p") + clientFrame(0x0, QByteArray(300, 'z'))
        + clientFrame(0x2, QByteArray(70, 'b')) + clientFrame(0x8, closeBody(1000));
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

QTEST_MAIN(tst_WsProtocol)
#include "tst_wsprotocol.moc"
