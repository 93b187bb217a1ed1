// PushClient against a scripted fake server (QWebSocketServer on port 0):
// handshake order, resume, duplicates, gaps, acks, reconnect policy.

#include "client/ChannelSequence.h"
#include "client/PushClient.h"
#include "client/ReconnectBackoff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace QuantPush;
using namespace Qt::StringLiterals;

namespace {

QString pushTypeFor(const QString &channel)
{
    static const QHash<QString, QString> types{
        {u"trading_signals"_s, u"trading_signal"_s}, {u"order_updates"_s, u"order_update"_s},
        {u"position_updates"_s, u"position_update"_s}, {u"risk_alerts"_s, u"risk_alert"_s}};
    return types.value(channel, channel);
}

QJsonObject pushFrame(const QString &channel, qint64 seq, bool redelivered = false)
{
    QJsonObject data;
    data.insert(u"n"_s, seq);
    QJsonObject frame{{u"type"_s, pushTypeFor(channel)}, {u"channel"_s, channel}, {u"seq"_s, seq},
                      {u"ts"_s, 1700000000000000LL + seq}, {u"data"_s, data}};
    if (redelivered)
        frame.insert(u"redelivered"_s, true);
    return frame;
}

QList<qint64> seqsOf(const QSignalSpy &spy, int argument)
{
    QList<qint64> seqs;
    for (const QList<QVariant> &args : spy)
        seqs.append(args.at(argument).toLongLong());
    return seqs;
}

QList<PushClient::State> statesOf(const QSignalSpy &spy)
{
    QList<PushClient::State> states;
    for (const QList<QVariant> &args : spy)
        states.append(args.at(0).value<PushClient::State>());
    return states;
}

PushClient::ReconnectPolicy fastPolicy(int maxAttempts = 10)
{
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = 20;
    policy.maxDelayMs = 80;
    policy.jitterEnabled = false;
    policy.maxAttempts = maxAttempts;
    return policy;
}

} // namespace

// Speaks just enough protocol v1 to drive the client; records every frame.
class FakeServer : public QObject
{
    Q_OBJECT

public:
    struct Received
    {
        int connection;
        QJsonObject frame;
    };

    // Script
    QString validToken = u"good"_s;
    bool sendWelcome = true;
    int refuseWith = 0; // close code for every new connection instead of welcome (the real server's admission)
    bool answerPings = true;
    bool recovered = true;
    QHash<QString, qint64> channelSeq; // "seq" reported in subscribed

    // Record
    QList<Received> received;
    int connections = 0;
    int closedByPeer = 0;
    bool subscribeBeforeAuth = false;

    FakeServer() : m_server(u"fake"_s, QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, &FakeServer::onNewConnection);
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }

    QUrl url() const
    {
        QUrl url;
        url.setScheme(u"ws"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(m_port ? m_port : m_server.serverPort());
        url.setPath(u"/ws"_s);
        return url;
    }

    // Stop listening so every later connect is refused; the URL stays valid.
    void stop()
    {
        m_port = m_server.serverPort();
        m_server.close();
        closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"bye"_s);
    }

    void send(const QJsonObject &frame)
    {
        noteSeq(frame);
        for (const QJsonValue &item : frame.value(u"data"_s).toArray())
            noteSeq(item.toObject());
        if (QWebSocket *client = current())
            client->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }

    void closeClients(int code, const QString &reason)
    {
        for (const QPointer<QWebSocket> &client : std::as_const(m_clients)) {
            if (client)
                client->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
        }
    }

    QList<QJsonObject> frames(const QString &type, int connection = 0) const
    {
        QList<QJsonObject> result;
        for (const Received &r : received) {
            if (r.frame.value(u"type"_s).toString() == type && (connection == 0 || r.connection == connection))
                result.append(r.frame);
        }
        return result;
    }

    QStringList typesOn(int connection) const
    {
        QStringList types;
        for (const Received &r : received) {
            if (r.connection == connection)
                types.append(r.frame.value(u"type"_s).toString());
        }
        return types;
    }

