// The session write path (server/core/FrameBatch, SessionFlusher): frames a
// session is handed during one loop turn are written at the turn's end with
// one sendmsg straight to the descriptor while the transport's own buffer is
// empty; what the kernel does not take goes to the transport's buffer. These
// tests check what must survive that: replies and pushes in the order they
// were handed over, every seq exactly once after the kernel's buffer filled
// up and drained, the byte budget counting what the batch holds, a peer that
// resets mid-write (no SIGPIPE, no crash, closed), and a bystander on the
// same server that sees every seq throughout. Every test runs over both
// transports: ours on a bare descriptor (FdTransport, what nearly every
// connection gets) and Qt's socket (QtSocketTransport).

#include "DeliveryKit.h"

#include "Clock.h"
#include "Metrics.h"
#include "Session.h"
#include "FrontDoor.h"
#include "SessionFlusher.h"
#include "protocol/Message.h"
#include "ws/FdTransport.h"
#include "ws/QtSocketTransport.h"
#include "ws/WsConnection.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QScopeGuard>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <array>
#include <functional>

#include <sys/socket.h>
#include <unistd.h>

using namespace QuantPush;
using namespace DeliveryKit;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr auto Channel = SubscriptionType::StrategyStatus;

OutboundFrame pushFrame(qint64 seq, int padding = 0)
{
    QJsonObject data {{u"n"_s, seq}};
    if (padding > 0)
        data.insert(u"pad"_s, QString(padding, u'x'));
    OutboundFrame frame;
    frame.wire = TextFrame::fromUtf8(Message::push(Channel, seq, nowMicroseconds(), data).serialize());
    frame.channel = Channel;
    frame.firstSeq = frame.lastSeq = seq;
    frame.publishedAtUs = nowMicroseconds();
    frame.slowPolicy = SlowConsumerPolicy::Gap;
    return frame;
}

Message pongReply(int id)
{
    return Message::reply(MessageType::Pong, QJsonValue(id));
}

// What a client read, one token per frame: "p<seq>" for a push, "r<id>"
// for a reply, "e<id>" for an error, "g<from>-<to>" for a gap notice.
QStringList tokens(const QList<QJsonObject> &messages)
{
    QStringList list;
    for (const QJsonObject &message : messages) {
        const QString type = message.value(u"type"_s).toString();
        if (type == u"pong"_s)
            list.append(u"r%1"_s.arg(message.value(u"id"_s).toInt()));
        else if (type == u"error"_s)
            list.append(u"e%1"_s.arg(message.value(u"id"_s).toInt()));
        else if (type == u"gap"_s)
            list.append(u"g%1-%2"_s.arg(message.value(u"data"_s).toObject().value(u"from"_s).toInteger())
                            .arg(message.value(u"data"_s).toObject().value(u"to"_s).toInteger()));
        else
            list.append(u"p%1"_s.arg(message.value(u"seq"_s).toInteger()));
    }
    return list;
}

// Set per global data row (init()): whether the rig gives its sessions our
// descriptor transport or Qt's socket.
bool g_fdTransport = true;

// A TCP server that hands over bare descriptors, as the front door does.
class DescriptorServer : public QTcpServer
{
public:
    std::function<void(qintptr)> onDescriptor;

protected:
    void incomingConnection(qintptr descriptor) override { onDescriptor(descriptor); }
};

// A TCP server that upgrades each connection (WsConnection, as SessionHost
// does) and turns it into a Session of the server core, so that a test can
// hand it frames and replies directly and look at its batch.
class SessionRig : public QObject
{
public:
    explicit SessionRig(const SessionLimits &limits) : m_limits(limits)
    {
        m_tcp.onDescriptor = [this](qintptr descriptor) {
            if (!g_fdTransport) {
                auto *socket = new QTcpSocket(this);
                socket->setSocketDescriptor(descriptor);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { upgradeSocket(socket); });
                return;
            }
            auto *notifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
            connect(notifier, &QSocketNotifier::activated, this, [this, notifier, descriptor] {
                upgradeDescriptor(notifier, int(descriptor));
            });
        };
        m_tcp.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_tcp.serverPort(); }

    Metrics metrics;
    QList<QPointer<Session>> sessions;

