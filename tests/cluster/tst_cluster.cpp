// Three quantpush-server processes on one redis-server, behind haproxy with
// the shipped configuration (packaging/haproxy/quantpush.cfg): cluster-wide
// seq, resume on any node and after every node restarted, a node killed
// with SIGKILL, Redis killed with SIGKILL and back empty.
#include "ClusterKit.h"
#include "client/PushClient.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtWebSockets/QWebSocket>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString Channel = u"order_updates"_s;
constexpr int Slow = 30000; // the machine is shared: generous waits, never sleeps

// A subscriber that records every order_updates seq it is handed, and every
// way the client library reports loss or duplication.
struct Subscriber
{
    PushClient client;
    QList<qint64> seqs;
    QList<QPair<qint64, qint64>> gapNotices;
    int gapsDetected = 0;
    int duplicates = 0;
    QList<bool> recovered;
    qint64 subscribedSeq = -1;

    explicit Subscriber(const QList<QUrl> &urls)
    {
        client.setUrls(urls);
        PushClient::ReconnectPolicy policy;
        policy.initialDelayMs = 100;
        policy.maxDelayMs = 500;
        policy.maxAttempts = 0;
        client.setReconnectPolicy(policy);
        QObject::connect(&client, &PushClient::messageReceived, &client,
                         [this](const QString &channel, const QString &, qint64 seq) {
                             if (channel == Channel)
                                 seqs.append(seq);
                         });
        QObject::connect(&client, &PushClient::gapReported, &client,
                         [this](const QString &channel, qint64 from, qint64 to) {
                             if (channel == Channel)
                                 gapNotices.append({from, to});
                         });
        QObject::connect(&client, &PushClient::gapDetected, &client, [this] { ++gapsDetected; });
        QObject::connect(&client, &PushClient::duplicateDropped, &client, [this] { ++duplicates; });
        QObject::connect(&client, &PushClient::subscribed, &client,
                         [this](const QString &channel, const QString &, qint64 seq, bool wasRecovered) {
                             if (channel != Channel)
                                 return;
                             if (subscribedSeq < 0)
                                 subscribedSeq = seq;
                             recovered.append(wasRecovered);
                         });
        client.subscribe(Channel);
        client.open();
    }
    bool has(qint64 seq) const { return seqs.contains(seq); }
    qint64 last() const { return seqs.isEmpty() ? subscribedSeq : seqs.last(); }
};

// Every seq from the first one after subscribing to `upTo` exactly once, in order.
QString contiguityProblem(const Subscriber &subscriber, qint64 upTo)
{
    qint64 expected = subscriber.subscribedSeq + 1;
    for (qint64 seq : subscriber.seqs) {
        if (seq > upTo)
            break;
        if (seq != expected)
            return u"expected seq %1, got %2 (seqs %3..)"_s.arg(expected).arg(seq).arg(subscriber.seqs.first());
        ++expected;
    }
    if (expected != upTo + 1)
        return u"stopped at %1, wanted up to %2"_s.arg(expected - 1).arg(upTo);
    return {};
}

// An admin connection that publishes order_updates and collects the answers.
struct Publisher
{
    PushClient client;
    QList<qint64> seqs;
    QStringList errors;
    int sent = 0;

    explicit Publisher(const QUrl &url)
    {
        client.setUrl(url);
        QObject::connect(&client, &PushClient::replyReceived, &client,
                         [this](const QString &, const QString &type, const QJsonValue &data) {
                             if (type == u"published"_s)
                                 seqs.append(data.toObject().value(u"seq"_s).toInteger());
                         });
        QObject::connect(&client, &PushClient::errorReceived, &client,
                         [this](const QString &, const QString &code, const QString &) { errors.append(code); });
        client.open();
    }
    void publish(const QString &from)
    {
        if (!client.publish(Channel, QJsonObject {{u"from"_s, from}, {u"n"_s, ++sent}}).isEmpty())
            return;
        --sent;
    }
    int answered() const { return int(seqs.size() + errors.size()); }
};

} // namespace

