// PushClient against a scripted fake server (QWebSocketServer on port 0):
// handshake order, duplicates, gaps, acks, requests and replies, ping.
// Reconnects, close codes and resume are in tests/pushclient_recovery.

#include "FakeServer.h"

#include "client/ChannelSequence.h"
#include "client/PushClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace QuantPush;
using namespace QuantPush::PushClientTesting;
using namespace Qt::StringLiterals;

class tst_PushClient : public QObject
{
    Q_OBJECT

private slots:
    void channelSequenceHoles();
    void handshakeOrder();
    void noCredentialsConnectsOnWelcome();
    void batchUnpacking();
    void duplicatesDropped();
    void redeliveryFillsGap();
    void gapDetection_data();
    void gapDetection();
    void gapBeforeFirstMessage();
    void serverGapFrame();
    void acks_data();
    void acks();
    void requestsAndReplies();
    void subscribeErrorForgetsChannel();
    void pingMeasuresLatency();
};

void tst_PushClient::channelSequenceHoles()
{
    ChannelSequence sequence;
    QVERIFY(!sequence.accept(1).duplicate);
    const ChannelSequence::Outcome jump = sequence.accept(4); // 2, 3 missing
    QCOMPARE(jump.gapExpected, 2);
    QCOMPARE(sequence.holeRanges(), 1);
    QVERIFY(!sequence.accept(3).duplicate); // late (priority reorder): delivered once
    QVERIFY(sequence.accept(3).duplicate);
    QVERIFY(!sequence.accept(2).duplicate);
    QCOMPARE(sequence.holeRanges(), 0);
    QVERIFY(sequence.accept(4).duplicate);
    QCOMPARE(sequence.last(), 4);

    sequence.accept(10); // holes 5..9
    QVERIFY(!sequence.accept(7).duplicate); // splits into 5..6 and 8..9
    QCOMPARE(sequence.holeRanges(), 2);
    QVERIFY(!sequence.accept(5).duplicate);
    QVERIFY(!sequence.accept(9).duplicate);
    QVERIFY(sequence.accept(7).duplicate);

    for (qint64 seq = 12; seq < 2000; seq += 2)
        sequence.accept(seq); // many holes: bounded memory
    QVERIFY(sequence.holeRanges() <= 256);
}

void tst_PushClient::handshakeOrder()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    QSignalSpy states(&client, &PushClient::stateChanged);
    QSignalSpy welcome(&client, &PushClient::welcomeReceived);
    QSignalSpy authenticated(&client, &PushClient::authenticated);
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s, u"market_data"_s});

    QCOMPARE(server.typesOn(1).mid(0, 3), (QStringList{u"auth"_s, u"subscribe"_s, u"subscribe"_s}));
    QVERIFY(!server.subscribeBeforeAuth);
    QCOMPARE(server.frames(u"auth"_s).first().value(u"data"_s).toObject().value(u"token"_s).toString(), u"good"_s);
    QCOMPARE(welcome.count(), 1);
    QCOMPARE(welcome.first().first().toJsonObject().value(u"protocol"_s).toInt(), 1);
    QCOMPARE(authenticated.count(), 1);
    QCOMPARE(authenticated.first(), (QList<QVariant>{u"alice"_s, u"trader"_s, u"sess-auth"_s}));
    QCOMPARE(client.user(), u"alice"_s);
    QCOMPARE(client.role(), u"trader"_s);
    QCOMPARE(client.sessionId(), u"sess-auth"_s);
    QCOMPARE(statesOf(states), (QList<PushClient::State>{PushClient::State::Connecting,
                                                         PushClient::State::Authenticating,
                                                         PushClient::State::Connected}));
    // A fresh subscription carries no "since".
    for (const QJsonObject &subscribe : server.frames(u"subscribe"_s))
        QVERIFY(!subscribe.value(u"data"_s).toObject().contains(u"since"_s));
}

void tst_PushClient::noCredentialsConnectsOnWelcome()
{
    FakeServer server;
    server.validToken.clear(); // auth not required
    PushClient client;
    QSignalSpy welcome(&client, &PushClient::welcomeReceived);
    CONNECT_OR_RETURN(client, server, {u"system_monitor"_s});
    QCOMPARE(server.frames(u"auth"_s).size(), 0);
    QCOMPARE(client.sessionId(), u"sess-1"_s);
    QCOMPARE(welcome.count(), 1);
}

