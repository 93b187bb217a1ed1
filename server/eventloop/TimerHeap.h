#pragma once

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QHash>
#include <QtCore/QList>

#include <set>
#include <tuple>

class QObject;

namespace QuantPush {

// The timers of one event-dispatcher thread, ordered by deadline. Every
// operation is O(log n) in the number of timers, so thousands of
// per-connection timers cost nothing per loop turn. Times are nanoseconds
// of CLOCK_MONOTONIC; the caller passes "now" so tests and the dispatcher
// agree on one reading per loop turn.
class TimerHeap
{
public:
    void add(int timerId, qint64 intervalMs, Qt::TimerType type, QObject *object, qint64 nowNs);
    bool remove(int timerId);
    bool removeAll(QObject *object);
    QList<QAbstractEventDispatcher::TimerInfo> timersFor(QObject *object) const;
    // Milliseconds until timerId fires (0 when due), -1 for an unknown id.
    int remainingMs(int timerId, qint64 nowNs) const;
    // Nanoseconds until the earliest deadline (0 when due), -1 with no timers.
    qint64 nsUntilNext(qint64 nowNs) const;
    // Sends a QTimerEvent to the owner of every timer due at nowNs, each at
    // most once (timers re-armed or added by a handler wait for the next
    // turn, so a zero-interval timer cannot starve the loop). Returns how many fired.
    int activate(qint64 nowNs);
    bool isEmpty() const { return m_timers.isEmpty(); }

    static qint64 monotonicNowNs();

private:
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalNs = 0;
        qint64 deadlineNs = 0;
        quint64 serial = 0; // tells a re-registered id from the one that was due
        int intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        bool inHandler = false; // no recursive activation from a nested event loop
    };
    using Key = std::tuple<qint64, quint64, int>; // deadline, serial (FIFO among equals), id

    void arm(Timer &timer, int timerId, qint64 deadlineNs);

    QHash<int, Timer> m_timers;
    QMultiHash<QObject *, int> m_byObject;
    std::set<Key> m_queue;
    quint64 m_nextSerial = 1;
};

} // namespace QuantPush