class tst_Cluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void threeNodesEveryMessageExactlyOnce();
    void resumeOnAnotherNodeAndAfterEveryNodeRestarted();
    void killedNodeClientsFailOverWithoutGap();
    void redisKilledAndBackEmpty();
    void redisUnreachableAtStart();
    void resumeAheadOfALaggingNode();

private:
    bool startCluster(const QString &node3Extra = {});
    bool startNodeOnFreePort(int index, const QString &redisUrl, const QString &nodeId, const QString &extraYaml);
    bool restartNode(int index);
    int restPublish(int nodeIndex, const QJsonObject &payload, QByteArray *body = nullptr);
    QJsonObject fetch(int nodeIndex, const QByteArray &path, int *status = nullptr);

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<Node> m_nodes[3];
    std::unique_ptr<HaProxy> m_haproxy;
    int m_ports[3] {};
    QNetworkAccessManager m_http;
};

void tst_Cluster::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(freePort()), "redis-server did not start");
}

void tst_Cluster::cleanup()
{
    m_haproxy.reset();
    for (auto &node : m_nodes) {
        if (node && QTest::currentTestFailed())
            qWarning().noquote() << "node log:\n" << QString::fromUtf8(node->output().right(3000));
        node.reset();
    }
    m_redis.reset();
}

bool tst_Cluster::startCluster(const QString &node3Extra)
{
    for (int i = 0; i < 3; ++i) {
        if (!startNodeOnFreePort(i, m_redis->url(), u"node%1"_s.arg(i + 1), i == 2 ? node3Extra : QString())) {
            qWarning().noquote() << m_nodes[i]->output();
            return false;
        }
    }
    // Every node connected to Redis before anyone publishes.
    for (int i = 0; i < 3; ++i) {
        if (!QTest::qWaitFor([&] { return fetch(i, "/healthz").value(u"status"_s) == u"ok"_s; }, Slow))
            return false;
    }
    // Its port, too, can be taken between freePort() and the bind (the fresh
    // root saw haproxy exit with "Address already in use"): another one then.
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_haproxy = std::make_unique<HaProxy>();
        if (m_haproxy->start(QStringLiteral(QUANTPUSH_HAPROXY_CONFIG), freePort(), {m_ports[0], m_ports[1], m_ports[2]}))
            return true;
        qWarning().noquote() << m_haproxy->output();
    }
    return false;
}

// A port found free can be taken by another test before the node binds it
// (the suite runs in parallel): try another one then, rather than fail.
bool tst_Cluster::startNodeOnFreePort(int index, const QString &redisUrl, const QString &nodeId,
                                      const QString &extraYaml)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_ports[index] = freePort();
        m_nodes[index] = std::make_unique<Node>();
        if (m_nodes[index]->start(QStringLiteral(QUANTPUSH_SERVER_BINARY), m_ports[index], redisUrl, nodeId,
                                  extraYaml))
            return true;
        if (!m_nodes[index]->output().contains("already in use"))
            return false;
    }
    return false;
}

bool tst_Cluster::restartNode(int index)
{
    m_nodes[index] = std::make_unique<Node>();
    return m_nodes[index]->start(QStringLiteral(QUANTPUSH_SERVER_BINARY), m_ports[index], m_redis->url(),
                                 u"node%1"_s.arg(index + 1))
        && QTest::qWaitFor([&] { return fetch(index, "/healthz").value(u"status"_s) == u"ok"_s; }, Slow);
}

QJsonObject tst_Cluster::fetch(int nodeIndex, const QByteArray &path, int *status)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_ports[nodeIndex]).arg(QString::fromLatin1(path))));
    QNetworkReply *reply = m_http.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(5000);
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return body;
}