void tst_PushClient::batchUnpacking()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"market_data"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy duplicates(&client, &PushClient::duplicateDropped);

    const auto batch = [](const QList<qint64> &seqs) {
        QJsonArray items;
        for (qint64 seq : seqs)
            items.append(pushFrame(u"market_data"_s, seq));
        return QJsonObject{{u"type"_s, u"batch"_s}, {u"channel"_s, u"market_data"_s}, {u"data"_s, items}};
    };
    server.send(batch({1, 2, 3}));
    QTRY_COMPARE(messages.count(), 3);
    QCOMPARE(seqsOf(messages, 2), (QList<qint64>{1, 2, 3}));
    const QList<QVariant> first = messages.first();
    QCOMPARE(first.at(0).toString(), u"market_data"_s);
    QCOMPARE(first.at(1).toString(), u"market_data"_s);
    QCOMPARE(first.at(3).toLongLong(), 1700000000000001LL);
    QCOMPARE(first.at(4).toJsonObject().value(u"n"_s).toInt(), 1);
    QCOMPARE(first.at(5).toBool(), false);

    server.send(batch({3, 4}));
    QTRY_COMPARE(messages.count(), 4);
    QCOMPARE(messages.last().at(2).toLongLong(), 4);
    QCOMPARE(duplicates.count(), 1);
    QCOMPARE(client.lastSeq(u"market_data"_s), 4);
}

void tst_PushClient::duplicatesDropped()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"strategy_status"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy duplicates(&client, &PushClient::duplicateDropped);
    QSignalSpy gaps(&client, &PushClient::gapDetected);

    for (qint64 seq : {1, 2, 2, 1, 3})
        server.send(pushFrame(u"strategy_status"_s, seq));
    QTRY_COMPARE(messages.count(), 3);
    QCOMPARE(seqsOf(messages, 2), (QList<qint64>{1, 2, 3}));
    QCOMPARE(duplicates.count(), 2);
    QCOMPARE(seqsOf(duplicates, 1), (QList<qint64>{2, 1}));
    QCOMPARE(duplicates.first().at(0).toString(), u"strategy_status"_s);
    QCOMPARE(gaps.count(), 0);
}

void tst_PushClient::redeliveryFillsGap()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy duplicates(&client, &PushClient::duplicateDropped);
    QSignalSpy gaps(&client, &PushClient::gapDetected);

    server.send(pushFrame(u"order_updates"_s, 1));
    server.send(pushFrame(u"order_updates"_s, 3));
    server.send(pushFrame(u"order_updates"_s, 2, true)); // never seen: delivered
    server.send(pushFrame(u"order_updates"_s, 2, true)); // seen now: duplicate
    server.send(pushFrame(u"order_updates"_s, 4));
    QTRY_COMPARE(messages.count(), 4);
    QCOMPARE(seqsOf(messages, 2), (QList<qint64>{1, 3, 2, 4}));
    QCOMPARE(messages.at(2).at(5).toBool(), true);
    QCOMPARE(seqsOf(duplicates, 1), (QList<qint64>{2}));
    QCOMPARE(gaps.count(), 1);
    QCOMPARE(gaps.first(), (QList<QVariant>{u"order_updates"_s, qint64(2), qint64(3)}));

    // Every delivery and the duplicate are acked, so the server stops retrying.
    flushToServer(client, server);
    QList<qint64> acked;
    for (const QJsonObject &ack : server.frames(u"ack"_s))
        acked.append(ack.value(u"data"_s).toObject().value(u"seq"_s).toInteger());
    QCOMPARE(acked, (QList<qint64>{1, 3, 2, 2, 4}));
}

