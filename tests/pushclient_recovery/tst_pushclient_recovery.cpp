// PushClient's reconnect policy and recovery against a scripted fake server
// (QWebSocketServer on port 0): backoff delays, close codes, resume with
// "since", incomplete recovery, seq restart, pong/handshake timeouts, 1013.

#include "FakeServer.h"

#include "client/PushClient.h"
#include "client/ReconnectBackoff.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace QuantPush;
using namespace QuantPush::PushClientTesting;
using namespace Qt::StringLiterals;

class tst_PushClientRecovery : public QObject
{
    Q_OBJECT

private slots:
    void backoffWithoutJitter_data();
    void backoffWithoutJitter();
    void backoffJitterStaysInBounds();
    void resubscribeWithSinceAfterServerClose();
    void reconnectDelays_data();
    void reconnectDelays();
    void closeCodes_data();
    void closeCodes();
    void recoveryIncomplete();
    void serverSeqRestart();
    void pongTimeoutReconnects();
    void handshakeTimeoutReconnects();
    void closeStopsReconnecting();
    void serverFullIsReportedAs1013AndRetried();
};

void tst_PushClientRecovery::backoffWithoutJitter_data()
{
    QTest::addColumn<int>("initial");
    QTest::addColumn<double>("multiplier");
    QTest::addColumn<int>("max");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("doubling, capped") << 1000 << 2.0 << 30000
                                      << QList<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000};
    QTest::newRow("triple") << 10 << 3.0 << 200 << QList<int>{10, 30, 90, 200};
    QTest::newRow("constant") << 50 << 1.0 << 1000 << QList<int>{50, 50, 50};
    QTest::newRow("max below initial") << 500 << 2.0 << 100 << QList<int>{500, 500};
}

void tst_PushClientRecovery::backoffWithoutJitter()
{
    QFETCH(int, initial);
    QFETCH(double, multiplier);
    QFETCH(int, max);
    QFETCH(QList<int>, expected);
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = initial;
    policy.backoffMultiplier = multiplier;
    policy.maxDelayMs = max;
    policy.jitterEnabled = false;
    QRandomGenerator rng(42);
    for (int attempt = 1; attempt <= expected.size(); ++attempt)
        QCOMPARE(ReconnectBackoff::delayMs(policy, attempt, rng), expected.at(attempt - 1));
    // Huge attempt numbers must not overflow.
    QCOMPARE(ReconnectBackoff::baseDelayMs(policy, 100000), expected.last());
}

void tst_PushClientRecovery::backoffJitterStaysInBounds()
{
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = 100;
    policy.maxDelayMs = 1000;
    QRandomGenerator rng(7);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        const int base = ReconnectBackoff::baseDelayMs(policy, attempt);
        int low = base;
        int high = 0;
        for (int i = 0; i < 500; ++i) {
            const int delay = ReconnectBackoff::delayMs(policy, attempt, rng);
            QVERIFY2(delay >= base / 2 && delay <= base, qPrintable(QString::number(delay)));
            QVERIFY(delay <= policy.maxDelayMs);
            low = std::min(low, delay);
            high = std::max(high, delay);
        }
        QVERIFY2(high - low > base / 4, "jitter should spread the delays");
    }
}