int tst_Cluster::restPublish(int nodeIndex, const QJsonObject &payload, QByteArray *body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/websocket/broadcast"_s.arg(m_ports[nodeIndex])));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = m_http.post(
        request, QJsonDocument(QJsonObject {{u"type"_s, Channel}, {u"payload"_s, payload}}).toJson());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (body)
        *body = reply->readAll();
    reply->deleteLater();
    return status;
}

void tst_Cluster::threeNodesEveryMessageExactlyOnce()
{
    // Node 3 runs the demo feed, which publishes order updates too.
    QVERIFY(startCluster(u"demo:\n  enabled: true\n  order_interval_ms: 50\n"_s));
    // Through haproxy, round robin: one subscriber lands on each node.
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < 3; ++i) {
        subscribers.push_back(std::make_unique<Subscriber>(QList<QUrl> {m_haproxy->wsUrl()}));
        QTRY_VERIFY_WITH_TIMEOUT(subscribers.back()->subscribedSeq >= 0, Slow);
    }
    // The cluster view: three nodes alive, one subscriber on each.
    Publisher admin(m_nodes[0]->wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(admin.client.state(), PushClient::State::Connected, Slow);
    QJsonObject broker;
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            broker = fetch(1, "/websocket/stats").value(u"broker"_s).toObject();
            if (broker.value(u"nodes_alive"_s).toInt() != 3 || broker.value(u"node_id"_s) != u"node2"_s)
                return false;
            int withSubscriber = 0;
            for (const QJsonValue &node : broker.value(u"nodes"_s).toArray())
                withSubscriber += node.toObject().value(u"connections"_s).toInt() >= 1 ? 1 : 0;
            return withSubscriber == 3;
        }(),
        QJsonDocument(broker).toJson().constData(), Slow);
    // Each node's heartbeat age, by node 2's clock: what the console shows.
    // A node is listed while its key lives (3 beats of 1 s), and the list is
    // re-read every beat; 10 s leaves room for a slow machine.
    for (const QJsonValue &node : broker.value(u"nodes"_s).toArray()) {
        const QJsonValue age = node.toObject().value(u"beat_age_ms"_s);
        QVERIFY2(age.isDouble() && age.toDouble() >= 0 && age.toDouble() < 10000,
                 QJsonDocument(broker).toJson().constData());
    }
    QVERIFY(broker.value(u"available"_s).toBool());
    QVERIFY(!broker.contains(u"unavailable_reason"_s));

    QList<qint64> restSeqs;
    for (int i = 0; i < 20; ++i) {
        admin.publish(u"admin"_s);
        QByteArray body;
        QCOMPARE(restPublish(1, QJsonObject {{u"from"_s, u"rest"_s}, {u"n"_s, i}}, &body), 200);
        restSeqs.append(QJsonDocument::fromJson(body).object().value(u"seq"_s).toInteger());
    }
    QTRY_COMPARE_WITH_TIMEOUT(admin.answered(), 20, Slow);
    QVERIFY2(admin.errors.isEmpty(), qPrintable(admin.errors.join(u',')));
    const qint64 top = std::max(*std::max_element(admin.seqs.cbegin(), admin.seqs.cend()),
                                *std::max_element(restSeqs.cbegin(), restSeqs.cend()));
    for (const auto &subscriber : subscribers) {
        QTRY_VERIFY_WITH_TIMEOUT(subscriber->last() >= top, Slow);
        const QString problem = contiguityProblem(*subscriber, top);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (qint64 seq : admin.seqs + restSeqs)
            QVERIFY(subscriber->has(seq));
        QCOMPARE(subscriber->duplicates, 0);
        QCOMPARE(subscriber->gapsDetected, 0);
        QVERIFY(subscriber->gapNotices.isEmpty());
    }
    // The demo feed's order updates are among them: 40 published by hand,
    // the rest of the range came from node 3.
    const qint64 range = top - subscribers.front()->subscribedSeq;
    QVERIFY2(range > 40, qPrintable(u"range %1"_s.arg(range)));
}