void tst_PushClient::gapDetection_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QJsonObject>("filters");
    QTest::addColumn<bool>("clearExempt");
    QTest::addColumn<bool>("expectGap");
    const QJsonObject none;
    const QJsonObject account{{u"account"_s, u"A1"_s}};
    QTest::newRow("strategy_status") << u"strategy_status"_s << none << false << true;
    QTest::newRow("order_updates") << u"order_updates"_s << none << false << true;
    QTest::newRow("market_data") << u"market_data"_s << none << false << true;
    QTest::newRow("system_monitor rate_limited") << u"system_monitor"_s << none << false << false;
    QTest::newRow("performance_metrics rate_limited") << u"performance_metrics"_s << none << false << false;
    QTest::newRow("trading_signals priority") << u"trading_signals"_s << none << false << false;
    QTest::newRow("trading_signals not exempt") << u"trading_signals"_s << none << true << true;
    QTest::newRow("filtered order_updates") << u"order_updates"_s << account << false << false;
}

void tst_PushClient::gapDetection()
{
    QFETCH(QString, channel);
    QFETCH(QJsonObject, filters);
    QFETCH(bool, clearExempt);
    QFETCH(bool, expectGap);
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    if (clearExempt)
        client.setGapExemptChannels({});
    CONNECT_OR_RETURN(client, server, {channel}, filters);
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy gaps(&client, &PushClient::gapDetected);

    for (qint64 seq : {1, 2, 5, 6})
        server.send(pushFrame(channel, seq));
    QTRY_COMPARE(messages.count(), 4);
    QCOMPARE(gaps.count(), expectGap ? 1 : 0);
    if (expectGap)
        QCOMPARE(gaps.first(), (QList<QVariant>{channel, qint64(3), qint64(5)}));
}

void tst_PushClient::gapBeforeFirstMessage()
{
    FakeServer server;
    server.channelSeq.insert(u"risk_alerts"_s, 10); // the channel's seq when we subscribe
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"risk_alerts"_s});
    QCOMPARE(client.lastSeq(u"risk_alerts"_s), 10);
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy gaps(&client, &PushClient::gapDetected);
    server.send(pushFrame(u"risk_alerts"_s, 12));
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(gaps.count(), 1);
    QCOMPARE(gaps.first(), (QList<QVariant>{u"risk_alerts"_s, qint64(11), qint64(12)}));
}

void tst_PushClient::serverGapFrame()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"position_updates"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy reported(&client, &PushClient::gapReported);
    QSignalSpy detected(&client, &PushClient::gapDetected);

    server.send(pushFrame(u"position_updates"_s, 1));
    server.send(pushFrame(u"position_updates"_s, 2));
    server.send({{u"type"_s, u"gap"_s},
                 {u"channel"_s, u"position_updates"_s},
                 {u"data"_s, QJsonObject{{u"from"_s, 3}, {u"to"_s, 4}}}});
    server.send(pushFrame(u"position_updates"_s, 5));
    QTRY_COMPARE(messages.count(), 3);
    QCOMPARE(reported.count(), 1);
    QCOMPARE(reported.first(), (QList<QVariant>{u"position_updates"_s, qint64(3), qint64(4)}));
    QCOMPARE(detected.count(), 0); // already reported by the server, not twice
    QCOMPARE(client.lastSeq(u"position_updates"_s), 5);
}

void tst_PushClient::acks_data()
{
    QTest::addColumn<bool>("autoAck");
    QTest::addColumn<QStringList>("acked"); // empty = defaults
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("defaults") << true << QStringList{}
                              << QStringList{u"order_updates:1"_s, u"risk_alerts:1"_s, u"position_updates:1"_s,
                                             u"order_updates:1"_s};
    QTest::newRow("custom set") << true << QStringList{u"strategy_status"_s}
                                << QStringList{u"strategy_status:1"_s};
    QTest::newRow("auto ack off") << false << QStringList{} << QStringList{};
}

void tst_PushClient::acks()
{
    QFETCH(bool, autoAck);
    QFETCH(QStringList, acked);
    QFETCH(QStringList, expected);
    const QStringList channels{u"order_updates"_s, u"market_data"_s, u"risk_alerts"_s, u"strategy_status"_s,
                               u"position_updates"_s};
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    client.setAutoAck(autoAck);
    if (!acked.isEmpty())
        client.setAckedChannels(acked);
    CONNECT_OR_RETURN(client, server, channels);
    QSignalSpy messages(&client, &PushClient::messageReceived);

    for (const QString &channel : channels)
        server.send(pushFrame(channel, 1));
    server.send(pushFrame(u"order_updates"_s, 1, true)); // duplicate redelivery: acked again
    server.send(pushFrame(u"market_data"_s, 2));           // marks the end, never acked
    QTRY_COMPARE(messages.count(), channels.size() + 1);
    flushToServer(client, server);

    QStringList sent;
    for (const QJsonObject &ack : server.frames(u"ack"_s)) {
        const QJsonObject data = ack.value(u"data"_s).toObject();
        sent.append(data.value(u"channel"_s).toString() + u':'
                    + QString::number(data.value(u"seq"_s).toInteger()));
    }
    QCOMPARE(sent, expected);
}

