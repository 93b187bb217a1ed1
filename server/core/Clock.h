#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <atomic>

namespace QuantPush {

// A timer driven by a Clock: a QTimer on the system clock, or one that
// fires only when a FakeClock is advanced. The subset of QTimer the server
// needs (single-shot or repeating, one interval).
class ClockTimer : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void setSingleShot(bool singleShot) { m_singleShot = singleShot; }
    bool isSingleShot() const { return m_singleShot; }
    void setInterval(int ms) { m_intervalMs = ms; }
    int interval() const { return m_intervalMs; }

    void start() { start(m_intervalMs); }
    virtual void start(int ms) = 0;
    virtual void stop() = 0;
    virtual bool isActive() const = 0;

Q_SIGNALS:
    void timeout();

protected:
    bool m_singleShot = false;
    int m_intervalMs = 0;
};

// Where the server's logic reads time (monotonic milliseconds) and gets its
// timers: the broadcaster's batch and rate windows, heartbeats, ack sweeps,
// inbound rate limits. Tests swap in a FakeClock and advance it instead of
// waiting on real time.
class Clock
{
public:
    virtual ~Clock();

    // Milliseconds on a monotonic clock (origin unspecified).
    virtual qint64 nowMs() const = 0;
    virtual ClockTimer *createTimer(QObject *parent) = 0;

    // The process-wide real clock.
    static Clock *system();
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override;
    ClockTimer *createTimer(QObject *parent) override;
};

// Time stands still until advance() moves it; timers that fall due on the
// way fire in deadline order, each with nowMs() at its deadline. A timer
// that lives on another thread (a worker's heartbeat) fires on its own
// thread, and advance() waits for it: tests stay deterministic with
// sessions on worker threads. Create timers and advance from one thread.
class FakeClock final : public Clock
{
public:
    explicit FakeClock(qint64 startMs = 1'000'000) : m_nowMs(startMs) { }

    qint64 nowMs() const override { return m_nowMs.load(std::memory_order_acquire); }
    ClockTimer *createTimer(QObject *parent) override;

    void advance(qint64 ms);
    // Active timers (for tests that check nothing is left waiting).
    int activeTimers() const;

private:
    class Timer;
    QList<QPointer<Timer>> m_timers;
    std::atomic<qint64> m_nowMs;
};

} // namespace QuantPush