void tst_PushClientRecovery::resubscribeWithSinceAfterServerClose()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    const QJsonObject filters{{u"account"_s, u"A1"_s}};
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s}, filters);
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy duplicates(&client, &PushClient::duplicateDropped);
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    QSignalSpy subscribed(&client, &PushClient::subscribed);
    QSignalSpy disconnected(&client, &PushClient::disconnected);
    QSignalSpy states(&client, &PushClient::stateChanged);

    for (qint64 seq : {1, 2, 3})
        server.send(pushFrame(u"order_updates"_s, seq));
    QTRY_COMPARE(messages.count(), 3);

    server.closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE(subscribed.count(), 1);
    QCOMPARE(client.state(), PushClient::State::Connected);
    QCOMPARE(server.connections, 2);
    QCOMPARE(scheduled.count(), 1);
    QCOMPARE(scheduled.first(), (QList<QVariant>{1, 20}));
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.first().at(0).toInt(), int(QWebSocketProtocol::CloseCodeGoingAway));
    QCOMPARE(statesOf(states), (QList<PushClient::State>{PushClient::State::Reconnecting,
                                                         PushClient::State::Authenticating,
                                                         PushClient::State::Connected}));

    // Re-authenticated, then resubscribed with the same filters and since = last seq.
    QCOMPARE(server.typesOn(2).mid(0, 2), (QStringList{u"auth"_s, u"subscribe"_s}));
    const QJsonObject resubscribe = server.frames(u"subscribe"_s, 2).first().value(u"data"_s).toObject();
    QCOMPARE(resubscribe.value(u"type"_s).toString(), u"order_updates"_s);
    QCOMPARE(resubscribe.value(u"since"_s).toInteger(), 3);
    QCOMPARE(resubscribe.value(u"filters"_s).toObject(), filters);

    // The replay overlaps what we already have: only the new seq comes through.
    server.send(pushFrame(u"order_updates"_s, 3));
    server.send(pushFrame(u"order_updates"_s, 4));
    QTRY_COMPARE(messages.count(), 4);
    QCOMPARE(messages.last().at(2).toLongLong(), 4);
    QCOMPARE(duplicates.count(), 1);

    // The attempt counter restarted after the successful auth.
    server.closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"again"_s);
    QTRY_COMPARE(scheduled.count(), 2);
    QCOMPARE(scheduled.last().at(0).toInt(), 1);
    QTRY_COMPARE(subscribed.count(), 2);
    QCOMPARE(server.frames(u"subscribe"_s, 3).first().value(u"data"_s).toObject().value(u"since"_s).toInteger(), 4);
}

void tst_PushClientRecovery::reconnectDelays_data()
{
    QTest::addColumn<bool>("jitter");
    QTest::addColumn<int>("initial");
    QTest::addColumn<double>("multiplier");
    QTest::addColumn<int>("max");
    QTest::addColumn<int>("maxAttempts");
    QTest::newRow("no jitter") << false << 20 << 2.0 << 100 << 5;
    QTest::newRow("no jitter, x3") << false << 10 << 3.0 << 200 << 4;
    QTest::newRow("jitter") << true << 20 << 2.0 << 60 << 6;
}

void tst_PushClientRecovery::reconnectDelays()
{
    QFETCH(bool, jitter);
    QFETCH(int, initial);
    QFETCH(double, multiplier);
    QFETCH(int, max);
    QFETCH(int, maxAttempts);
    FakeServer server;
    QVERIFY(server.listen());
    server.stop(); // every connect is refused from now on

    PushClient client;
    client.setUrl(server.url());
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = initial;
    policy.backoffMultiplier = multiplier;
    policy.maxDelayMs = max;
    policy.jitterEnabled = jitter;
    policy.maxAttempts = maxAttempts;
    client.setReconnectPolicy(policy);
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    QSignalSpy states(&client, &PushClient::stateChanged);
    QSignalSpy disconnected(&client, &PushClient::disconnected);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), PushClient::State::Failed, 10000);

    QCOMPARE(scheduled.count(), maxAttempts);
    double expected = initial;
    for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
        const QList<QVariant> args = scheduled.at(attempt - 1);
        QCOMPARE(args.at(0).toInt(), attempt);
        const int delay = args.at(1).toInt();
        const int base = int(std::min<double>(expected, max));
        if (jitter)
            QVERIFY2(delay >= base / 2 && delay <= base && delay <= max,
                     qPrintable(u"attempt %1: %2 not in [%3, %4]"_s.arg(attempt).arg(delay).arg(base / 2).arg(base)));
        else
            QCOMPARE(delay, base);
        expected *= multiplier;
    }
    QCOMPARE(statesOf(states).first(), PushClient::State::Connecting);
    QCOMPARE(statesOf(states).last(), PushClient::State::Failed);
    QCOMPARE(disconnected.count(), 0); // never connected
}

