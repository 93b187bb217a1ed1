// The epoll event dispatcher, installed as this test's main-thread
// dispatcher (see main() at the bottom) and in worker threads.
#include "eventloop/EpollEventDispatcher.h"
#include "eventloop/EventLoopChoice.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <functional>
#include <memory>

#include <sys/socket.h>
#include <unistd.h>

using namespace QuantPush;

namespace {

// A connected pair of local stream sockets, closed on destruction.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    void sendByte(int side = 1) const { QCOMPARE(::write(fds[side], "x", 1), ssize_t(1)); }
    void drain(int side = 0) const
    {
        char buffer[64];
        while (::read(fds[side], buffer, sizeof buffer) > 0) {
        }
    }
};

// Records the timer events it receives; optionally kills a timer on the first one.
class TimerTarget : public QObject
{
public:
    QList<int> fired;
    int killOnFire = 0;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        fired.append(event->timerId());
        if (killOnFire) {
            killTimer(killOnFire);
            killOnFire = 0;
        }
    }
};

// Waits for a fence timer: everything due before it has been dispatched
// by the time it fires, so "did not happen" is checked without a sleep.
void passFence(int ms = 50)
{
    bool fenced = false;
    QTimer::singleShot(ms, Qt::PreciseTimer, QCoreApplication::instance(), [&] { fenced = true; });
    QTRY_VERIFY_WITH_TIMEOUT(fenced, 30000);
}

// A worker thread with its own epoll dispatcher, idle (no timers, no
// sockets): only wakeUp() gets a call posted to its context through.
class IdleEpollWorker
{
public:
    IdleEpollWorker()
    {
        EventLoopChoice::installForThread(&m_thread, EventLoopKind::Epoll);
        m_thread.start();
        m_context.moveToThread(&m_thread);
    }
    ~IdleEpollWorker()
    {
        if (m_thread.isRunning())
            stop();
    }
    // Ours once the thread has started (poll with QTRY).
    EpollEventDispatcher *dispatcher() const { return qobject_cast<EpollEventDispatcher *>(m_thread.eventDispatcher()); }
    QThread &thread() { return m_thread; }
    QObject &context() { return m_context; }
    // Brings the context home and ends the thread; false if it did not end.
    bool stop()
    {
        QMetaObject::invokeMethod(&m_context, [this] { m_context.moveToThread(QCoreApplication::instance()->thread()); },
                                  Qt::BlockingQueuedConnection);
        m_thread.quit();
        return m_thread.wait(30000);
    }

private:
    QThread m_thread;
    QObject m_context;
};

EpollEventDispatcher *mainDispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

} // namespace

class TestEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void installedOnMainThread();
    void preciseTimerNeverEarly();
    void coarseTimerRepeats();
    void veryCoarseTimerIsWholeSeconds();
    void zeroIntervalTimerDoesNotStarve();
    void singleShotFiresOnce();
    void remainingTime();
    void registeredTimersAndUnregisterAll();
    void timerKilledByAnotherHandlerDoesNotFire();
    void readNotifier();
    void writeNotifierEnableDisable();
    void disabledReadNotifierStaysQuiet();
    void deleteOtherNotifierInHandler();
    void deleteOwnNotifierInHandler();
    void notifierOnReusedDescriptor();
    void postedEventsFromAnotherThread();
    void wakeUpWorkerThreadDispatcher();
    void postFromOwnThreadBeforeWaitIsNotLost();
    void interruptFromAnotherThread();
    void eventLoopExitFromAnotherThread();
    void tcpRoundTrip();
    void parseChoice();
};

void TestEventDispatcher::installedOnMainThread()
{
    QVERIFY(mainDispatcher());
}

void TestEventDispatcher::preciseTimerNeverEarly()
{
    QElapsedTimer clock;
    qint64 firedAfter = -1;
    clock.start();
    QTimer::singleShot(40, Qt::PreciseTimer, this, [&] { firedAfter = clock.elapsed(); });
    QTRY_VERIFY_WITH_TIMEOUT(firedAfter >= 0, 30000);
    QVERIFY2(firedAfter >= 40, qPrintable(QString::number(firedAfter)));
}