void tst_Cluster::resumeOnAnotherNodeAndAfterEveryNodeRestarted()
{
    QVERIFY(startCluster());
    Subscriber subscriber({m_nodes[0]->wsUrl()});
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.subscribedSeq >= 0, Slow);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(restPublish(1, QJsonObject {{u"n"_s, i}}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.seqs.size(), 5, Slow);

    // Cut: published while the client is away, resumed on node 3.
    subscriber.client.close();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(restPublish(1, QJsonObject {{u"n"_s, 5 + i}}), 200);
    subscriber.client.setUrls({m_nodes[2]->wsUrl()});
    subscriber.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.seqs.size(), 10, Slow);
    QCOMPARE(subscriber.recovered.last(), true);

    // Away again, and every node restarts: the history is in Redis only.
    subscriber.client.close();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(restPublish(0, QJsonObject {{u"n"_s, 10 + i}}), 200);
    for (int i = 0; i < 3; ++i)
        m_nodes[i]->terminate();
    for (int i = 0; i < 3; ++i)
        QVERIFY(restartNode(i));
    subscriber.client.setUrls({m_nodes[1]->wsUrl()});
    subscriber.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.seqs.size(), 15, Slow);
    QCOMPARE(subscriber.recovered.last(), true);
    const QString problem = contiguityProblem(subscriber, subscriber.seqs.last());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(subscriber.duplicates, 0);
    QCOMPARE(subscriber.gapsDetected, 0);
}