void tst_PushClientRecovery::closeCodes_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<int>("serverCloseCode"); // 0: the server closes by itself (bad token)
    QTest::addColumn<bool>("expectFailed");
    QTest::newRow("bad token: error + 4001") << u"bad"_s << 0 << true;
    QTest::newRow("4001 after auth") << u"good"_s << 4001 << true;
    QTest::newRow("4003 forbidden") << u"good"_s << 4003 << true;
    QTest::newRow("1001 going away") << u"good"_s << 1001 << false;
    QTest::newRow("4008 slow consumer") << u"good"_s << 4008 << false;
}

void tst_PushClientRecovery::closeCodes()
{
    QFETCH(QString, token);
    QFETCH(int, serverCloseCode);
    QFETCH(bool, expectFailed);
    FakeServer server;
    QVERIFY(server.listen());
    PushClient client;
    client.setUrl(server.url());
    client.setToken(token);
    client.setReconnectPolicy(fastPolicy());
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    QSignalSpy errors(&client, &PushClient::errorReceived);
    QSignalSpy disconnected(&client, &PushClient::disconnected);
    client.open();

    if (serverCloseCode != 0) {
        QTRY_COMPARE(client.state(), PushClient::State::Connected);
        server.closeClients(serverCloseCode, u"bye"_s);
    }
    QTRY_COMPARE(disconnected.count(), 1);
    const int expectedCode = serverCloseCode ? serverCloseCode : 4001;
    QCOMPARE(disconnected.first().at(0).toInt(), expectedCode);
    if (expectFailed) {
        QCOMPARE(client.state(), PushClient::State::Failed);
        QCOMPARE(scheduled.count(), 0);
        QCOMPARE(server.connections, 1);
    } else {
        QCOMPARE(scheduled.count(), 1);
        QTRY_COMPARE(client.state(), PushClient::State::Connected);
        QCOMPARE(server.connections, 2);
    }
    if (serverCloseCode == 0) {
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().at(1).toString(), u"unauthorized"_s);
        QVERIFY(!errors.first().at(0).toString().isEmpty()); // the auth request's id
    }
}

// Qt 6.4 reports a 1013 close as 1002 ("Invalid close code"); the client
// must still tell its user "server full" and keep retrying, not show a
// protocol error.
void tst_PushClientRecovery::serverFullIsReportedAs1013AndRetried()
{
    FakeServer server;
    server.refuseWith = 1013;
    QVERIFY(server.listen());
    PushClient client;
    client.setUrl(server.url());
    client.setReconnectPolicy(fastPolicy());
    QSignalSpy disconnected(&client, &PushClient::disconnected);
    client.open();
    QTRY_VERIFY(disconnected.count() >= 1);
    QCOMPARE(disconnected.first().at(0).toInt(), 1013);
    QVERIFY(disconnected.first().at(1).toString().contains(u"server full"_s));
    QVERIFY(client.state() != PushClient::State::Failed);

    // Room again: the retry that follows gets in.
    server.refuseWith = 0;
    QTRY_COMPARE(client.state(), PushClient::State::Connected);
    QVERIFY(server.connections >= 2);
}