void TestEventDispatcher::coarseTimerRepeats()
{
    QTimer timer;
    timer.setTimerType(Qt::CoarseTimer);
    timer.setInterval(60);
    QElapsedTimer clock;
    QList<qint64> at;
    connect(&timer, &QTimer::timeout, this, [&] { at.append(clock.elapsed()); });
    clock.start();
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(at.size() >= 3, 30000);
    timer.stop();
    // Coarse: within 5 % of the interval, so never more than 5 % early.
    QVERIFY2(at[0] >= 57, qPrintable(QString::number(at[0])));
    for (qsizetype i = 1; i < at.size(); ++i)
        QVERIFY(at[i] > at[i - 1]);
    const auto timers = QAbstractEventDispatcher::instance()->registeredTimers(&timer);
    QVERIFY(timers.isEmpty());
}

void TestEventDispatcher::veryCoarseTimerIsWholeSeconds()
{
    TimerTarget target;
    // Qt turns a coarse timer of 20 s or more into a very coarse one.
    const int coarseLong = target.startTimer(25000, Qt::CoarseTimer);
    const int veryCoarse = target.startTimer(1400, Qt::VeryCoarseTimer);
    const auto timers = QAbstractEventDispatcher::instance()->registeredTimers(&target);
    QCOMPARE(timers.size(), 2);
    for (const auto &info : timers)
        QCOMPARE(info.timerType, Qt::VeryCoarseTimer);
    const int left = QAbstractEventDispatcher::instance()->remainingTime(veryCoarse);
    // 1.4 s rounds to 1 s, and the deadline lands on a whole second of the clock.
    QVERIFY2(left >= 500 && left <= 1500, qPrintable(QString::number(left)));
    QTRY_COMPARE_WITH_TIMEOUT(target.fired.size(), 1, 30000);
    QCOMPARE(target.fired.first(), veryCoarse);
    target.killTimer(coarseLong);
    target.killTimer(veryCoarse);
}

void TestEventDispatcher::zeroIntervalTimerDoesNotStarve()
{
    int zeroRuns = 0;
    bool otherFired = false;
    bool postedDelivered = false;
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    bool notified = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pair.drain();
        notified = true;
    });
    QTimer zero;
    zero.setInterval(0);
    connect(&zero, &QTimer::timeout, this, [&] { ++zeroRuns; });
    zero.start();
    QTimer::singleShot(20, this, [&] { otherFired = true; });
    QMetaObject::invokeMethod(this, [&] { postedDelivered = true; }, Qt::QueuedConnection);
    pair.sendByte();
    QTRY_VERIFY_WITH_TIMEOUT(otherFired && postedDelivered && notified, 30000);
    QVERIFY(zeroRuns > 1);
}

void TestEventDispatcher::singleShotFiresOnce()
{
    int count = 0;
    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, this, [&] { ++count; });
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(count, 1, 30000);
    passFence(60);
    QCOMPARE(count, 1);
    QVERIFY(!timer.isActive());
}

void TestEventDispatcher::remainingTime()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(10000);
    const int left = timer.remainingTime();
    QVERIFY2(left > 9000 && left <= 10000, qPrintable(QString::number(left)));
    const int id = timer.timerId();
    QVERIFY(QAbstractEventDispatcher::instance()->remainingTime(id) <= left);
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
    QCOMPARE(QAbstractEventDispatcher::instance()->remainingTime(id), -1);
}

