#pragma once

#include <QtCore/QtGlobal>

namespace QuantPush {

// Decides, for one thread, whether pushes are written at the end of the
// loop turn that produced them or gathered for a while first.
//
// Why: each flush costs one sendmsg(2) per dirty connection, and on
// loopback or a busy host that call, not its bytes, is most of the CPU a
// delivery costs. While the thread gets a CPU whenever it wants one,
// flushing every turn gives the lowest latency. When the machine has fewer
// cores than busy threads (the thread waits in the run queue for a real
// share of its time), flushing every turn makes things worse: the
// scheduler slices the thread mid-flush, turns get longer, and the extra
// syscalls take the CPU that would have shortened them. Measured at 1 M
// deliveries/s on 2 cores with two server threads and the load generator:
// server CPU 9.3 s -> 5.5 s for 8 s of load and p99 28 -> 18 ms with a
// 12 ms interval (docs/benchmarks.md, session 26).
//
// So: a pacer engages when the thread's run-queue wait reaches
// `engageShare` of the sample window in `engageWindows` windows in a row. Pacing itself takes the wait
// away, so a low wait while engaged says nothing about the load: the pacer
// stays engaged for a dwell (`dwellMs`), then lets go at the first window
// whose wait is under `releaseShare`. Going back to pacing within two
// dwells of letting go means the load is still there: the next dwell is
// twice as long (up to `maxDwellMs`); a longer calm resets it. While
// engaged, a push is flushed no sooner than `intervalMs` after the previous
// flush; replies, errors and control frames are never held (the caller
// asks for an urgent flush).
//
// Pure logic: times and wait readings come from the caller, so that tests
// drive it without a clock or a scheduler.
class FlushPacer
{
public:
    struct Settings
    {
        qint64 intervalMs = 0;     // 0: never pace (websocket.flush_pacing_ms sets it)
        qint64 sampleMs = 100;     // window over which the wait share is taken
        // Wait / window at or above which pacing starts, in `engageWindows`
        // windows in a row. Slow to start costs the first few hundred ms of
        // a load unpaced, enough to set p99 (two windows at 15 %: 18-32 ms
        // at 1 M/s; one at 10 %: 20-31 ms, but it also started on a
        // neighbour's moment with one thread; one at 20 %: session 26's
        // figures in docs/benchmarks.md).
        double engageShare = 0.20;
        int engageWindows = 1;
        double releaseShare = 0.05; // and below which it stops, after a dwell
        qint64 dwellMs = 10'000;
        qint64 maxDwellMs = 160'000;
    };

    FlushPacer() = default;
    explicit FlushPacer(const Settings &settings) : m_settings(settings) { }

    const Settings &settings() const { return m_settings; }
    void setIntervalMs(qint64 intervalMs);
    // Forgets readings, state and dwell (the source of readings changed).
    void reset();

    // Whether a reading is due at nowMs (a window has passed since the last one).
    bool sampleDue(qint64 nowMs) const;
    // The thread's cumulative run-queue wait in nanoseconds, read at nowMs.
    // Returns true when the pacer changed state.
    bool observe(qint64 nowMs, qint64 waitNs);
    // (observe's decision, once the window's share is known)
    void decide(qint64 nowMs);

    bool engaged() const { return m_engaged; }
    // How long a push handed at nowMs waits before its flush: 0 for this turn.
    qint64 holdMs(qint64 nowMs) const;
    // A flush ran at nowMs.
    void flushed(qint64 nowMs) { m_lastFlushMs = nowMs; }

    // The share of the last complete window spent waiting for a CPU.
    double lastWaitShare() const { return m_lastShare; }
    // Times the pacer engaged since start.
    quint64 engagements() const { return m_engagements; }
    qint64 currentDwellMs() const { return m_dwellMs; }

private:
    Settings m_settings;
    bool m_engaged = false;
    bool m_haveSample = false;
    qint64 m_sampleMs = 0;
    qint64 m_sampleWaitNs = 0;
    qint64 m_lastFlushMs = -1;
    double m_lastShare = 0;
    int m_windowsOver = 0; // consecutive windows at or over engageShare
    qint64 m_engagedAtMs = 0;
    qint64 m_releasedAtMs = -1;
    qint64 m_dwellMs = m_settings.dwellMs; // doubles while the load stays
    quint64 m_engagements = 0;
};

} // namespace QuantPush