void tst_PushClientRecovery::recoveryIncomplete()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy subscribed(&client, &PushClient::subscribed);
    QSignalSpy incomplete(&client, &PushClient::recoveryIncomplete);
    QSignalSpy gaps(&client, &PushClient::gapDetected);

    server.send(pushFrame(u"order_updates"_s, 1));
    server.send(pushFrame(u"order_updates"_s, 2));
    QTRY_COMPARE(messages.count(), 2);
    server.channelSeq.insert(u"order_updates"_s, 20);
    server.recovered = false; // history evicted while we were away
    server.closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE(incomplete.count(), 1);
    QCOMPARE(incomplete.first(), (QList<QVariant>{u"order_updates"_s, qint64(2)}));
    QCOMPARE(subscribed.count(), 1);
    QCOMPARE(subscribed.first(), (QList<QVariant>{u"order_updates"_s, u"sub-order_updates"_s, qint64(20), false}));

    // The replay starts after the evicted range: already reported, no gapDetected.
    server.send(pushFrame(u"order_updates"_s, 10));
    server.send(pushFrame(u"order_updates"_s, 11));
    server.send(pushFrame(u"order_updates"_s, 13)); // a real loss afterwards is reported
    QTRY_COMPARE(messages.count(), 5);
    QCOMPARE(gaps.count(), 1);
    QCOMPARE(gaps.first(), (QList<QVariant>{u"order_updates"_s, qint64(12), qint64(13)}));
}

void tst_PushClientRecovery::serverSeqRestart()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"strategy_status"_s});
    QSignalSpy messages(&client, &PushClient::messageReceived);
    QSignalSpy incomplete(&client, &PushClient::recoveryIncomplete);
    QSignalSpy duplicates(&client, &PushClient::duplicateDropped);
    for (qint64 seq : {1, 2, 3, 4, 5})
        server.send(pushFrame(u"strategy_status"_s, seq));
    QTRY_COMPARE(messages.count(), 5);

    // A server restart without a broker starts the channel at 0 again; it
    // still claims "recovered", but seq < since tells the truth.
    server.channelSeq.insert(u"strategy_status"_s, 0);
    server.closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"restart"_s);
    QTRY_COMPARE(incomplete.count(), 1);
    QCOMPARE(client.lastSeq(u"strategy_status"_s), 0);
    server.send(pushFrame(u"strategy_status"_s, 1)); // new numbering, not a duplicate
    QTRY_COMPARE(messages.count(), 6);
    QCOMPARE(duplicates.count(), 0);
}

void tst_PushClientRecovery::pongTimeoutReconnects()
{
    FakeServer server;
    server.answerPings = false; // a half-open connection looks like this
    PushClient client;
    client.setToken(u"good"_s);
    client.setPingInterval(20);
    client.setPongTimeout(60);
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    CONNECT_OR_RETURN(client, server, {});
    QTRY_VERIFY(scheduled.count() >= 1);
    QTRY_VERIFY(server.connections >= 2);
}

void tst_PushClientRecovery::handshakeTimeoutReconnects()
{
    FakeServer server;
    server.sendWelcome = false;
    QVERIFY(server.listen());
    PushClient client;
    client.setUrl(server.url());
    client.setReconnectPolicy(fastPolicy());
    client.setHandshakeTimeout(50);
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    client.open();
    QTRY_VERIFY(scheduled.count() >= 2);
    QCOMPARE(scheduled.at(1).at(0).toInt(), 2); // no welcome = not a success
    QVERIFY(client.state() != PushClient::State::Connected);
}

void tst_PushClientRecovery::closeStopsReconnecting()
{
    FakeServer server;
    PushClient client;
    client.setToken(u"good"_s);
    CONNECT_OR_RETURN(client, server, {u"order_updates"_s});
    QSignalSpy scheduled(&client, &PushClient::reconnectScheduled);
    QSignalSpy disconnected(&client, &PushClient::disconnected);
    client.close();
    QCOMPARE(client.state(), PushClient::State::Disconnected);
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.first().at(0).toInt(), 1000);
    QTRY_COMPARE(server.closedByPeer, 1);
    QCOMPARE(scheduled.count(), 0);
    QCOMPARE(server.connections, 1);

    // Subscriptions survive close(); open() resumes them.
    QSignalSpy subscribed(&client, &PushClient::subscribed);
    client.open();
    QTRY_COMPARE(subscribed.count(), 1);
    QCOMPARE(server.connections, 2);
}

QTEST_GUILESS_MAIN(tst_PushClientRecovery)
#include "tst_pushclient_recovery.moc"