void tst_Cluster::killedNodeClientsFailOverWithoutGap()
{
    QVERIFY(startCluster());
    // One client through haproxy and one with the node list; both start on node 3.
    Subscriber viaList({m_nodes[2]->wsUrl(), m_nodes[0]->wsUrl(), m_nodes[1]->wsUrl()});
    QTRY_VERIFY_WITH_TIMEOUT(viaList.subscribedSeq >= 0, Slow);
    std::vector<std::unique_ptr<Subscriber>> balanced;
    for (int i = 0; i < 3; ++i) {
        balanced.push_back(std::make_unique<Subscriber>(QList<QUrl> {m_haproxy->wsUrl()}));
        QTRY_VERIFY_WITH_TIMEOUT(balanced.back()->subscribedSeq >= 0, Slow);
    }
    Publisher admin(m_nodes[0]->wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(admin.client.state(), PushClient::State::Connected, Slow);
    QTimer steady;
    connect(&steady, &QTimer::timeout, &admin.client, [&admin] { admin.publish(u"steady"_s); });
    steady.start(30); // under the default inbound limit of 50 frames/s
    QTRY_VERIFY_WITH_TIMEOUT(admin.seqs.size() >= 50, Slow);

    m_nodes[2]->kill9();
    QTRY_VERIFY_WITH_TIMEOUT(admin.seqs.size() >= 150, Slow);
    steady.stop();
    QTRY_COMPARE_WITH_TIMEOUT(admin.answered(), admin.sent, Slow);
    QVERIFY2(admin.errors.isEmpty(), qPrintable(admin.errors.join(u',')));
    const qint64 top = admin.seqs.last();
    QList<Subscriber *> all {&viaList};
    for (const auto &subscriber : balanced)
        all.append(subscriber.get());
    for (Subscriber *subscriber : all) {
        QTRY_VERIFY_WITH_TIMEOUT(subscriber->last() >= top, Slow);
        const QString problem = contiguityProblem(*subscriber, top);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(subscriber->duplicates, 0);
        QVERIFY(subscriber->gapNotices.isEmpty());
    }
    // The listed client moved to the next node and resumed there.
    QCOMPARE(viaList.client.url(), m_nodes[0]->wsUrl());
    QCOMPARE(viaList.recovered.size(), 2);
    QCOMPARE(viaList.recovered.last(), true);
}

void tst_Cluster::redisKilledAndBackEmpty()
{
    QVERIFY(startCluster());
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < 3; ++i) {
        subscribers.push_back(std::make_unique<Subscriber>(QList<QUrl> {m_nodes[i]->wsUrl()}));
        QTRY_VERIFY_WITH_TIMEOUT(subscribers.back()->subscribedSeq >= 0, Slow);
    }
    Publisher admin(m_nodes[0]->wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(admin.client.state(), PushClient::State::Connected, Slow);
    QTimer steady;
    connect(&steady, &QTimer::timeout, &admin.client, [&admin] { admin.publish(u"steady"_s); });
    steady.start(30); // under the default inbound limit of 50 frames/s
    QTRY_VERIFY_WITH_TIMEOUT(admin.seqs.size() >= 50, Slow);

    const int redisPort = m_redis->port();
    m_redis->kill9();
    QTRY_VERIFY_WITH_TIMEOUT(admin.errors.contains(u"broker_unavailable"_s), Slow);
    const qint64 beforeOutage = *std::max_element(admin.seqs.cbegin(), admin.seqs.cend());
    // Degraded, and REST refuses with 503 instead of publishing on one node.
    QTRY_COMPARE_WITH_TIMEOUT(fetch(1, "/healthz").value(u"status"_s).toString(), u"degraded"_s, Slow);
    QByteArray body;
    QCOMPARE(restPublish(1, QJsonObject {{u"n"_s, 1}}, &body), 503);
    QVERIFY2(body.contains("broker_unavailable"), body.constData());
    // The stats say so too (the console's node table turns red with the reason).
    const QJsonObject lostBroker = fetch(1, "/websocket/stats").value(u"broker"_s).toObject();
    QVERIFY2(!lostBroker.value(u"available"_s).toBool(true)
                 && !lostBroker.value(u"unavailable_reason"_s).toString().isEmpty(),
             QJsonDocument(lostBroker).toJson().constData());

    // Back, empty.
    m_redis = std::make_unique<RedisServer>();
    QVERIFY(m_redis->start(redisPort));
    for (int i = 0; i < 3; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(fetch(i, "/healthz").value(u"status"_s).toString(), u"ok"_s, Slow);
    const int acceptedBefore = int(admin.seqs.size());
    QTRY_VERIFY_WITH_TIMEOUT(admin.seqs.size() >= acceptedBefore + 50, Slow);
    steady.stop();
    QTRY_COMPARE_WITH_TIMEOUT(admin.answered(), admin.sent, Slow);

    // Never backwards, never reused.
    QList<qint64> sorted = admin.seqs;
    std::sort(sorted.begin(), sorted.end());
    QVERIFY(std::adjacent_find(sorted.cbegin(), sorted.cend()) == sorted.cend());
    QVERIFY(admin.seqs.last() > beforeOutage);
    for (qsizetype i = 1; i < admin.seqs.size(); ++i)
        QVERIFY2(admin.seqs.at(i) > admin.seqs.at(i - 1), "published seqs go forward");

    // Every subscriber has each seq, or was told it is gone.
    const qint64 top = admin.seqs.last();
    for (const auto &subscriber : subscribers) {
        QTRY_VERIFY_WITH_TIMEOUT(subscriber->last() >= top, Slow);
        QCOMPARE(subscriber->duplicates, 0);
        for (qint64 seq = subscriber->subscribedSeq + 1; seq <= top; ++seq) {
            const bool noticed = std::any_of(subscriber->gapNotices.cbegin(), subscriber->gapNotices.cend(),
                                             [seq](const auto &gap) { return gap.first <= seq && seq <= gap.second; });
            QVERIFY2(subscriber->has(seq) || noticed, qPrintable(u"seq %1 silently missing"_s.arg(seq)));
        }
    }
}

void tst_Cluster::redisUnreachableAtStart()
{
    const int port = m_redis->port();
    m_redis->kill9();
    Node refused;
    QVERIFY(!refused.start(QStringLiteral(QUANTPUSH_SERVER_BINARY), freePort(),
                           u"redis://127.0.0.1:%1/0"_s.arg(port), u"lonely"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!refused.isRunning(), Slow);
    const QByteArray log = refused.output();
    QVERIFY2(log.contains("broker.url: Redis at redis://127.0.0.1:") && log.contains("unreachable"), log.constData());

    QVERIFY(startNodeOnFreePort(0, u"redis://127.0.0.1:%1/0"_s.arg(port), u"alone"_s,
                                u"  start_without_redis: true\n"_s));
    QVERIFY2(m_nodes[0]->output().contains("SINGLE NODE"), m_nodes[0]->output().constData());
    const QJsonObject health = fetch(0, "/healthz");
    QCOMPARE(health.value(u"status"_s).toString(), u"degraded"_s);
    QVERIFY(health.value(u"broker"_s).toString().startsWith(u"single node"_s));
    QCOMPARE(restPublish(0, QJsonObject {{u"n"_s, 1}}), 200);
}

// A client fails over to a node that has not yet received, through pub/sub,
// the last message the client saw. Simulated exactly: the cluster's counter
// moves past what every node has (as a publish in flight does) without the
// message reaching them. The resume is complete (`recovered: true`, nothing
// after `since` is lost), and the next message is the first one delivered.
void tst_Cluster::resumeAheadOfALaggingNode()
{
    QVERIFY(startCluster());
    Subscriber subscriber({m_nodes[0]->wsUrl()});
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.subscribedSeq >= 0, Slow);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(restPublish(1, QJsonObject {{u"n"_s, i}}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.seqs.size(), 3, Slow);
    QProcess incr;
    incr.start(u"redis-cli"_s, {u"-p"_s, QString::number(m_redis->port()), u"INCR"_s,
                                u"quantpush:seq:"_s + Channel});
    QVERIFY(incr.waitForFinished(10000));
    const qint64 inFlight = incr.readAllStandardOutput().trimmed().toLongLong();
    QCOMPARE(inFlight, subscriber.seqs.last() + 1);

    // The client saw the message in flight on the node it came from, and
    // resumes from it on node 3, which has not.
    QWebSocket resumed;
    QList<QJsonObject> frames;
    connect(&resumed, &QWebSocket::textMessageReceived, &resumed, [&frames](const QString &text) {
        frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    resumed.open(m_nodes[2]->wsUrl());
    QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty(), Slow); // welcome
    resumed.sendTextMessage(QString::fromUtf8(QJsonDocument(QJsonObject {
        {u"type"_s, u"subscribe"_s}, {u"id"_s, u"r1"_s},
        {u"data"_s, QJsonObject {{u"type"_s, Channel}, {u"since"_s, inFlight}}}}).toJson(QJsonDocument::Compact)));
    auto framesOfType = [&frames](const QString &type) {
        QList<QJsonObject> found;
        for (const QJsonObject &frame : frames)
            if (frame.value(u"type"_s).toString() == type)
                found.append(frame);
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(framesOfType(u"subscribed"_s).size(), 1, Slow);
    const QJsonObject subscribed = framesOfType(u"subscribed"_s).first().value(u"data"_s).toObject();
    QCOMPARE(subscribed.value(u"recovered"_s).toBool(), true);
    QCOMPARE(subscribed.value(u"seq"_s).toInteger(), inFlight);

    QCOMPARE(restPublish(1, QJsonObject {{u"n"_s, 3}}), 200);
    auto pushes = [&frames] {
        QList<qint64> seqs;
        for (const QJsonObject &frame : frames)
            if (frame.value(u"channel"_s).toString() == Channel && frame.contains(u"seq"_s))
                seqs.append(frame.value(u"seq"_s).toInteger());
        return seqs;
    };
    QTRY_COMPARE_WITH_TIMEOUT(pushes().size(), 1, Slow);
    QCOMPARE(pushes().first(), inFlight + 1);
    QVERIFY(framesOfType(u"gap"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"
