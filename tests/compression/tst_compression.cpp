// Compressed push frames (?compression=deflate, docs/protocol.md
// "Compression") over real sockets: a mixed population gets byte-identical
// JSON, each frame is compressed once however many compressed recipients,
// small frames stay text, the operator's switch and bad requests are honoured,
// and resume, redelivery and PushClient work compressed.
#include "Clock.h"
#include "TestServer.h"
#include "WsTestClient.h"
#include "client/FrameInflater.h"
#include "client/PushClient.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int Timeout = 20000; // generous: the machine is shared

struct Received
{
    bool binary = false;
    qsizetype wireBytes = 0; // payload as received
    QByteArray json;         // inflated when binary
};

// A client that keeps every frame as it came: text or binary, and the JSON.
class RecordingClient : public QObject
{
public:
    explicit RecordingClient(const QUrl &url)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            m_frames.append({false, text.toUtf8().size(), text.toUtf8()});
        });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
            const std::optional<QByteArray> json = m_inflater.inflate(data);
            if (!json)
                ++m_undecodable;
            m_frames.append({true, data.size(), json.value_or(QByteArray())});
        });
        m_socket.open(url);
    }

    bool waitForWelcome() { return QTest::qWaitFor([this] { return !m_frames.isEmpty(); }, Timeout); }
    QJsonObject frame(qsizetype i) const { return QJsonDocument::fromJson(m_frames.at(i).json).object(); }
    QJsonObject welcome() const { return m_frames.isEmpty() ? QJsonObject() : frame(0); }
    void send(const QJsonObject &frame) { m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact))); }
    bool subscribe(const QJsonObject &data)
    {
        const qsizetype before = m_frames.size();
        send({{u"type"_s, u"subscribe"_s}, {u"id"_s, u"s"_s}, {u"data"_s, data}});
        return QTest::qWaitFor([&] {
            for (qsizetype i = before; i < m_frames.size(); ++i) {
                if (frame(i).value(Key::Type).toString() == u"subscribed"_s)
                    return true;
            }
            return false;
        }, Timeout);
    }
    // Push and batch frames (anything with a channel and no request id), in order.
    QList<Received> pushFrames() const
    {
        QList<Received> pushes;
        for (qsizetype i = 0; i < m_frames.size(); ++i) {
            const QJsonObject f = frame(i);
            if (f.contains(Key::Channel) && !f.contains(Key::Id) && f.value(Key::Type).toString() != u"gap"_s)
                pushes.append(m_frames.at(i));
        }
        return pushes;
    }
    // Every seq received on `channel`, batches unpacked.
    QList<qint64> seqsOn(const QString &channel) const
    {
        QList<qint64> seqs;
        for (const Received &received : pushFrames()) {
            const QJsonObject f = QJsonDocument::fromJson(received.json).object();
            if (f.value(Key::Channel).toString() != channel)
                continue;
            if (f.value(Key::Type).toString() == u"batch"_s) {
                for (const QJsonValue &item : f.value(Key::Data).toArray())
                    seqs.append(item.toObject().value(Key::Seq).toInteger());
            } else {
                seqs.append(f.value(Key::Seq).toInteger());
            }
        }
        return seqs;
    }
    QList<QJsonObject> errors() const
    {
        QList<QJsonObject> list;
        for (qsizetype i = 0; i < m_frames.size(); ++i) {
            if (frame(i).value(Key::Type).toString() == u"error"_s)
                list.append(frame(i));
        }
        return list;
    }
    const QList<Received> &frames() const { return m_frames; }
    int undecodable() const { return m_undecodable; }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    FrameInflater m_inflater;
    QList<Received> m_frames;
    int m_undecodable = 0;
};

QUrl compressedUrl(const WebSocketManager &server, const QString &value = u"deflate"_s,
                   const QString &path = u"/ws"_s)
{
    QUrl url = webSocketUrl(server, path);
    url.setQuery(QUrlQuery {{u"compression"_s, value}});
    return url;
}

