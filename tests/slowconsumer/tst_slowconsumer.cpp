// Slow consumers: a client that stops reading while the server publishes at
// a high rate costs the server a bounded amount of memory, and is told what
// it missed (a `gap` notice) or closed with 4008, per the channel's
// slow_consumer policy. A normal client beside it loses nothing. The server
// runs on a FakeClock that moves on 1 ms per publishing tick: ack deadlines
// (and so retries meeting the full queue) come with the traffic, not with
// real time.

#include "DeliveryKit.h"

#include "Clock.h"
#include "WebSocketManager.h"
#include "client/PushClient.h"

#include <QtTest/QTest>

using namespace QuantPush;
using namespace DeliveryKit;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int QueueSize = 64;                 // websocket.message_queue_size
constexpr qint64 MaxPendingBytes = 256 * 1024; // limits.max_pending_bytes
constexpr qint64 ExtraBytes = 6 << 20;       // published once the bound is reached
constexpr int AckTimeoutMs = 100;             // acknowledged channel: retries while the queue is full

enum class Reader { ReadsLater, Trickles, NeverReadsAgain };

// Walks what the slow client read: push frames and gap notices must cover
// 1..last exactly once, in order. Returns the number of gap notices.
int checkTiling(const QList<QJsonObject> &frames, qint64 last, qint64 *covered)
{
    qint64 next = 1;
    int gaps = 0;
    for (const QJsonObject &frame : frames) {
        const QString type = frame.value(u"type"_s).toString();
        if (type == u"gap"_s) {
            const QJsonObject range = frame.value(u"data"_s).toObject();
            if (range.value(u"from"_s).toInteger() != next || range.value(u"to"_s).toInteger() < next)
                return -1;
            next = range.value(u"to"_s).toInteger() + 1;
            ++gaps;
        } else if (frame.value(u"redelivered"_s).toBool()) {
            if (frame.value(u"seq"_s).toInteger() >= next) // a retry never comes first
                return -1;
        } else if (frame.contains(u"seq"_s)) {
            if (frame.value(u"seq"_s).toInteger() != next)
                return -1;
            ++next;
        }
    }
    *covered = next - 1;
    return last < 0 || next - 1 == last ? gaps : -1;
}

// A compact picture of what a client read, for failure messages:
// "1-260 r1-60 261-400 gap(401-900) ...", r for redeliveries.
QString summary(const QList<QJsonObject> &frames)
{
    QStringList parts;
    QString runKind;
    qint64 runStart = -1;
    qint64 runEnd = -1;
    const auto closeRun = [&] {
        if (runStart >= 0)
            parts.append(runKind
                         + (runStart == runEnd ? QString::number(runStart) : u"%1-%2"_s.arg(runStart).arg(runEnd)));
        runStart = runEnd = -1;
    };
    for (const QJsonObject &frame : frames) {
        const QString type = frame.value(u"type"_s).toString();
        const qint64 seq = frame.value(u"seq"_s).toInteger(-1);
        if (type == u"gap"_s) {
            closeRun();
            const QJsonObject range = frame.value(u"data"_s).toObject();
            parts.append(u"gap(%1-%2)"_s.arg(range.value(u"from"_s).toInteger()).arg(range.value(u"to"_s).toInteger()));
            continue;
        }
        if (seq < 0)
            continue;
        const QString kind = frame.value(u"redelivered"_s).toBool() ? u"r"_s : QString();
        if (runStart >= 0 && kind == runKind && seq == runEnd + 1) {
            runEnd = seq;
        } else {
            closeRun();
            runKind = kind;
            runStart = runEnd = seq;
        }
    }
    closeRun();
    return parts.join(u' ').right(3000);
}

} // namespace

class TestSlowConsumer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedAndReported_data();
    void boundedAndReported();
};

void TestSlowConsumer::boundedAndReported_data()
{
    QTest::addColumn<SlowConsumerPolicy>("policy");
    QTest::addColumn<Reader>("reader");
    QTest::addColumn<int>("padding"); // bytes of filler per message
    QTest::addColumn<SubscriptionType>("channel");
    const auto status = SubscriptionType::StrategyStatus;
    QTest::newRow("gap") << SlowConsumerPolicy::Gap << Reader::ReadsLater << 1000 << status;
    // Big frames and a reader that takes a little now and then: the queue
    // frees one slot at a time while a gap notice is owed.
    QTest::newRow("gap, trickle reader") << SlowConsumerPolicy::Gap << Reader::Trickles << 60000 << status;
    // Retries of unacked messages meet the full queue too; they must not
    // turn into gap notices over seqs that were delivered.
    QTest::newRow("gap, acked channel, never acks")
        << SlowConsumerPolicy::Gap << Reader::ReadsLater << 1000 << SubscriptionType::OrderUpdates;
    QTest::newRow("close, reads later") << SlowConsumerPolicy::Close << Reader::ReadsLater << 1000 << status;
    QTest::newRow("close, never reads again")
        << SlowConsumerPolicy::Close << Reader::NeverReadsAgain << 1000 << status;
}