private:
    void upgradeSocket(QTcpSocket *socket)
    {
        const QByteArray peeked = socket->peek(16 * 1024);
        const qsizetype end = peeked.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        upgrade(new QtSocketTransport(socket, 0), peeked.left(end), end + 4);
    }

    // As SessionHost::upgradeDescriptor: the head is read off the kernel,
    // and the descriptor becomes an FdTransport.
    void upgradeDescriptor(QSocketNotifier *notifier, int fd)
    {
        QByteArray peeked(16 * 1024, Qt::Uninitialized);
        const ssize_t got = ::recv(fd, peeked.data(), std::size_t(peeked.size()), MSG_PEEK | MSG_DONTWAIT);
        const qsizetype end = got > 0 ? QByteArrayView(peeked.constData(), got).indexOf("\r\n\r\n") : -1;
        if (end < 0)
            return;
        delete notifier;
        QVERIFY(::recv(fd, peeked.data(), std::size_t(end + 4), MSG_DONTWAIT) == end + 4);
        upgrade(new FdTransport(fd), peeked.left(end), 0);
    }

    void upgrade(Transport *transport, const QByteArray &headBytes, qsizetype headSize)
    {
        const auto head = FrontDoor::parseHead(headBytes);
        QVERIFY(head);
        auto *connection = new WsConnection(transport, head->target, head->headers, headSize, this);
        QVERIFY(connection->accept(head->method, "writepath", nullptr));
        auto *session = new Session(SessionId(sessions.size() + 1), connection, m_limits, &metrics, this);
        Identity identity;
        identity.user = u"tester"_s;
        identity.role = u"trader"_s;
        session->setIdentity(identity);
        connection->forgetRequest();
        connection->start();
        sessions.append(session);
    }

    DescriptorServer m_tcp;
    SessionLimits m_limits;
};

SessionLimits roomyLimits()
{
    SessionLimits limits;
    limits.queueSize = 100000;
    limits.maxPendingBytes = 64 << 20;
    return limits;
}

// Opens a client on the rig and waits for its session.
bool openClient(SessionRig &rig, RawWebSocket &client, int receiveBufferBytes = 0)
{
    const int before = int(rig.sessions.size());
    client.open(rig.port(), receiveBufferBytes);
    return QTest::qWaitFor([&] { return client.isUpgraded() || rig.sessions.size() > before; }, 10000)
        && QTest::qWaitFor([&] { return rig.sessions.size() > before; }, 10000);
}

// The kernel gets a reset instead of a FIN: linger on, zero seconds.
void resetOnClose(QTcpSocket *socket)
{
    linger option {1, 0};
    ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &option, sizeof option);
}

} // namespace

class TestWritePath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void init();
    void repliesStayInOrderWithPushes();
    void kernelFullThenResumed();
    void budgetCountsTheBatch();
    void peerResetMidWrite();
    void serverSlowReaderAndResetPeerBesideBystander();
    void sessionDeletedBeforeItsFlush();
    void pacedPushesWaitRepliesDoNot();
};

void TestWritePath::initTestCase_data()
{
    QTest::addColumn<bool>("fdTransport");
    QTest::newRow("fd") << true;
    QTest::newRow("qt-socket") << false;
}

void TestWritePath::init()
{
    QFETCH_GLOBAL(bool, fdTransport);
    g_fdTransport = fdTransport;
}