// A market tick with the digits of a real one (prices, sizes, times), so
// that what compresses here compresses in production, no more.
QJsonObject tick(int n)
{
    static const QStringList symbols {u"BTCUSDT"_s, u"ETHUSDT"_s, u"SOLUSDT"_s, u"BNBUSDT"_s, u"XRPUSDT"_s};
    const double price = 64000.0 + double((n * 7919) % 10007) / 7.0;
    return QJsonObject {
        {u"symbol"_s, symbols.at(n % symbols.size())},
        {u"price"_s, price},
        {u"bid"_s, price - 0.5},
        {u"ask"_s, price + 0.5},
        {u"volume"_s, double((n * 104729) % 99991) / 1000.0},
        {u"change_pct"_s, double((n * 31) % 997) / 100.0 - 5.0},
        {u"ts_ms"_s, 1764600000000LL + n * 13},
        {u"key"_s, symbols.at(n % symbols.size())},
    };
}

QJsonObject channelStats(const WebSocketManager &server, const QString &channel)
{
    return server.statsJson().value(u"channels"_s).toObject().value(channel).toObject();
}

QJsonObject compressionStats(const WebSocketManager &server)
{
    return server.statsJson().value(u"compression"_s).toObject();
}

} // namespace

class tst_Compression : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mixedPopulationGetsIdenticalFrames_data();
    void mixedPopulationGetsIdenticalFrames();
    void frameUnderThresholdStaysText();
    void disabledByConfigAnswersNone();
    void unknownCompressionIsAnErrorAndOthersKeepReceiving();
    void resumeAndRedeliveryAreCompressed();
    void pushClientInflatesTransparently();
    void pushClientReconnectsOnAFrameThatDoesNotInflate();
};

void tst_Compression::mixedPopulationGetsIdenticalFrames_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("/ws") << u"/ws"_s;
    QTest::newRow("/") << u"/"_s;
}

void tst_Compression::mixedPopulationGetsIdenticalFrames()
{
    QFETCH(QString, path);
    FakeClock clock; // batches go by time when the test advances it
    auto server = startServer(testConfig(), &clock);
    QVERIFY(server);
    const int batchIntervalMs = server->config().channel(SubscriptionType::MarketData).batchIntervalMs;
    constexpr int Pairs = 3;
    std::vector<std::unique_ptr<RecordingClient>> compressed, text;
    for (int i = 0; i < Pairs; ++i) {
        compressed.push_back(std::make_unique<RecordingClient>(compressedUrl(*server, u"deflate"_s, path)));
        text.push_back(std::make_unique<RecordingClient>(webSocketUrl(*server, path)));
    }
    for (auto *group : {&compressed, &text}) {
        for (auto &client : *group) {
            QVERIFY(client->waitForWelcome());
            QVERIFY(client->subscribe({{u"type"_s, u"market_data"_s}}));
            QVERIFY(client->subscribe({{u"type"_s, u"strategy_status"_s}}));
        }
    }
    for (auto &client : compressed)
        QCOMPARE(client->welcome().value(Key::Data).toObject().value(Key::Compression).toString(), u"deflate"_s);
    for (auto &client : text)
        QCOMPARE(client->welcome().value(Key::Data).toObject().value(Key::Compression).toString(), u"none"_s);
    QCOMPARE(compressionStats(*server).value(u"connections"_s).toInt(), Pairs);

    // Batched market data (several batches) and single immediate pushes.
    constexpr int Ticks = 450;
    for (int n = 1; n <= Ticks; ++n) {
        server->broadcastMarketData(tick(n));
        if (n % 50 == 0) {
            server->broadcastStrategyStatus({{u"strategy"_s, u"momentum"_s}, {u"state"_s, u"running"_s},
                                             {u"note"_s, QString(300, u'~')}, {u"n"_s, n}});
            clock.advance(batchIntervalMs); // some batches go by time, not only by size
        }
    }
    clock.advance(batchIntervalMs); // the last, partial batch
    for (auto *group : {&compressed, &text}) {
        for (auto &client : *group) {
            QTRY_COMPARE_WITH_TIMEOUT(client->seqsOn(u"market_data"_s).size(), Ticks, Timeout);
            QTRY_COMPARE_WITH_TIMEOUT(client->seqsOn(u"strategy_status"_s).size(), Ticks / 50, Timeout);
        }
    }

    // Everyone got the same JSON bytes in the same frames; the compressed
    // half got them as binary frames (all but a batch that happened to be
    // under compression_min_bytes), the text half as text frames.
    const qsizetype minBytes = server->config().websocket.compressionMinBytes;
    const QList<Received> reference = text.front()->pushFrames();
    QList<qint64> expectedSeqs;
    for (qint64 seq = 1; seq <= Ticks; ++seq)
        expectedSeqs.append(seq);
    for (auto *group : {&compressed, &text}) {
        for (auto &client : *group) {
            const QList<Received> frames = client->pushFrames();
            QCOMPARE(frames.size(), reference.size());
            for (qsizetype i = 0; i < frames.size(); ++i) {
                QCOMPARE(frames.at(i).json, reference.at(i).json);
                QCOMPARE(frames.at(i).binary, group == &compressed && frames.at(i).json.size() >= minBytes);
            }
            QCOMPARE(client->seqsOn(u"market_data"_s), expectedSeqs);
            QCOMPARE(client->undecodable(), 0);
            QVERIFY(client->errors().isEmpty());
        }
    }

    // Encode once: one compression per distinct frame, not per recipient.
    qint64 binaryFrames = 0;
    qint64 wireBytes = 0;
    qint64 jsonBytes = 0;
    for (const Received &frame : compressed.front()->pushFrames()) {
        binaryFrames += frame.binary ? 1 : 0;
        if (frame.binary
            && QJsonDocument::fromJson(frame.json).object().value(Key::Channel).toString() == u"market_data"_s) {
            wireBytes += frame.wireBytes;
            jsonBytes += frame.json.size();
        }
    }
    const QJsonObject compression = compressionStats(*server);
    QVERIFY(binaryFrames > Ticks / 100);
    QCOMPARE(compression.value(u"frames_compressed"_s).toInteger(), binaryFrames);
    QVERIFY(compression.value(u"cpu_seconds"_s).toDouble() > 0);
    const QJsonObject market = channelStats(*server, u"market_data"_s);
    QCOMPARE(market.value(u"bytes_after_compression"_s).toInteger(), Pairs * wireBytes);
    QCOMPARE(market.value(u"bytes_before_compression"_s).toInteger(), Pairs * jsonBytes);
    QVERIFY2(jsonBytes >= 3 * wireBytes, qPrintable(u"market data %1 -> %2 bytes"_s.arg(jsonBytes).arg(wireBytes)));
}