void TestEventDispatcher::registeredTimersAndUnregisterAll()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    TimerTarget target;
    const int a = target.startTimer(5000, Qt::PreciseTimer);
    const int b = target.startTimer(7000, Qt::CoarseTimer);
    auto timers = dispatcher->registeredTimers(&target);
    QCOMPARE(timers.size(), 2);
    for (const auto &info : timers) {
        if (info.timerId == a) {
            QCOMPARE(info.interval, 5000);
            QCOMPARE(info.timerType, Qt::PreciseTimer);
        } else {
            QCOMPARE(info.timerId, b);
            QCOMPARE(info.interval, 7000);
            QCOMPARE(info.timerType, Qt::CoarseTimer);
        }
    }
    target.killTimer(a);
    QCOMPARE(dispatcher->registeredTimers(&target).size(), 1);
    QVERIFY(dispatcher->unregisterTimers(&target));
    QVERIFY(dispatcher->registeredTimers(&target).isEmpty());
    QVERIFY(!dispatcher->unregisterTimer(b));
    QAbstractEventDispatcher::instance()->unregisterTimers(&target);
}

void TestEventDispatcher::timerKilledByAnotherHandlerDoesNotFire()
{
    // Two timers due in the same turn: the first handler kills the second.
    TimerTarget target;
    const int first = target.startTimer(5, Qt::PreciseTimer);
    const int second = target.startTimer(5, Qt::PreciseTimer);
    target.killOnFire = second;
    QTRY_VERIFY_WITH_TIMEOUT(!target.fired.isEmpty(), 30000);
    passFence(40);
    QVERIFY(!target.fired.contains(second));
    QVERIFY(target.fired.count(first) >= 1);
    target.killTimer(first);
}

void TestEventDispatcher::readNotifier()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    connect(&notifier, &QSocketNotifier::activated, this, [&] { pair.drain(); });
    passFence(20);
    QCOMPARE(spy.size(), 0);
    pair.sendByte();
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
    QCOMPARE(spy.at(0).at(0).value<QSocketDescriptor>(), QSocketDescriptor(pair.fds[0]));
    QCOMPARE(spy.at(0).at(1).value<QSocketNotifier::Type>(), QSocketNotifier::Read);
    // Drained: level-triggered, so no activation until new data arrives.
    passFence(20);
    QCOMPARE(spy.size(), 1);
    pair.sendByte();
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 30000);
}

void TestEventDispatcher::writeNotifierEnableDisable()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Write);
    int count = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        if (++count >= 3)
            notifier.setEnabled(false); // from the 3rd on, each enable is worth one activation
    });
    QTRY_COMPARE_WITH_TIMEOUT(count, 3, 30000);
    passFence(30);
    QCOMPARE(count, 3);
    // A read and a write notifier on one descriptor: disabling the writer
    // keeps the reader registered.
    QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy readSpy(&reader, &QSocketNotifier::activated);
    connect(&reader, &QSocketNotifier::activated, this, [&] { pair.drain(); });
    notifier.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(count, 4, 30000);
    pair.sendByte();
    QTRY_COMPARE_WITH_TIMEOUT(readSpy.size(), 1, 30000);
    passFence(30);
    QCOMPARE(count, 4);
}

void TestEventDispatcher::disabledReadNotifierStaysQuiet()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    notifier.setEnabled(false);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    connect(&notifier, &QSocketNotifier::activated, this, [&] { pair.drain(); });
    pair.sendByte();
    passFence(30);
    QCOMPARE(spy.size(), 0);
    notifier.setEnabled(true);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
}

void TestEventDispatcher::deleteOtherNotifierInHandler()
{
    // Both descriptors become readable before the loop runs, so both are
    // ready in the same epoll turn; whichever runs first deletes the other.
    SocketPair a, b;
    auto *na = new QSocketNotifier(a.fds[0], QSocketNotifier::Read, this);
    auto *nb = new QSocketNotifier(b.fds[0], QSocketNotifier::Read, this);
    QPointer<QSocketNotifier> pa(na), pb(nb);
    int activations = 0;
    connect(na, &QSocketNotifier::activated, this, [&] {
        ++activations;
        a.drain();
        delete pb.data();
    });
    connect(nb, &QSocketNotifier::activated, this, [&] {
        ++activations;
        b.drain();
        delete pa.data();
    });
    a.sendByte();
    b.sendByte();
    QTRY_COMPARE_WITH_TIMEOUT(activations, 1, 30000);
    passFence(30);
    QCOMPARE(activations, 1);
    QVERIFY(pa.isNull() != pb.isNull());
    delete pa.data();
    delete pb.data();
}