private:
    // Like the real server, "seq" in subscribed is the channel's latest seq.
    void noteSeq(const QJsonObject &push)
    {
        const QString channel = push.value(u"channel"_s).toString();
        if (!channel.isEmpty() && push.contains(u"seq"_s))
            channelSeq[channel] = std::max(channelSeq.value(channel), push.value(u"seq"_s).toInteger());
    }

    QWebSocket *current() const { return m_clients.isEmpty() ? nullptr : m_clients.last().data(); }

    void onNewConnection()
    {
        while (QWebSocket *client = m_server.nextPendingConnection()) {
            const int index = ++connections;
            m_clients.append(client);
            connect(client, &QWebSocket::textMessageReceived, this,
                    [this, client, index](const QString &text) { onFrame(client, index, text); });
            connect(client, &QWebSocket::disconnected, this, [this, client] {
                ++closedByPeer;
                client->deleteLater();
            });
            if (refuseWith != 0)
                client->close(static_cast<QWebSocketProtocol::CloseCode>(refuseWith), u"server full"_s);
            else if (sendWelcome)
                reply(client, {{u"type"_s, u"welcome"_s},
                               {u"data"_s, QJsonObject{{u"session_id"_s, u"sess-%1"_s.arg(index)},
                                                       {u"server"_s, u"fake"_s},
                                                       {u"protocol"_s, 1},
                                                       {u"auth_required"_s, !validToken.isEmpty()},
                                                       {u"heartbeat_interval"_s, 30000}}}});
        }
    }

    void reply(QWebSocket *client, const QJsonObject &frame)
    {
        client->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }

    void replyTo(QWebSocket *client, const QJsonObject &request, const QString &type, const QJsonValue &data)
    {
        reply(client, {{u"type"_s, type}, {u"id"_s, request.value(u"id"_s)}, {u"data"_s, data}});
    }

    void error(QWebSocket *client, const QJsonObject &request, const QString &code)
    {
        replyTo(client, request, u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, code}});
    }

    void onFrame(QWebSocket *client, int index, const QString &text)
    {
        const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
        received.append({index, frame});
        const QString type = frame.value(u"type"_s).toString();
        const QJsonObject data = frame.value(u"data"_s).toObject();
        if (type == u"auth"_s)
            onAuth(client, frame, data);
        else if (type == u"subscribe"_s)
            onSubscribe(client, frame, data);
        else if (type == u"ping"_s && answerPings)
            replyTo(client, frame, u"pong"_s, QJsonObject{{u"ts"_s, 1}});
        else if (type == u"publish"_s)
            replyTo(client, frame, u"published"_s, QJsonObject{{u"seq"_s, 7}, {u"recipients"_s, 2}});
        else if (type == u"stats"_s)
            replyTo(client, frame, u"stats"_s, QJsonObject{{u"connections"_s, connections}});
        else if (type == u"unsubscribe"_s)
            replyTo(client, frame, u"unsubscribed"_s, QJsonObject{{u"subscription_id"_s, u"sub"_s}});
        else if (type != u"ack"_s && type != u"ping"_s)
            error(client, frame, u"unknown_type"_s);
    }

    void onAuth(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data)
    {
        if (data.value(u"token"_s).toString() != validToken) {
            error(client, frame, u"unauthorized"_s);
            client->close(static_cast<QWebSocketProtocol::CloseCode>(4001), u"unauthorized"_s);
            return;
        }
        m_authenticated.insert(client);
        replyTo(client, frame, u"auth_ok"_s,
                QJsonObject{{u"user"_s, u"alice"_s}, {u"role"_s, u"trader"_s}, {u"session_id"_s, u"sess-auth"_s}});
    }

    void onSubscribe(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data)
    {
        if (!validToken.isEmpty() && !m_authenticated.contains(client))
            subscribeBeforeAuth = true;
        const QString channel = data.value(u"type"_s).toString();
        if (channel == u"forbidden_channel"_s)
            return error(client, frame, u"forbidden"_s);
        QJsonObject body{{u"subscription_id"_s, QString(u"sub-"_s + channel)},
                         {u"type"_s, channel},
                         {u"seq"_s, channelSeq.value(channel, 0)}};
        if (data.contains(u"since"_s))
            body.insert(u"recovered"_s, recovered);
        replyTo(client, frame, u"subscribed"_s, body);
    }

    QWebSocketServer m_server;
    quint16 m_port = 0;
    QList<QPointer<QWebSocket>> m_clients;
    QSet<QWebSocket *> m_authenticated;
};

class tst_PushClient : public QObject
{
    Q_OBJECT

private slots:
    void backoffWithoutJitter_data();
    void backoffWithoutJitter();
    void backoffJitterStaysInBounds();
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
    void resubscribeWithSinceAfterServerClose();
    void reconnectDelays_data();
    void reconnectDelays();
    void closeCodes_data();
    void closeCodes();
    void recoveryIncomplete();
    void serverSeqRestart();
    void requestsAndReplies();
    void subscribeErrorForgetsChannel();
    void pingMeasuresLatency();
    void pongTimeoutReconnects();
    void handshakeTimeoutReconnects();
    void closeStopsReconnecting();
    void serverFullIsReportedAs1013AndRetried();

private:
    // Opens the client against the server and waits until every channel is subscribed.
    static void connectClient(PushClient &client, FakeServer &server, const QStringList &channels,
                              const QJsonObject &filters = {});
    // Round trip through the server: everything the client sent before is recorded after.
    static void flushToServer(PushClient &client, FakeServer &server);
};

void tst_PushClient::connectClient(PushClient &client, FakeServer &server, const QStringList &channels,
                                   const QJsonObject &filters)
{
    QVERIFY(server.listen());
    client.setUrl(server.url());
    client.setReconnectPolicy(fastPolicy());
    QSignalSpy subscribed(&client, &PushClient::subscribed);
    for (const QString &channel : channels)
        client.subscribe(channel, filters);
    client.open();
    QTRY_COMPARE(client.state(), PushClient::State::Connected);
    QTRY_COMPARE(subscribed.count(), channels.size());
}

void tst_PushClient::flushToServer(PushClient &client, FakeServer &server)
{
    const qsizetype pings = server.frames(u"ping"_s).size();
    client.ping();
    QTRY_COMPARE(server.frames(u"ping"_s).size(), pings + 1);
}

#define CONNECT_OR_RETURN(...)                   \
    connectClient(__VA_ARGS__);                  \
    if (QTest::currentTestFailed())              \
        return;

void tst_PushClient::backoffWithoutJitter_data()
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

void tst_PushClient::backoffWithoutJitter()
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

void tst_PushClient::backoffJitterStaysInBounds()
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

void tst_PushClient::resubscribeWithSinceAfterServerClose()
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

void tst_PushClient::reconnectDelays_data()
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

void tst_PushClient::reconnectDelays()
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

void tst_PushClient::closeCodes_data()
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

void tst_PushClient::closeCodes()
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
void tst_PushClient::serverFullIsReportedAs1013AndRetried()
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

void tst_PushClient::recoveryIncomplete()
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

void tst_PushClient::serverSeqRestart()
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

void tst_PushClient::pongTimeoutReconnects()
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

void tst_PushClient::handshakeTimeoutReconnects()
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

void tst_PushClient::closeStopsReconnecting()
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

QTEST_GUILESS_MAIN(tst_PushClient)
#include "tst_pushclient.moc"