void tst_Compression::frameUnderThresholdStaysText()
{
    ServerConfig config = testConfig();
    config.websocket.compressionMinBytes = 400;
    auto server = startServer(config);
    QVERIFY(server);
    RecordingClient client(compressedUrl(*server));
    QVERIFY(client.waitForWelcome());
    QVERIFY(client.subscribe({{u"type"_s, u"strategy_status"_s}}));

    server->broadcastStrategyStatus({{u"state"_s, u"small"_s}});
    server->broadcastStrategyStatus({{u"state"_s, u"large"_s}, {u"note"_s, QString(500, u'~')}});
    QTRY_COMPARE_WITH_TIMEOUT(client.pushFrames().size(), 2, Timeout);
    const QList<Received> frames = client.pushFrames();
    QVERIFY(frames.at(0).json.size() < 400);
    QVERIFY(!frames.at(0).binary);
    QCOMPARE(QJsonDocument::fromJson(frames.at(0).json).object().value(Key::Seq).toInteger(), 1);
    QVERIFY(frames.at(1).json.size() >= 400);
    QVERIFY(frames.at(1).binary);
    QCOMPARE(QJsonDocument::fromJson(frames.at(1).json).object().value(Key::Seq).toInteger(), 2);
    QCOMPARE(compressionStats(*server).value(u"frames_compressed"_s).toInteger(), 1);
}

void tst_Compression::disabledByConfigAnswersNone()
{
    ServerConfig config = testConfig();
    config.websocket.compressionEnabled = false;
    auto server = startServer(config);
    QVERIFY(server);
    RecordingClient client(compressedUrl(*server));
    QVERIFY(client.waitForWelcome());
    QCOMPARE(client.welcome().value(Key::Data).toObject().value(Key::Compression).toString(), u"none"_s);
    QVERIFY(client.subscribe({{u"type"_s, u"strategy_status"_s}}));
    server->broadcastStrategyStatus({{u"state"_s, u"large"_s}, {u"note"_s, QString(2000, u'~')}});
    QTRY_COMPARE_WITH_TIMEOUT(client.pushFrames().size(), 1, Timeout);
    QVERIFY(!client.pushFrames().at(0).binary);
    QVERIFY(client.errors().isEmpty());
    QCOMPARE(compressionStats(*server).value(u"frames_compressed"_s).toInteger(), 0);
    QCOMPARE(compressionStats(*server).value(u"connections"_s).toInt(), 0);
}