void tst_PushClient::requestsAndReplies()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    QCOMPARE(client.sendRequest(u"stats"_s), QString()); // not connected yet
    CONNECT_OR_RETURN(client, server, {});
    QSignalSpy replies(&client, &PushClient::replyReceived);
    QSignalSpy errors(&client, &PushClient::errorReceived);

    const QString statsId = client.sendRequest(u"stats"_s);
    QVERIFY(statsId.startsWith(u'c'));
    QTRY_COMPARE(replies.count(), 1);
    QCOMPARE(replies.first().at(0).toString(), statsId);
    QCOMPARE(replies.first().at(1).toString(), u"stats"_s);
    QCOMPARE(replies.first().at(2).toJsonValue().toObject().value(u"connections"_s).toInt(), 1);

    const QString publishId = client.publish(u"strategy_status"_s, {{u"state"_s, u"running"_s}}, 7,
                                             u"immediate"_s, {{u"account"_s, u"A1"_s}});
    QVERIFY(publishId != statsId);
    QTRY_COMPARE(replies.count(), 2);
    QCOMPARE(replies.last().at(0).toString(), publishId);
    QCOMPARE(replies.last().at(1).toString(), u"published"_s);
    QCOMPARE(replies.last().at(2).toJsonValue().toObject().value(u"seq"_s).toInt(), 7);
    const QJsonObject publish = server.frames(u"publish"_s).first();
    QCOMPARE(publish.value(u"id"_s).toString(), publishId);
    const QJsonObject data = publish.value(u"data"_s).toObject();
    QCOMPARE(data.value(u"type"_s).toString(), u"strategy_status"_s);
    QCOMPARE(data.value(u"payload"_s).toObject().value(u"state"_s).toString(), u"running"_s);
    QCOMPARE(data.value(u"priority"_s).toInt(), 7);
    QCOMPARE(data.value(u"strategy"_s).toString(), u"immediate"_s);
    QCOMPARE(data.value(u"filters"_s).toObject().value(u"account"_s).toString(), u"A1"_s);

    const QString badId = client.sendRequest(u"bogus"_s, QJsonObject{{u"x"_s, 1}});
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.first(), (QList<QVariant>{badId, u"unknown_type"_s, u"unknown_type"_s}));
    QCOMPARE(replies.count(), 2); // errors are not replies
}

void tst_PushClient::subscribeErrorForgetsChannel()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    QSignalSpy failed(&client, &PushClient::subscriptionFailed);
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s});
    client.subscribe(u"forbidden_channel"_s);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), u"forbidden_channel"_s);
    QCOMPARE(failed.first().at(1).toString(), u"forbidden"_s);
    QCOMPARE(client.subscriptions(), QStringList{u"order_updates"_s});

    QSignalSpy subscribed(&client, &PushClient::subscribed);
    server.closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE(subscribed.count(), 1);
    QCOMPARE(server.frames(u"subscribe"_s, 2).size(), 1); // not re-sent
}

void tst_PushClient::pingMeasuresLatency()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {});
    QSignalSpy latency(&client, &PushClient::latencyMeasured);
    client.ping();
    QTRY_COMPARE(latency.count(), 1);
    const double rtt = latency.first().first().toDouble();
    QVERIFY(rtt >= 0.0 && rtt < 5000.0);
    QVERIFY(!server.frames(u"ping"_s).first().value(u"id"_s).toString().isEmpty());

    client.setPingInterval(20);
    QTRY_VERIFY(latency.count() >= 4);
    client.setPingInterval(0);
}

QTEST_GUILESS_MAIN(tst_PushClient)
#include "tst_pushclient.moc"
