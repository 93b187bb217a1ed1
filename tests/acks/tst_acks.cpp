// Acknowledged channels: a subscriber that never acks gets each message
// again max_retries times, marked "redelivered": true and in seq order; one
// that acks gets nothing twice.

#include "DeliveryKit.h"

#include "Clock.h"
#include "WebSocketManager.h"
#include "client/PushClient.h"
#include "protocol/Requests.h"

#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace QuantPush;
using namespace DeliveryKit;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int AckTimeoutMs = 100;
constexpr int MaxRetries = 3;

// A plain QWebSocket that subscribes and records every push, acking nothing.
class SilentSubscriber : public QObject
{
public:
    SilentSubscriber()
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = frame.value(u"type"_s).toString();
            if (type == u"welcome"_s)
                sessionId = frame.value(u"data"_s).toObject().value(u"session_id"_s).toString();
            else if (type == u"subscribed"_s)
                ++subscribed;
            else if (type == u"batch"_s) {
                for (const QJsonValue &item : frame.value(u"data"_s).toArray())
                    pushes.append(item.toObject());
            } else if (frame.contains(u"seq"_s))
                pushes.append(frame);
        });
    }
    void open(quint16 port) { m_socket.open(wsUrl(port)); }
    void subscribe(const QString &channel)
    {
        m_socket.sendTextMessage(u"{\"type\":\"subscribe\",\"data\":{\"type\":\"%1\"}}"_s.arg(channel));
    }

    QString sessionId;
    int subscribed = 0;
    QList<QJsonObject> pushes;

private:
    QWebSocket m_socket;
};

} // namespace

class TestAcks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redeliveredUntilRetriesRunOut_data();
    void redeliveredUntilRetriesRunOut();
};

void TestAcks::redeliveredUntilRetriesRunOut_data()
{
    QTest::addColumn<BroadcastStrategy>("strategy");
    QTest::newRow("immediate") << BroadcastStrategy::Immediate;
    QTest::newRow("batched") << BroadcastStrategy::Batched;
}

void TestAcks::redeliveredUntilRetriesRunOut()
{
    QFETCH(BroadcastStrategy, strategy);

    ServerConfig config = testConfig();
    ChannelConfig &orders = config.channel(SubscriptionType::OrderUpdates);
    orders.ackTimeoutMs = AckTimeoutMs;
    orders.maxRetries = MaxRetries;
    orders.strategy = strategy;
    QString error;
    FakeClock clock; // ack deadlines pass when the test advances it
    const auto server = startServer(config, &error, &clock);
    QVERIFY2(server, qPrintable(error));

    SilentSubscriber silent;
    silent.open(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(!silent.sessionId.isEmpty(), 10000);
    silent.subscribe(u"order_updates"_s);
    QTRY_COMPARE_WITH_TIMEOUT(silent.subscribed, 1, 10000);

    PushClient acker; // auto-ack is on by default
    acker.setUrl(wsUrl(server->port()));
    ClientRecorder record(&acker);
    acker.subscribe(u"order_updates"_s);
    acker.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), 1, 10000);

    constexpr int Messages = 5;
    for (int n = 1; n <= Messages; ++n)
        server->broadcastOrderUpdate(payload(n));

    // First deliveries (a batch goes when its interval has passed), and the
    // acking client's acks are in before any deadline passes.
    clock.advance(config.channel(SubscriptionType::OrderUpdates).batchIntervalMs);
    QTRY_COMPARE_WITH_TIMEOUT(silent.pushes.size(), Messages, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(record.seqs.value(u"order_updates"_s), range(1, Messages), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(connectionEntry(*server, acker.sessionId()).value(u"pending_acks"_s).toInt(), 0, 10000);
    QCOMPARE(connectionEntry(*server, silent.sessionId).value(u"pending_acks"_s).toInt(), Messages);

    // Every retry round, then the server gives up on the silent one: two
    // deadlines more than the retries allow bring nothing more.
    for (int round = 0; round < MaxRetries + 2; ++round)
        clock.advance(AckTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(silent.pushes.size(), Messages * (1 + MaxRetries), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(connectionEntry(*server, silent.sessionId).value(u"pending_acks"_s).toInt(), 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(channelStats(*server, u"order_updates"_s).value(u"ack_expired"_s).toInt(), Messages,
                              15000);

    QList<qint64> originals;
    QList<qint64> redelivered;
    for (const QJsonObject &push : std::as_const(silent.pushes)) {
        QCOMPARE(push.value(u"channel"_s).toString(), u"order_updates"_s);
        const qint64 seq = push.value(u"seq"_s).toInteger();
        const bool again = push.value(u"redelivered"_s).toBool(false);
        QCOMPARE(push.contains(u"redelivered"_s), again); // absent on a first delivery
        (again ? redelivered : originals).append(seq);
        if (again)
            QCOMPARE(originals.size(), Messages); // no retry overtakes a first delivery
    }
    QCOMPARE(originals, range(1, Messages));
    // Round after round, each in seq order.
    QList<qint64> expected;
    for (int round = 0; round < MaxRetries; ++round)
        expected += range(1, Messages);
    QCOMPARE(redelivered, expected);

    // The acking client: each once, never redelivered, and the server's only
    // retries were the silent client's.
    QTRY_COMPARE_WITH_TIMEOUT(record.seqs.value(u"order_updates"_s), range(1, Messages), 10000);
    QCOMPARE(record.redelivered, 0);
    QCOMPARE(record.duplicates, 0);
    QCOMPARE(connectionEntry(*server, acker.sessionId()).value(u"pending_acks"_s).toInt(), 0);
    QCOMPARE(channelStats(*server, u"order_updates"_s).value(u"redelivered"_s).toInt(), Messages * MaxRetries);
}

QTEST_GUILESS_MAIN(TestAcks)
#include "tst_acks.moc"
