// FlushPacer (server/core): a thread's pushes are gathered for the pacing
// interval while the thread waits for a CPU for a real share of its time,
// and flushed every turn otherwise. Driven with made-up times and run-queue
// readings: engaging (on windows in a row), holding, the dwell that pacing's own calm cannot cut
// short, the dwell doubling while the load stays, the reset after a calm,
// and pacing turned off.

#include "FlushPacer.h"

#include <QtTest/QTest>

using namespace QuantPush;

namespace {

constexpr qint64 Ms = 1'000'000; // nanoseconds

FlushPacer::Settings settings()
{
    FlushPacer::Settings s;
    s.intervalMs = 12;
    s.sampleMs = 100;
    s.engageShare = 0.10;
    s.engageWindows = 1;
    s.releaseShare = 0.03;
    s.dwellMs = 1000;
    s.maxDwellMs = 4000;
    return s;
}

// Feeds windows of 100 ms with `waitMs` of run-queue wait in each, from
// `nowMs` on, until `untilMs`; returns the time reached.
qint64 feed(FlushPacer &pacer, qint64 &waitedNs, qint64 nowMs, qint64 untilMs, qint64 waitMs)
{
    while (nowMs < untilMs) {
        nowMs += 100;
        waitedNs += waitMs * Ms;
        pacer.observe(nowMs, waitedNs);
    }
    return nowMs;
}

} // namespace

class TestFlushPacer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void calmThreadFlushesEveryTurn();
    void waitingThreadGathersForTheInterval();
    void dwellOutlastsPacingsOwnCalm();
    void loadThatStaysDoublesTheDwell();
    void longCalmResetsTheDwell();
    void oneBusyWindowIsNotEnough();
    void zeroIntervalNeverPaces();
    void readingsThatGoBackwardsStartAWindow();
};

void TestFlushPacer::calmThreadFlushesEveryTurn()
{
    FlushPacer pacer(settings());
    qint64 waited = 0;
    QVERIFY(pacer.sampleDue(0));
    QVERIFY(!pacer.observe(0, waited)); // the first reading starts a window
    QVERIFY(!pacer.sampleDue(50));
    QVERIFY(pacer.sampleDue(100));
    const qint64 now = feed(pacer, waited, 0, 2000, 5); // 5 % waiting
    QVERIFY(!pacer.engaged());
    QCOMPARE(pacer.lastWaitShare(), 0.05);
    pacer.flushed(now);
    QCOMPARE(pacer.holdMs(now + 1), 0);
    QCOMPARE(pacer.engagements(), quint64(0));
}

void TestFlushPacer::waitingThreadGathersForTheInterval()
{
    FlushPacer pacer(settings());
    qint64 waited = 0;
    pacer.observe(0, waited);
    waited += 10 * Ms; // exactly the engage share
    QVERIFY(pacer.observe(100, waited));
    QVERIFY(pacer.engaged());
    QCOMPARE(pacer.engagements(), quint64(1));
    QCOMPARE(pacer.holdMs(100), 0); // nothing flushed yet: nothing to wait for
    pacer.flushed(100);
    QCOMPARE(pacer.holdMs(100), 12);
    QCOMPARE(pacer.holdMs(105), 7);
    QCOMPARE(pacer.holdMs(112), 0);
    QCOMPARE(pacer.holdMs(500), 0);
}

void TestFlushPacer::dwellOutlastsPacingsOwnCalm()
{
    FlushPacer pacer(settings());
    qint64 waited = 0;
    pacer.observe(0, waited);
    qint64 now = feed(pacer, waited, 0, 100, 40);
    QVERIFY(pacer.engaged());
    // Pacing works: no more waiting, but the dwell (1 s) holds it.
    now = feed(pacer, waited, now, 1000, 0);
    QVERIFY(pacer.engaged());
    // Past the dwell, the first calm window lets go ...
    now = feed(pacer, waited, now, 1100, 0);
    QVERIFY(!pacer.engaged());
    // ... but not a window still waiting more than the release share.
    FlushPacer busy(settings());
    qint64 busyWaited = 0;
    busy.observe(0, busyWaited);
    feed(busy, busyWaited, 0, 3000, 5); // engaged? no: 5 % is under 10 %
    QVERIFY(!busy.engaged());
    feed(busy, busyWaited, 3000, 3100, 20);
    QVERIFY(busy.engaged());
    feed(busy, busyWaited, 3100, 6000, 5); // 5 % stays above the 3 % release
    QVERIFY(busy.engaged());
}