void TestEventDispatcher::deleteOwnNotifierInHandler()
{
    SocketPair pair;
    auto *notifier = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, this);
    QPointer<QSocketNotifier> guard(notifier);
    int activations = 0;
    connect(notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        delete guard.data(); // data stays unread: a live registration would fire again
    });
    pair.sendByte();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 30000);
    passFence(30);
    QCOMPARE(activations, 1);
}

void TestEventDispatcher::notifierOnReusedDescriptor()
{
    // The descriptor is closed while its notifier is still enabled (epoll
    // forgets it), then the number is reused by a new socket.
    auto first = std::make_unique<SocketPair>();
    const int fd = first->fds[0];
    auto stale = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    ::close(first->fds[0]);
    first->fds[0] = -1;
    stale.reset(); // unregisters a descriptor epoll no longer has: no error
    SocketPair second;
    QVERIFY(second.fds[0] == fd || second.fds[1] == fd);
    const int side = second.fds[0] == fd ? 0 : 1;
    QSocketNotifier fresh(fd, QSocketNotifier::Read);
    QSignalSpy spy(&fresh, &QSocketNotifier::activated);
    connect(&fresh, &QSocketNotifier::activated, this, [&] { second.drain(side); });
    second.sendByte(1 - side);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
}

void TestEventDispatcher::postedEventsFromAnotherThread()
{
    constexpr int Count = 2000;
    QList<int> received;
    QThread *poster = QThread::create([this, &received] {
        for (int i = 0; i < Count; ++i)
            QMetaObject::invokeMethod(this, [&received, i] { received.append(i); }, Qt::QueuedConnection);
    });
    poster->start();
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), Count, 60000);
    QVERIFY(poster->wait(30000));
    delete poster;
    for (int i = 0; i < Count; ++i)
        QCOMPARE(received.at(i), i);
}