void TestSlowConsumer::boundedAndReported()
{
    QFETCH(SlowConsumerPolicy, policy);
    QFETCH(Reader, reader);
    QFETCH(int, padding);
    QFETCH(SubscriptionType, channel);
    const SubscriptionType Channel = channel;
    const int maxFrameBytes = padding + 512; // one push frame, envelope included
    const int extraMessages = int(ExtraBytes / maxFrameBytes);

    ServerConfig config = testConfig();
    config.websocket.messageQueueSize = QueueSize;
    config.limits.maxPendingBytes = MaxPendingBytes;
    config.channel(Channel).slowConsumer = policy;
    config.channel(Channel).historySize = 64;
    config.channel(Channel).ackTimeoutMs = AckTimeoutMs;
    QString error;
    FakeClock clock;
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));

    PushClient normal;
    normal.setUrl(wsUrl(server->port()));
    ClientRecorder record(&normal);
    normal.subscribe(wireName(Channel));
    normal.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), 1, 10000);

    RawWebSocket slow;
    slow.open(server->port());
    QTRY_COMPARE_WITH_TIMEOUT(slow.messagesOfType(u"welcome"_s).size(), 1, 10000);
    const QString slowId =
        slow.messagesOfType(u"welcome"_s).first().value(u"data"_s).toObject().value(u"session_id"_s).toString();
    slow.sendJson(QJsonObject {{u"type"_s, u"subscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, wireName(Channel)}}}});
    QTRY_COMPARE_WITH_TIMEOUT(slow.messagesOfType(u"subscribed"_s).size(), 1, 10000);
    slow.pauseReading();

    // Publish a burst every millisecond and look at the slow session's
    // footprint right after each one.
    int maxQueued = 0;
    qint64 maxBuffered = 0;
    bool slowClosed = false;
    Publisher publisher(server.get(), {Channel}, 1, padding > 10000 ? 1 : 20, padding);
    QTimer ticker;
    ticker.setInterval(1);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (reader == Reader::Trickles)
            slow.readSome(padding / 2);
        publisher.publishOnce();
        clock.advance(1);
        const QJsonObject entry = connectionEntry(*server, slowId);
        if (entry.isEmpty()) {
            slowClosed = true;
            return;
        }
        maxQueued = std::max(maxQueued, entry.value(u"queue_depth"_s).toInt());
        maxBuffered = std::max(maxBuffered, entry.value(u"buffered_bytes"_s).toInteger());
    });
    ticker.start();

    const auto slowConsumerCloses = [&] { return server->statsJson().value(u"slow_consumer_closes"_s).toInt(); };
    qint64 covered = 0;
    if (policy == SlowConsumerPolicy::Gap) {
        // Full queue: from here on everything for the slow client is dropped.
        QTRY_VERIFY_WITH_TIMEOUT(maxQueued >= QueueSize, 30000);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(slowConsumerCloses(), 1, 30000);
        if (reader == Reader::ReadsLater) {
            slow.resumeReading();
            QTRY_COMPARE_WITH_TIMEOUT(slow.closeCode(), 4008, 10000);
            // What came before the close is contiguous: nothing skipped silently.
            QCOMPARE(checkTiling(slow.messages(), -1, &covered), 0);
            QVERIFY(covered > 0);
        }
    }
    // Keep going: ~6 MB more that an unbounded server would hold for it.
    const qint64 rssAtBound = residentBytes();
    const int publishedAtBound = publisher.count();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.count() >= publishedAtBound + extraMessages, 30000);
    ticker.stop();
    const qint64 rssGrowth = residentBytes() - rssAtBound;
    const qint64 last = publisher.last(Channel);
    qInfo() << "published" << last << "messages;" << publishedAtBound << "when the bound was reached; slow session"
            << "max" << maxQueued << "frames queued," << maxBuffered << "bytes buffered; RSS grew by"
            << rssGrowth / 1024 << "KiB";

    QVERIFY(maxQueued <= QueueSize);
    QVERIFY(maxBuffered <= MaxPendingBytes + maxFrameBytes);
    // Small frames: an unbounded server would have grown by ExtraBytes (as
    // UTF-16, twice that); this one holds the same few hundred KiB as before.
    if (padding < 10000)
        QVERIFY2(rssGrowth < 4 * 1024 * 1024, qPrintable(u"RSS grew by %1 KiB"_s.arg(rssGrowth / 1024)));

    // The normal client: everything, in order, no gap.
    QTRY_COMPARE_WITH_TIMEOUT(normal.lastSeq(wireName(Channel)), last, 30000);
    QCOMPARE(record.seqs.value(wireName(Channel)), range(1, last));
    QCOMPARE(record.gapsReported, QStringList());
    QCOMPARE(record.gapsDetected, QStringList());
    QCOMPARE(record.closeCodes, QList<int>());

    if (policy == SlowConsumerPolicy::Gap) {
        QVERIFY(!slowClosed);
        slow.resumeReading();
        // What it reads covers 1..last: pushes, and gap notices for the rest.
        QTRY_VERIFY2_WITH_TIMEOUT(checkTiling(slow.messages(), last, &covered) > 0,
                                  qPrintable(summary(slow.messages())), 30000);
        QCOMPARE(covered, last);
        QVERIFY(channelStats(*server, wireName(Channel)).value(u"gaps"_s).toInt() >= 1);
        // On the acknowledged channel the extra traffic spans more than an
        // ack deadline of server time: retries were due while the queue was full.
        if (Channel == SubscriptionType::OrderUpdates)
            QVERIFY(channelStats(*server, wireName(Channel)).value(u"redelivered"_s).toInt() >= 1);
        QVERIFY(!slow.isDisconnected());
        QCOMPARE(slow.closeCode(), -1);
        return;
    }
    QVERIFY(covered < last);
    // Either way the server lets go of the session, even when the peer never
    // reads the close frame.
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionsJson().size(), 1, 15000);
}

QTEST_GUILESS_MAIN(TestSlowConsumer)
#include "tst_slowconsumer.moc"
