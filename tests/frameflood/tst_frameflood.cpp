// Frames that are not requests, from a hostile client, against a running
// server (review, session 26): WebSocket pings count against the inbound rate
// limit like requests (100,000 pings were all answered before, 180,000/s from
// two connections took half a core), and one message may come in at most
// WsFrameParser::MaxFramesPerMessage frames (375 million empty continuation
// frames on a message that never ended were all read). Unsolicited pongs
// count too (session 27: 2 million a second held a core with no limit).
// Each time a bystander on the demo feed must keep getting every seq.
#include "Bystander.h"
#include "ClientFrame.h"
#include "RawWebSocketClient.h"
#include "TestServer.h"
#include "ws/WsFrameParser.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int WaitMs = 20000;

ServerConfig limitedConfig()
{
    ServerConfig config = testConfig();
    config.limits.inboundMessagesPerSec = 10;
    config.limits.inboundBurst = 20;
    config.limits.rateLimitStrikes = 5;
    return config;
}

// The same frame without FIN: a fragment with more to follow.
QByteArray fragment(quint8 opcode, const QByteArray &payload)
{
    QByteArray bytes = maskedClientFrame(opcode, payload, 0x1234abcd);
    bytes[0] = char(bytes.at(0) & 0x7f);
    return bytes;
}

int errorsWithCode(const RawWebSocketClient &client, const QString &code)
{
    int count = 0;
    for (const QString &text : client.texts) {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        if (message.value(u"type"_s) == u"error"_s
            && message.value(u"data"_s).toObject().value(u"code"_s).toString() == code)
            ++count;
    }
    return count;
}

} // namespace

class tst_FrameFlood : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void controlFramesCountAgainstTheRateLimit_data();
    void controlFramesCountAgainstTheRateLimit();
    void pingsWithinTheRateAreAnswered();
    void pongsWithinTheRateAreAccepted();
    void endlessFragmentsAreClosed();
};

void tst_FrameFlood::controlFramesCountAgainstTheRateLimit_data()
{
    QTest::addColumn<quint8>("opcode");
    QTest::addColumn<int>("payloadBytes"); // 0: the frame's number
    QTest::newRow("pings") << quint8(0x9) << 0;
    QTest::newRow("unsolicited pongs") << quint8(0xA) << 125;
}

void tst_FrameFlood::controlFramesCountAgainstTheRateLimit()
{
    QFETCH(quint8, opcode);
    QFETCH(int, payloadBytes);
    const ServerConfig config = limitedConfig();
    auto server = startServer(config);
    QVERIFY(server);
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());

    RawWebSocketClient flooder(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(flooder.upgraded, WaitMs);
    QByteArray frames;
    for (int i = 0; i < 500; ++i)
        frames += maskedClientFrame(opcode, payloadBytes > 0 ? QByteArray(payloadBytes, 'p') : QByteArray::number(i),
                                    quint32(i));
    flooder.socket.write(frames);

    // The burst is taken (pings answered), then rate_limited errors, then 4029.
    QTRY_COMPARE_WITH_TIMEOUT(flooder.closeCode, 4029, WaitMs);
    if (opcode == 0x9)
        QVERIFY2(flooder.pongs >= 1 && flooder.pongs <= config.limits.inboundBurst + 2,
                 qPrintable(u"%1 pongs"_s.arg(flooder.pongs)));
    QVERIFY(errorsWithCode(flooder, u"rate_limited"_s) >= 1);
    bystander.verifySawEverything();
}

void tst_FrameFlood::pingsWithinTheRateAreAnswered()
{
    auto server = startServer(limitedConfig());
    QVERIFY(server);
    RawWebSocketClient client(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(client.upgraded, WaitMs);
    for (int i = 0; i < 5; ++i)
        client.socket.write(maskedClientFrame(0x9, "hello", quint32(i)));
    QTRY_COMPARE_WITH_TIMEOUT(client.pongs, 5, WaitMs);
    QCOMPARE(errorsWithCode(client, u"rate_limited"_s), 0);
    QCOMPARE(client.closeCode, -1);
}

void tst_FrameFlood::pongsWithinTheRateAreAccepted()
{
    // A client answering the server's heartbeat is far inside the limit.
    auto server = startServer(limitedConfig());
    QVERIFY(server);
    RawWebSocketClient polite(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(polite.upgraded, WaitMs);
    for (int i = 0; i < 5; ++i)
        polite.socket.write(maskedClientFrame(0xA, "beat", quint32(i)));
    QTest::qWait(200);
    QCOMPARE(errorsWithCode(polite, u"rate_limited"_s), 0);
    QCOMPARE(polite.closeCode, -1);
}

void tst_FrameFlood::endlessFragmentsAreClosed()
{
    auto server = startServer(testConfig());
    QVERIFY(server);
    Bystander bystander(server.get());
    QVERIFY(bystander.isReady());

    RawWebSocketClient flooder(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(flooder.upgraded, WaitMs);
    QByteArray frames = fragment(0x1, "{");
    const QByteArray empty = fragment(0x0, {});
    for (int i = 0; i < WsFrameParser::MaxFramesPerMessage + 10; ++i)
        frames += empty;
    flooder.socket.write(frames);
    QTRY_COMPARE_WITH_TIMEOUT(flooder.closeCode, 1009, WaitMs);
    QVERIFY2(flooder.closeReason.contains(u"frames"_s), qPrintable(flooder.closeReason));

    // A message in fewer frames than the cap is read as before.
    RawWebSocketClient client(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(client.upgraded, WaitMs);
    QByteArray request = fragment(0x1, R"({"type":"ping",)");
    for (int i = 0; i < 100; ++i)
        request += fragment(0x0, {});
    request += maskedClientFrame(0x0, R"("id":"f1"})", 7);
    client.socket.write(request);
    QTRY_VERIFY_WITH_TIMEOUT(client.texts.join(u'\n').contains(u"\"pong\""_s), WaitMs);
    QCOMPARE(client.closeCode, -1);
    bystander.verifySawEverything();
}

QTEST_MAIN(tst_FrameFlood)
#include "tst_frameflood.moc"