void tst_Compression::unknownCompressionIsAnErrorAndOthersKeepReceiving()
{
    auto server = startServer(testConfig());
    QVERIFY(server);
    // A bystander (compressed) on an immediate channel, published to all along.
    RecordingClient bystander(compressedUrl(*server));
    QVERIFY(bystander.waitForWelcome());
    QVERIFY(bystander.subscribe({{u"type"_s, u"order_updates"_s}}));
    qint64 lastSeq = 0;
    QTimer publisher;
    connect(&publisher, &QTimer::timeout, this, [&] {
        lastSeq = server->broadcastOrderUpdate({{u"account"_s, u"A1"_s}, {u"note"_s, QString(300, u'~')}}).seq;
    });
    publisher.start(5);

    RecordingClient client(compressedUrl(*server, u"gzip"_s));
    QVERIFY(client.waitForWelcome());
    QCOMPARE(client.welcome().value(Key::Type).toString(), u"welcome"_s);
    QCOMPARE(client.welcome().value(Key::Data).toObject().value(Key::Compression).toString(), u"none"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.errors().size(), 1, Timeout);
    const QJsonObject error = client.errors().first().value(Key::Data).toObject();
    QCOMPARE(error.value(Key::Code).toString(), u"bad_request"_s);
    QVERIFY2(error.value(Key::Message).toString().contains(u"gzip"_s), qPrintable(error.value(Key::Message).toString()));
    // The connection still works, with text frames.
    QVERIFY(client.subscribe({{u"type"_s, u"order_updates"_s}}));
    QTRY_VERIFY_WITH_TIMEOUT(!client.pushFrames().isEmpty(), Timeout);
    QVERIFY(!client.pushFrames().first().binary);

    QTest::qWait(50);
    publisher.stop();
    QList<qint64> all;
    for (qint64 seq = 1; seq <= lastSeq; ++seq)
        all.append(seq);
    QTRY_COMPARE_WITH_TIMEOUT(bystander.seqsOn(u"order_updates"_s), all, Timeout);
    QVERIFY(bystander.errors().isEmpty());
    for (const Received &frame : bystander.pushFrames())
        QVERIFY(frame.binary);
}

void tst_Compression::resumeAndRedeliveryAreCompressed()
{
    ServerConfig config = testConfig();
    config.channel(SubscriptionType::OrderUpdates).ackTimeoutMs = 100;
    config.channel(SubscriptionType::OrderUpdates).maxRetries = 1;
    FakeClock clock; // the ack deadline passes when the test advances it
    auto server = startServer(config, &clock);
    QVERIFY(server);
    for (int n = 1; n <= 3; ++n)
        server->broadcastOrderUpdate({{u"account"_s, u"A1"_s}, {u"n"_s, n}, {u"note"_s, QString(300, u'~')}});

    RecordingClient client(compressedUrl(*server));
    QVERIFY(client.waitForWelcome());
    QVERIFY(client.subscribe({{u"type"_s, u"order_updates"_s}, {u"since"_s, 0}}));
    // Replayed (1..3), then each sent again unacknowledged, marked redelivered.
    QTRY_COMPARE_WITH_TIMEOUT(client.pushFrames().size(), 3, Timeout);
    clock.advance(200); // past the 100 ms deadline and the next ack sweep
    QTRY_COMPARE_WITH_TIMEOUT(client.pushFrames().size(), 6, Timeout);
    const QList<Received> frames = client.pushFrames();
    for (qsizetype i = 0; i < frames.size(); ++i) {
        QVERIFY(frames.at(i).binary);
        const QJsonObject push = QJsonDocument::fromJson(frames.at(i).json).object();
        QCOMPARE(push.value(Key::Seq).toInteger(), i % 3 + 1);
        QCOMPARE(push.value(Key::Redelivered).toBool(), i >= 3);
    }
    // Nobody had compressed these before: one compression per replayed
    // message, one per redelivered frame.
    QCOMPARE(compressionStats(*server).value(u"frames_compressed"_s).toInteger(), 6);

    // A second resumer costs no compression at all.
    RecordingClient second(compressedUrl(*server));
    QVERIFY(second.waitForWelcome());
    QVERIFY(second.subscribe({{u"type"_s, u"order_updates"_s}, {u"since"_s, 0}}));
    QTRY_COMPARE_WITH_TIMEOUT(second.pushFrames().size(), 3, Timeout);
    for (int i = 0; i < 3; ++i)
        second.send({{u"type"_s, u"ack"_s}, {u"data"_s, QJsonObject {{u"channel"_s, u"order_updates"_s}, {u"seq"_s, i + 1}}}});
    QCOMPARE(compressionStats(*server).value(u"frames_compressed"_s).toInteger(), 6);
}