void TestEventDispatcher::wakeUpWorkerThreadDispatcher()
{
    IdleEpollWorker idle;
    QTRY_VERIFY_WITH_TIMEOUT(idle.dispatcher(), 30000);
    QThread &worker = idle.thread();
    QObject &context = idle.context();

    std::atomic<int> ran {0};
    std::atomic<bool> onWorker {true};
    for (int round = 1; round <= 5; ++round) {
        QMetaObject::invokeMethod(&context, [&] {
            if (QThread::currentThread() != &worker)
                onWorker = false;
            ++ran;
        }, Qt::QueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(ran.load(), round, 30000);
    }
    QVERIFY(onWorker);

    // Timers in the worker thread run on the worker's dispatcher.
    std::atomic<int> ticks {0};
    QMetaObject::invokeMethod(&context, [&] {
        auto *timer = new QTimer(&context);
        connect(timer, &QTimer::timeout, &context, [&ticks, timer] {
            if (++ticks == 3)
                timer->stop();
        });
        timer->start(5);
    }, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(ticks.load(), 3, 30000);
    QVERIFY(idle.stop());
}

void TestEventDispatcher::postFromOwnThreadBeforeWaitIsNotLost()
{
    // A thread's posts to itself skip the eventfd: the wait after them must
    // not block. An idle worker (no timers, no sockets) posts to itself from
    // aboutToBlock, the last moment before its wait, and then a chain of
    // 1,000 calls each posting the next: a lost wake-up would leave it
    // asleep for good, and the test would time out.
    IdleEpollWorker idle;
    QTRY_VERIFY_WITH_TIMEOUT(idle.dispatcher(), 30000);
    QObject &context = idle.context();

    std::atomic<int> fromAboutToBlock {0};
    std::atomic<bool> armed {false};
    const auto connection = connect(idle.dispatcher(), &QAbstractEventDispatcher::aboutToBlock, &context, [&] {
        if (armed.exchange(false))
            QMetaObject::invokeMethod(&context, [&] { ++fromAboutToBlock; }, Qt::QueuedConnection);
    }, Qt::DirectConnection);
    for (int round = 1; round <= 5; ++round) {
        armed = true;
        QMetaObject::invokeMethod(&context, [] {}, Qt::QueuedConnection); // through the eventfd
        QTRY_COMPARE_WITH_TIMEOUT(fromAboutToBlock.load(), round, 30000);
    }
    disconnect(connection);

    constexpr int Links = 1000;
    std::atomic<int> links {0};
    std::function<void()> next = [&] {
        if (++links < Links)
            QMetaObject::invokeMethod(&context, next, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(&context, next, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(links.load(), Links, 30000);
    QVERIFY(idle.stop());
}

void TestEventDispatcher::interruptFromAnotherThread()
{
    auto *dispatcher = mainDispatcher();
    QVERIFY(dispatcher);
    // Nothing else can end the wait but the 20 s fallback timer.
    bool fallbackFired = false;
    QTimer fallback;
    fallback.setSingleShot(true);
    connect(&fallback, &QTimer::timeout, this, [&] { fallbackFired = true; });
    fallback.start(20000);

    std::atomic<bool> interrupted {false};
    QThread *interrupter = QThread::create([&] {
        QThread::msleep(50); // let the main thread block first; correctness does not depend on it
        interrupted = true;
        dispatcher->interrupt();
    });
    interrupter->start();
    while (!interrupted.load())
        dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    QVERIFY(!fallbackFired);
    QVERIFY(interrupter->wait(30000));
    delete interrupter;
}

void TestEventDispatcher::eventLoopExitFromAnotherThread()
{
    QEventLoop loop;
    QTimer fallback;
    bool fallbackFired = false;
    fallback.setSingleShot(true);
    connect(&fallback, &QTimer::timeout, this, [&] {
        fallbackFired = true;
        loop.exit(2);
    });
    fallback.start(20000);
    QThread *exiter = QThread::create([&] {
        QThread::msleep(50);
        loop.exit(7);
    });
    exiter->start();
    QCOMPARE(loop.exec(), 7);
    QVERIFY(!fallbackFired);
    QVERIFY(exiter->wait(30000));
    delete exiter;
}

void TestEventDispatcher::tcpRoundTrip()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QByteArray echoed;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
    });
    QTcpSocket client;
    connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 30000);
    // Larger than a socket buffer, so the writer's notifier is toggled on and off.
    const QByteArray payload(4 * 1024 * 1024, 'q');
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 60000);
    QCOMPARE(echoed, payload);
    QSignalSpy disconnected(&client, &QTcpSocket::disconnected);
    client.disconnectFromHost();
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() == 1 || client.state() == QAbstractSocket::UnconnectedState, 30000);
}

void TestEventDispatcher::parseChoice()
{
    QCOMPARE(EventLoopChoice::parse(QStringLiteral("epoll")), EventLoopKind::Epoll);
    QCOMPARE(EventLoopChoice::parse(QStringLiteral("poll")), EventLoopKind::Poll);
    QVERIFY(!EventLoopChoice::parse(QStringLiteral("select")));
    QVERIFY(!EventLoopChoice::parse(QString()));
    char prog[] = "prog", a[] = "--port", b[] = "1", c[] = "--event-loop", d[] = "poll", e[] = "--event-loop=epoll";
    char *split[] = {prog, a, b, c, d};
    QCOMPARE(EventLoopChoice::fromArguments(5, split), QStringLiteral("poll"));
    char *joined[] = {prog, e};
    QCOMPARE(EventLoopChoice::fromArguments(2, joined), QStringLiteral("epoll"));
    char *none[] = {prog, a, b};
    QCOMPARE(EventLoopChoice::fromArguments(3, none), QString());
    QVERIFY(!EventLoopChoice::createDispatcher(EventLoopKind::Poll));
}

int main(int argc, char *argv[])
{
    EventLoopChoice::installForMainThread(EventLoopKind::Epoll);
    QCoreApplication app(argc, argv);
    TestEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventdispatcher.moc"
