#pragma once

#include "eventloop/TimerHeap.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QAtomicInt>
#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>

#include <atomic>
#include <deque>

Q_DECLARE_LOGGING_CATEGORY(lcEventLoop)

namespace QuantPush {

// A QAbstractEventDispatcher on Linux epoll. Qt's UNIX dispatcher hands
// poll(2) the whole set of socket notifiers on every loop turn, so a turn
// costs O(connections) and every idle connection taxes every message.
// Here a notifier is an epoll registration that changes only when the
// notifier is enabled or disabled, timers live in a deadline-ordered set,
// and wakeUp() writes an eventfd. Install it before the thread's event
// loop exists: QCoreApplication::setEventDispatcher() before the
// application object, QThread::setEventDispatcher() before start().
// Posted events go through the public QCoreApplication::sendPostedEvents().
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // One descriptor's notifiers, indexed by QSocketNotifier::Type. The
    // serial of each slot tells a pending activation whether the notifier
    // it was queued for is still the registered one.
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr};
        quint64 serials[3] = {0, 0, 0};
        quint32 events = 0; // what epoll has for this descriptor, 0 = not registered
    };
    struct Pending
    {
        int fd;
        int type;
        quint64 serial;
    };

    void updateRegistration(int fd, Watch &watch);
    void queueActivation(int fd, const Watch &watch, int type);
    int waitForEvents(qint64 timeoutNs, bool includeNotifiers);
    int activateSocketNotifiers();
    void drainWakeUps();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;
    QAtomicInt m_interrupted;
    // The thread running processEvents, and whether it posted to itself
    // since it last sent its posted events (only that thread touches the
    // flag): a wakeUp() from the loop's own thread needs no eventfd (a write
    // now and a read next turn, per busy turn), only a wait that does not
    // block.
    std::atomic<Qt::HANDLE> m_loopThread {nullptr};
    bool m_selfWoken = false;
    QHash<int, Watch> m_watches;
    // Regular files cannot be added to epoll; poll(2) reports them always
    // ready, so they are activated on every turn, as Qt's dispatcher does.
    QSet<int> m_plainFiles;
    std::deque<Pending> m_pending;
    quint64 m_nextSerial = 1;
    TimerHeap m_timers;
};

} // namespace QuantPush