void TestWritePath::repliesStayInOrderWithPushes()
{
    SessionRig rig(roomyLimits());
    RawWebSocket client;
    QVERIFY(openClient(rig, client));
    Session *session = rig.sessions.first();
    QVERIFY(session->writesDirect());

    QStringList expected;
    for (int seq = 1; seq <= 300; ++seq) {
        session->sendFrame(pushFrame(seq));
        expected.append(u"p%1"_s.arg(seq));
        if (seq % 7 == 0) {
            session->sendMessage(pongReply(seq));
            expected.append(u"r%1"_s.arg(seq));
        }
        if (seq % 41 == 0) {
            session->sendError(ErrorCode::BadRequest, u"bad"_s, QJsonValue(seq));
            expected.append(u"e%1"_s.arg(seq));
        }
        if (seq == 10) {
            // Still the same turn: the batch holds them, and counts them.
            QVERIFY(session->batch().frames() > 1);
            QCOMPARE(session->bufferedBytes(), session->batch().bytes() + session->socket()->bytesToWrite());
            QVERIFY(!session->isDrained());
        }
        if (seq % 50 == 0)
            QCoreApplication::processEvents(); // a turn ends: the batch goes out
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.messages().size(), expected.size(), 20000);
    QCOMPARE(tokens(client.messages()), expected);
    QVERIFY(session->batch().bytesWrittenDirect() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(session->isDrained(), 10000);
    QCOMPARE(session->messagesOut(), quint64(300));
}

void TestWritePath::kernelFullThenResumed()
{
    SessionRig rig(roomyLimits());
    RawWebSocket client;
    QVERIFY(openClient(rig, client));
    client.pauseReading(4096);
    Session *session = rig.sessions.first();

    // Bursts of big frames, a turn each, until the kernel stops taking them
    // and Qt's buffer is in use (at most 80 MB: the budget is 64 MiB).
    QStringList expected;
    qint64 seq = 0;
    int replies = 0;
    const auto burst = [&](int frames) {
        for (int i = 0; i < frames; ++i) {
            session->sendFrame(pushFrame(++seq, 2000));
            expected.append(u"p%1"_s.arg(seq));
        }
        session->sendMessage(pongReply(++replies));
        expected.append(u"r%1"_s.arg(replies));
        QCoreApplication::processEvents();
    };
    while (session->batch().bytesHandedToSocket() == 0 && seq < 40000)
        burst(50);
    QVERIFY2(session->batch().bytesHandedToSocket() > 0, "the kernel never refused a write");
    QVERIFY(session->socket()->bytesToWrite() > 0);
    const qint64 directBefore = session->batch().bytesWrittenDirect();
    // More while Qt's buffer holds bytes: they wait behind them, never go
    // around them, and stay shared frames in the batch rather than copies in
    // Qt's buffer (which holds at most the frame the kernel stopped in).
    const qint64 frameBytes = pushFrame(1, 2000).wire.bytes().size();
    for (int i = 0; i < 10; ++i)
        burst(20);
    QVERIFY(session->batch().frames() >= 200);
    QVERIFY2(session->socket()->bytesToWrite() <= 2 * frameBytes,
             qPrintable(QString::number(session->socket()->bytesToWrite())));
    QCOMPARE(session->queuedFrames(), 0);

    client.resumeReading();
    QTRY_COMPARE_WITH_TIMEOUT(client.messages().size(), expected.size(), 60000);
    QCOMPARE(tokens(client.messages()), expected);
    QTRY_VERIFY_WITH_TIMEOUT(session->isDrained(), 10000);

    // Qt's buffer is empty again: the next frames go straight to the kernel.
    burst(5);
    QTRY_COMPARE_WITH_TIMEOUT(client.messages().size(), expected.size(), 20000);
    QCOMPARE(tokens(client.messages()), expected);
    QVERIFY(session->batch().bytesWrittenDirect() > directBefore);
}

void TestWritePath::budgetCountsTheBatch()
{
    SessionLimits limits;
    limits.queueSize = 8;
    limits.maxPendingBytes = 16 * 1024;
    SessionRig rig(limits);
    RawWebSocket client;
    QVERIFY(openClient(rig, client));
    Session *session = rig.sessions.first();

    // One turn, nothing written yet: the batch alone reaches the budget,
    // then the queue fills, then the rest is dropped and owed as a gap.
    const int frameBytes = int(pushFrame(1, 1000).wire.bytes().size());
    for (int seq = 1; seq <= 100; ++seq)
        session->sendFrame(pushFrame(seq, 1000));
    QCOMPARE(session->socket()->bytesToWrite(), 0);
    QVERIFY2(session->bufferedBytes() <= limits.maxPendingBytes + frameBytes,
             qPrintable(QString::number(session->bufferedBytes())));
    QVERIFY(session->bufferedBytes() >= limits.maxPendingBytes);
    QCOMPARE(session->queuedFrames(), limits.queueSize);

    // What arrives: the held and queued pushes in order, then a gap notice
    // for the rest.
    QTRY_VERIFY_WITH_TIMEOUT(!client.messagesOfType(u"gap"_s).isEmpty(), 20000);
    const QStringList got = tokens(client.messages());
    const qint64 delivered = got.size() - 1;
    QStringList expected;
    for (qint64 seq = 1; seq <= delivered; ++seq)
        expected.append(u"p%1"_s.arg(seq));
    expected.append(u"g%1-100"_s.arg(delivered + 1));
    QCOMPARE(got, expected);
    QVERIFY(delivered < 100);
}

void TestWritePath::peerResetMidWrite()
{
    SessionRig rig(roomyLimits());
    RawWebSocket victim;
    QVERIFY(openClient(rig, victim));
    RawWebSocket bystander;
    QVERIFY(openClient(rig, bystander));
    QPointer<Session> victimSession = rig.sessions.at(0);
    Session *bystanderSession = rig.sessions.at(1);
    QSignalSpy closed(victimSession.data(), &Session::closed);

    QStringList expected;
    qint64 seq = 0;
    const auto pushToBoth = [&] {
        ++seq;
        victimSession->sendFrame(pushFrame(seq, 500));
        bystanderSession->sendFrame(pushFrame(seq, 500));
        expected.append(u"p%1"_s.arg(seq));
    };
    for (int i = 0; i < 20; ++i)
        pushToBoth();
    QCoreApplication::processEvents();

    // The peer resets. Without going round the loop (Qt has not read the
    // reset yet), the next flushes write into it: the kernel answers
    // ECONNRESET, then EPIPE, which must not raise SIGPIPE.
    resetOnClose(victim.socket());
    victim.socket()->abort();
    QElapsedTimer waited;
    waited.start();
    while (victimSession->batch().writeErrors() == 0 && waited.elapsed() < 10000) {
        pushToBoth();
        SessionFlusher::forCurrentThread()->flushAll();
        QThread::yieldCurrentThread();
    }
    QVERIFY2(victimSession->batch().writeErrors() > 0, "no direct write failed after the reset");
    for (int i = 0; i < 5; ++i) {
        pushToBoth();
        SessionFlusher::forCurrentThread()->flushAll();
    }

    // Qt notices and closes; the bystander got everything, in order.
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 20000);
    for (int i = 0; i < 20; ++i)
        bystanderSession->sendFrame(pushFrame(++seq, 500)), expected.append(u"p%1"_s.arg(seq));
    QTRY_COMPARE_WITH_TIMEOUT(bystander.messages().size(), expected.size(), 20000);
    QCOMPARE(tokens(bystander.messages()), expected);
}

