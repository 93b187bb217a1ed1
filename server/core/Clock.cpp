#include "Clock.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <limits>

namespace QuantPush {

Clock::~Clock() = default;

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

qint64 SystemClock::nowMs() const
{
    static const QElapsedTimer elapsed = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return elapsed.elapsed();
}

namespace {

class RealTimer final : public ClockTimer
{
public:
    explicit RealTimer(QObject *parent) : ClockTimer(parent), m_timer(new QTimer(this))
    {
        // Batch windows and rate limits are a few milliseconds: coarse timers
        // would stretch them by up to 5 %.
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &ClockTimer::timeout);
    }
    void start(int ms) override
    {
        m_timer->setSingleShot(m_singleShot);
        m_timer->start(ms);
    }
    void stop() override { m_timer->stop(); }
    bool isActive() const override { return m_timer->isActive(); }

private:
    QTimer *m_timer;
};

} // namespace

ClockTimer *SystemClock::createTimer(QObject *parent)
{
    return new RealTimer(parent);
}

class FakeClock::Timer final : public ClockTimer
{
public:
    Timer(FakeClock *clock, QObject *parent) : ClockTimer(parent), m_clock(clock) { }
    void start(int ms) override
    {
        m_periodMs = ms;
        m_deadline = m_clock->m_nowMs + ms;
        m_active = true;
    }
    void stop() override { m_active = false; }
    bool isActive() const override { return m_active; }

    FakeClock *m_clock;
    // Atomic: a worker thread starts its timers while advance() reads them.
    std::atomic<qint64> m_deadline = 0;
    std::atomic<int> m_periodMs = 0;
    std::atomic<bool> m_active = false;
};

ClockTimer *FakeClock::createTimer(QObject *parent)
{
    auto *timer = new Timer(this, parent);
    m_timers.append(timer);
    return timer;
}

void FakeClock::advance(qint64 ms)
{
    const qint64 target = m_nowMs + ms;
    for (;;) {
        m_timers.removeAll(nullptr);
        Timer *next = nullptr;
        for (const QPointer<Timer> &timer : std::as_const(m_timers)) {
            if (timer && timer->m_active && timer->m_deadline <= target
                && (!next || timer->m_deadline.load() < next->m_deadline.load()))
                next = timer;
        }
        if (!next)
            break;
        m_nowMs = std::max(m_nowMs.load(), next->m_deadline.load());
        if (next->isSingleShot())
            next->m_active = false;
        else
            next->m_deadline = m_nowMs + std::max(1, next->m_periodMs.load()); // a 0 ms repeat would never let time pass
        if (next->thread() == QThread::currentThread())
            Q_EMIT next->timeout();
        else
            QMetaObject::invokeMethod(next, [next] { Q_EMIT next->timeout(); }, Qt::BlockingQueuedConnection);
    }
    m_nowMs = target;
}

int FakeClock::activeTimers() const
{
    int count = 0;
    for (const QPointer<Timer> &timer : m_timers)
        count += timer && timer->m_active ? 1 : 0;
    return count;
}

} // namespace QuantPush