void tst_Compression::pushClientInflatesTransparently()
{
    auto server = startServer(testConfig());
    QVERIFY(server);
    PushClient compressed;
    compressed.setUrl(webSocketUrl(*server));
    compressed.setCompression(true);
    PushClient plain;
    plain.setUrl(webSocketUrl(*server));
    QList<qint64> compressedSeqs, plainSeqs;
    QList<QJsonObject> compressedData, plainData;
    connect(&compressed, &PushClient::messageReceived, this,
            [&](const QString &, const QString &, qint64 seq, qint64, const QJsonObject &data, bool) {
                compressedSeqs.append(seq);
                compressedData.append(data);
            });
    connect(&plain, &PushClient::messageReceived, this,
            [&](const QString &, const QString &, qint64 seq, qint64, const QJsonObject &data, bool) {
                plainSeqs.append(seq);
                plainData.append(data);
            });
    QSignalSpy compressedReady(&compressed, &PushClient::subscribed);
    QSignalSpy plainReady(&plain, &PushClient::subscribed);
    compressed.subscribe(u"market_data"_s);
    plain.subscribe(u"market_data"_s);
    compressed.open();
    plain.open();
    QTRY_COMPARE_WITH_TIMEOUT(compressedReady.size(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(plainReady.size(), 1, Timeout);
    QVERIFY(compressed.compressed());
    QVERIFY(!plain.compressed());

    for (int n = 1; n <= 250; ++n)
        server->broadcastMarketData(tick(n));
    QTRY_COMPARE_WITH_TIMEOUT(compressedSeqs.size(), 250, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(plainSeqs.size(), 250, Timeout);
    QCOMPARE(compressedSeqs, plainSeqs);
    QCOMPARE(compressedData, plainData);
    QVERIFY(compressionStats(*server).value(u"frames_compressed"_s).toInteger() >= 1);
}

void tst_Compression::pushClientReconnectsOnAFrameThatDoesNotInflate()
{
    // A peer that grants compression, then sends a binary frame that is not
    // raw DEFLATE: the client must not deliver garbage, and reconnects (a
    // real server would then resume it with "since").
    QWebSocketServer fake(u"fake"_s, QWebSocketServer::NonSecureMode);
    QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
    QList<QUrl> requested;
    connect(&fake, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *socket = fake.nextPendingConnection();
        requested.append(socket->requestUrl());
        socket->setParent(&fake);
        socket->sendTextMessage(uR"({"type":"welcome","data":{"session_id":"1","protocol":1,"auth_required":false,"compression":"deflate"}})"_s);
        socket->sendBinaryMessage(QByteArray("\xff\xfe not deflate at all", 23));
    });
    PushClient client;
    client.setUrl(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(fake.serverPort())));
    client.setCompression(true);
    PushClient::ReconnectPolicy policy = client.reconnectPolicy();
    policy.initialDelayMs = 10;
    policy.maxDelayMs = 20;
    client.setReconnectPolicy(policy);
    QSignalSpy messages(&client, &PushClient::messageReceived);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(requested.size() >= 2, Timeout);
    QCOMPARE(QUrlQuery(requested.first()).queryItemValue(u"compression"_s), u"deflate"_s);
    QCOMPARE(messages.size(), 0);
    client.close();
}

QTEST_GUILESS_MAIN(tst_Compression)
#include "tst_compression.moc"