void TestWritePath::serverSlowReaderAndResetPeerBesideBystander()
{
    ServerConfig config = testConfig();
    config.websocket.messageQueueSize = 100000;
    config.limits.maxPendingBytes = 64 << 20;
    QString error;
    const auto server = startServer(config, &error);
    QVERIFY2(server, qPrintable(error));

    PushClient bystander;
    bystander.setUrl(wsUrl(server->port()));
    ClientRecorder record(&bystander);
    bystander.subscribe(wireName(Channel));
    bystander.open();
    QTRY_COMPARE_WITH_TIMEOUT(record.subscribed.size(), 1, 10000);

    const auto subscribe = [&](RawWebSocket &client, int receiveBufferBytes) {
        client.open(server->port(), receiveBufferBytes);
        if (!QTest::qWaitFor([&] { return client.messagesOfType(u"welcome"_s).size() == 1; }, 10000))
            return false;
        client.sendJson(QJsonObject {{u"type"_s, u"subscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, wireName(Channel)}}}});
        return QTest::qWaitFor([&] { return client.messagesOfType(u"subscribed"_s).size() == 1; }, 10000);
    };
    RawWebSocket slow;
    QVERIFY(subscribe(slow, 0));
    slow.pauseReading();
    RawWebSocket resetter;
    QVERIFY(subscribe(resetter, 0));
    resetter.pauseReading();

    // ~8 MB of pushes, 50 per tick: more than the kernel holds for a client
    // that does not read, so Qt's buffer takes over for both readers.
    Publisher publisher(server.get(), {Channel}, 1, 50, 2000);
    publisher.start();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.count() >= 2000, 60000);
    // The resetter goes away mid-stream with bytes unread: a reset.
    resetOnClose(resetter.socket());
    resetter.socket()->abort();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.count() >= 4000, 60000);
    publisher.stop();
    const qint64 last = publisher.last(Channel);
    QTRY_COMPARE_WITH_TIMEOUT(server->connectionsJson().size(), 2, 20000);

    // The bystander saw everything; the slow reader, once it reads, too:
    // every seq exactly once, in order, no gap notice.
    QTRY_COMPARE_WITH_TIMEOUT(bystander.lastSeq(wireName(Channel)), last, 30000);
    QCOMPARE(record.seqs.value(wireName(Channel)), range(1, last));
    QCOMPARE(record.gapsReported, QStringList());
    slow.resumeReading();
    QTRY_COMPARE_WITH_TIMEOUT(slow.messagesOfType(wireName(Channel)).size(), last, 60000);
    QList<qint64> seqs;
    for (const QJsonObject &message : slow.messagesOfType(wireName(Channel)))
        seqs.append(message.value(u"seq"_s).toInteger());
    QCOMPARE(seqs, range(1, last));
    QVERIFY(slow.messagesOfType(u"gap"_s).isEmpty());
    QVERIFY(!slow.isDisconnected());
}


// A session that goes away with a flush scheduled (SessionFlusher::cancel,
// from its destructor) is left out of the flush; the sessions scheduled
// before and after it are flushed, and the next turn starts empty.
void TestWritePath::sessionDeletedBeforeItsFlush()
{
    SessionRig rig(roomyLimits());
    std::array<RawWebSocket, 3> clients;
    for (RawWebSocket &client : clients)
        QVERIFY(openClient(rig, client));
    QCoreApplication::processEvents();
    SessionFlusher *flusher = SessionFlusher::forCurrentThread();
    QCOMPARE(flusher->scheduledSessions(), 0);

    // One turn: all three are handed a frame, then the middle one is deleted.
    for (const QPointer<Session> &session : std::as_const(rig.sessions))
        session->sendFrame(pushFrame(1));
    QCOMPARE(flusher->scheduledSessions(), 3);
    delete rig.sessions.at(1).data();
    QVERIFY(rig.sessions.at(1).isNull());
    flusher->flushAll();
    QCOMPARE(flusher->scheduledSessions(), 0);

    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(clients[2].messages().size(), 1, 10000);
    QCOMPARE(tokens(clients[0].messages()), QStringList {u"p1"_s});
    QCOMPARE(tokens(clients[2].messages()), QStringList {u"p1"_s});

    // The survivors are scheduled and flushed as before.
    rig.sessions.at(0)->sendFrame(pushFrame(2));
    rig.sessions.at(2)->sendFrame(pushFrame(2));
    QCOMPARE(flusher->scheduledSessions(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(clients[2].messages().size(), 2, 10000);
    QCOMPARE(flusher->scheduledSessions(), 0);
}

// While the thread waits for a CPU (FlushPacer engaged), pushes are
// gathered until the pacing interval has passed since the last flush; a
// session handed a reply is flushed at the end of the turn all the same,
// with the pushes it held ahead of the reply, and the other sessions keep
// theirs. The pacer reads a FakeClock and run-queue readings the test
// makes up (half of each window spent waiting).
void TestWritePath::pacedPushesWaitRepliesDoNot()
{
    SessionRig rig(roomyLimits());
    std::array<RawWebSocket, 2> clients;
    for (RawWebSocket &client : clients)
        QVERIFY(openClient(rig, client));
    QCoreApplication::processEvents();
    Session *gathered = rig.sessions.at(0);
    Session *answered = rig.sessions.at(1);

    FakeClock clock(1'000'000);
    qint64 waitedNs = 0;
    SessionFlusher *flusher = SessionFlusher::forCurrentThread();
    // A minute: the pace timer cannot fire while the test looks.
    flusher->setPacingIntervalMs(60'000);
    flusher->setPacingSources(&clock, [&waitedNs] { return std::optional<qint64>(waitedNs); });
    const auto restore = qScopeGuard([flusher] {
        flusher->setPacingIntervalMs(0);
        flusher->setPacingSources(nullptr, {});
    });

    // Not engaged yet: the first reading starts a window, the push goes this turn.
    gathered->sendFrame(pushFrame(1));
    QVERIFY(!flusher->pacer().engaged());
    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 1, 10000);

    // A window of 100 ms with 5 ms of waiting: still every turn.
    clock.advance(100);
    waitedNs += 5'000'000;
    gathered->sendFrame(pushFrame(2));
    QVERIFY(!flusher->pacer().engaged());
    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 2, 10000);
    // The next, half spent waiting: engaged.
    clock.advance(100);
    waitedNs += 50'000'000;
    gathered->sendFrame(pushFrame(3));
    answered->sendFrame(pushFrame(1));
    QVERIFY(flusher->pacer().engaged());
    QCOMPARE(flusher->scheduledSessions(), 2);

    // A reply to the second session: it goes this turn, behind its push.
    answered->sendMessage(pongReply(7));
    QTRY_COMPARE_WITH_TIMEOUT(clients[1].messages().size(), 2, 10000);
    QCOMPARE(tokens(clients[1].messages()), (QStringList {u"p1"_s, u"r7"_s}));
    QCOMPARE(answered->batch().frames(), 0);
    // The first session's push is still gathered.
    QCoreApplication::processEvents();
    QCOMPARE(gathered->batch().frames(), 1);
    QCOMPARE(clients[0].messages().size(), 2);
    QCOMPARE(flusher->scheduledSessions(), 1);

    // More pushes join it; the paced flush (what the timer runs) sends them together.
    gathered->sendFrame(pushFrame(4));
    QCOMPARE(gathered->batch().frames(), 2);
    flusher->flushAll();
    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 4, 10000);
    QCOMPARE(tokens(clients[0].messages()), (QStringList {u"p1"_s, u"p2"_s, u"p3"_s, u"p4"_s}));
    QCOMPARE(flusher->scheduledSessions(), 0);

    // Pacing off (websocket.flush_pacing_ms 0): pushes go every turn again.
    flusher->setPacingIntervalMs(0);
    QVERIFY(!flusher->pacer().engaged());
    gathered->sendFrame(pushFrame(5));
    QTRY_COMPARE_WITH_TIMEOUT(clients[0].messages().size(), 5, 10000);
}

QTEST_GUILESS_MAIN(TestWritePath)
#include "tst_writepath.moc"