void TestFlushPacer::loadThatStaysDoublesTheDwell()
{
    FlushPacer pacer(settings());
    qint64 waited = 0;
    pacer.observe(0, waited);
    qint64 now = feed(pacer, waited, 0, 100, 40);
    QCOMPARE(pacer.currentDwellMs(), 1000);
    now = feed(pacer, waited, now, 1100, 0); // released at 1100
    QVERIFY(!pacer.engaged());
    now = feed(pacer, waited, now, 1200, 40); // back within two dwells
    QVERIFY(pacer.engaged());
    QCOMPARE(pacer.currentDwellMs(), 2000);
    now = feed(pacer, waited, now, 3100, 0);
    QVERIFY(pacer.engaged()); // 1.9 s into a 2 s dwell
    now = feed(pacer, waited, now, 3200, 0);
    QVERIFY(!pacer.engaged());
    now = feed(pacer, waited, now, 3300, 40);
    QCOMPARE(pacer.currentDwellMs(), 4000);
    now = feed(pacer, waited, now, 7300, 0);
    now = feed(pacer, waited, now, 7400, 40);
    QCOMPARE(pacer.currentDwellMs(), 4000); // capped at maxDwellMs
    QCOMPARE(pacer.engagements(), quint64(4));
}

void TestFlushPacer::longCalmResetsTheDwell()
{
    FlushPacer pacer(settings());
    qint64 waited = 0;
    pacer.observe(0, waited);
    qint64 now = feed(pacer, waited, 0, 100, 40);
    now = feed(pacer, waited, now, 1100, 0);
    now = feed(pacer, waited, now, 1200, 40);
    QCOMPARE(pacer.currentDwellMs(), 2000);
    now = feed(pacer, waited, now, 3200, 0); // released at 3200
    QVERIFY(!pacer.engaged());
    now = feed(pacer, waited, now, 8000, 0); // calm for longer than two dwells
    now = feed(pacer, waited, now, 8100, 40);
    QVERIFY(pacer.engaged());
    QCOMPARE(pacer.currentDwellMs(), 1000);
}

void TestFlushPacer::oneBusyWindowIsNotEnough()
{
    FlushPacer::Settings two = settings();
    two.engageWindows = 2;
    FlushPacer pacer(two);
    qint64 waited = 0;
    pacer.observe(0, waited);
    // Busy, calm, busy, calm: never two in a row.
    qint64 now = 0;
    for (int i = 0; i < 10; ++i)
        now = feed(pacer, waited, now, now + 100, i % 2 == 0 ? 50 : 0);
    QVERIFY(!pacer.engaged());
    // Two in a row: engaged at the second.
    now = feed(pacer, waited, now, now + 100, 50);
    QVERIFY(!pacer.engaged());
    now = feed(pacer, waited, now, now + 100, 50);
    QVERIFY(pacer.engaged());
}

void TestFlushPacer::zeroIntervalNeverPaces()
{
    FlushPacer::Settings off = settings();
    off.intervalMs = 0;
    FlushPacer pacer(off);
    QVERIFY(!pacer.sampleDue(0));
    qint64 waited = 0;
    pacer.observe(0, waited);
    feed(pacer, waited, 0, 1000, 90);
    QVERIFY(!pacer.engaged());
    QCOMPARE(pacer.holdMs(1000), 0);

    // Turned off while engaged: lets go at once.
    FlushPacer on(settings());
    waited = 0;
    on.observe(0, waited);
    feed(on, waited, 0, 100, 90);
    QVERIFY(on.engaged());
    on.setIntervalMs(0);
    QVERIFY(!on.engaged());
    on.flushed(100);
    QCOMPARE(on.holdMs(101), 0);
}

void TestFlushPacer::readingsThatGoBackwardsStartAWindow()
{
    FlushPacer pacer(settings());
    pacer.observe(1000, 500 * Ms);
    // A smaller wait (another source) or an earlier time: a fresh window, no verdict.
    QVERIFY(!pacer.observe(1100, 10 * Ms));
    QVERIFY(!pacer.engaged());
    QVERIFY(!pacer.observe(900, 90 * Ms));
    QVERIFY(!pacer.engaged());
    pacer.observe(1000, 190 * Ms); // 100 ms of wait in 100 ms
    QVERIFY(pacer.engaged());
    pacer.reset();
    QVERIFY(!pacer.engaged());
    QCOMPARE(pacer.engagements(), quint64(0));
    QCOMPARE(pacer.settings().intervalMs, 12);
}

QTEST_GUILESS_MAIN(TestFlushPacer)
#include "tst_flushpacer.moc"
