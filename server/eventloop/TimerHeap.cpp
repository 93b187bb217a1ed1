#include "eventloop/TimerHeap.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>

#include <time.h>

#include <algorithm>
#include <limits>

#include <vector>

namespace QuantPush {
namespace {

constexpr qint64 NsPerMs = 1000 * 1000;
constexpr qint64 NsPerSecond = 1000 * NsPerMs;

// Qt's own rules (qtimerinfo_unix.cpp): a coarse timer of 20 s or more is
// very coarse, which means whole seconds. A coarse timer below that fires on
// time here: Qt allows it to move by up to 5 %, not firing early or late is
// within that promise, and a server gains nothing from aligning wake-ups.
Qt::TimerType effectiveType(qint64 intervalMs, Qt::TimerType type)
{
    if (type == Qt::CoarseTimer && intervalMs >= 20000)
        return Qt::VeryCoarseTimer;
    return type;
}

qint64 roundToSecond(qint64 ns)
{
    return (ns + NsPerSecond / 2) / NsPerSecond * NsPerSecond;
}

} // namespace

qint64 TimerHeap::monotonicNowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * NsPerSecond + ts.tv_nsec;
}

void TimerHeap::add(int timerId, qint64 intervalMs, Qt::TimerType type, QObject *object, qint64 nowNs)
{
    remove(timerId);
    Timer timer;
    timer.object = object;
    timer.type = effectiveType(intervalMs, type);
    timer.intervalMs = int(std::clamp<qint64>(intervalMs, 0, std::numeric_limits<int>::max()));
    timer.intervalNs = qMax<qint64>(0, intervalMs) * NsPerMs;
    qint64 deadline = nowNs + timer.intervalNs;
    if (timer.type == Qt::VeryCoarseTimer) {
        // Whole seconds, at least one: a very coarse timer never spins.
        timer.intervalNs = qMax(NsPerSecond, roundToSecond(timer.intervalNs));
        deadline = roundToSecond(nowNs + timer.intervalNs);
    }
    timer.serial = m_nextSerial++;
    Timer &stored = *m_timers.insert(timerId, timer);
    m_byObject.insert(object, timerId);
    arm(stored, timerId, deadline);
}

void TimerHeap::arm(Timer &timer, int timerId, qint64 deadlineNs)
{
    timer.deadlineNs = deadlineNs;
    m_queue.emplace(deadlineNs, timer.serial, timerId);
}

bool TimerHeap::remove(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return false;
    m_queue.erase(Key {it->deadlineNs, it->serial, timerId});
    m_byObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool TimerHeap::removeAll(QObject *object)
{
    const QList<int> ids = m_byObject.values(object);
    for (int id : ids)
        remove(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> TimerHeap::timersFor(QObject *object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> result;
    for (auto it = m_byObject.constFind(object); it != m_byObject.cend() && it.key() == object; ++it) {
        const Timer &timer = m_timers[it.value()];
        result.append({it.value(), timer.intervalMs, timer.type});
    }
    return result;
}

int TimerHeap::remainingMs(int timerId, qint64 nowNs) const
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const qint64 left = it->deadlineNs - nowNs;
    return left <= 0 ? 0 : int((left + NsPerMs / 2) / NsPerMs);
}

qint64 TimerHeap::nsUntilNext(qint64 nowNs) const
{
    if (m_queue.empty())
        return -1;
    return qMax<qint64>(0, std::get<0>(*m_queue.begin()) - nowNs);
}

int TimerHeap::activate(qint64 nowNs)
{
    // Snapshot what is due first: handlers may add, kill or re-arm timers.
    std::vector<std::pair<int, quint64>> due;
    for (auto it = m_queue.cbegin(); it != m_queue.cend() && std::get<0>(*it) <= nowNs; ++it)
        due.emplace_back(std::get<2>(*it), std::get<1>(*it));

    int fired = 0;
    for (const auto &[timerId, serial] : due) {
        auto it = m_timers.find(timerId);
        if (it == m_timers.end() || it->serial != serial || it->inHandler || it->deadlineNs > nowNs)
            continue;
        // Re-arm before the handler runs (it may kill or restart the timer).
        // A timer that fell behind skips the missed periods, as Qt's does.
        m_queue.erase(Key {it->deadlineNs, serial, timerId});
        qint64 next = it->deadlineNs + it->intervalNs;
        if (next < nowNs)
            next = nowNs + it->intervalNs;
        if (it->type == Qt::VeryCoarseTimer)
            next = roundToSecond(next);
        arm(*it, timerId, next);
        it->inHandler = true;
        QObject *object = it->object;

        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        ++fired;

        it = m_timers.find(timerId);
        if (it != m_timers.end() && it->serial == serial)
            it->inHandler = false;
    }
    return fired;
}

} // namespace QuantPush
