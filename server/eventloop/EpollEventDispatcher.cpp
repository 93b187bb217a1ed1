#include "eventloop/EpollEventDispatcher.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEventLoop, "quantpush.eventloop")

namespace QuantPush {
namespace {

// How many ready descriptors one epoll_wait() hands back; the rest stay
// ready (level-triggered) for the next turn, so this only bounds a turn.
constexpr int MaxEventsPerTurn = 1024;

quint32 interestFor(int type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return EPOLLIN;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    default:
        return EPOLLPRI;
    }
}

const char *typeName(int type)
{
    static const char *const names[] = {"Read", "Write", "Exception"};
    return names[type];
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epollFd(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (m_epollFd < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create epoll/eventfd descriptors: %s", std::strerror(errno));
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &event) != 0)
        qFatal("EpollEventDispatcher: cannot watch the eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2) {
        qCWarning(lcEventLoop, "registerSocketNotifier: invalid socket %d or type %d", fd, type);
        return;
    }
    Q_ASSERT(notifier->thread() == thread() && thread() == QThread::currentThread());
    Watch &watch = m_watches[fd];
    if (watch.notifiers[type] && watch.notifiers[type] != notifier) {
        qCWarning(lcEventLoop, "Multiple socket notifiers for the same socket %d and type %s", fd, typeName(type));
        return;
    }
    watch.notifiers[type] = notifier;
    watch.serials[type] = m_nextSerial++;
    updateRegistration(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || type < 0 || type > 2 || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    it->serials[type] = 0; // a queued activation for it is now stale
    updateRegistration(fd, *it);
}

// Brings epoll in line with the notifiers of fd. The descriptor may have
// been closed (epoll then forgot it) and even reused for a new socket
// before its old notifiers were disabled, hence the ENOENT/EEXIST retries.
void EpollEventDispatcher::updateRegistration(int fd, Watch &watch)
{
    quint32 wanted = 0;
    for (int type = 0; type < 3; ++type) {
        if (watch.notifiers[type])
            wanted |= interestFor(type);
    }
    if (wanted == 0) {
        if (watch.events != 0 && epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != ENOENT
            && errno != EBADF) {
            qCWarning(lcEventLoop, "epoll_ctl(DEL, %d): %s", fd, std::strerror(errno));
        }
        m_plainFiles.remove(fd);
        m_watches.remove(fd);
        return;
    }
    if (m_plainFiles.contains(fd) || wanted == watch.events)
        return;

    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    int op = watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    int rc = epoll_ctl(m_epollFd, op, fd, &event);
    if (rc != 0 && ((op == EPOLL_CTL_ADD && errno == EEXIST) || (op == EPOLL_CTL_MOD && errno == ENOENT))) {
        op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        rc = epoll_ctl(m_epollFd, op, fd, &event);
    }
    if (rc == 0) {
        watch.events = wanted;
    } else if (errno == EPERM) {
        m_plainFiles.insert(fd);
    } else {
        qCWarning(lcEventLoop, "epoll_ctl(%d): %s", fd, std::strerror(errno));
    }
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qCWarning(lcEventLoop, "registerTimer: invalid arguments");
        return;
    }
    Q_ASSERT(object->thread() == thread() && thread() == QThread::currentThread());
    m_timers.add(timerId, interval, timerType, object, TimerHeap::monotonicNowNs());
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers.timersFor(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remainingMs(timerId, TimerHeap::monotonicNowNs());
}

void EpollEventDispatcher::wakeUp()
{
    // The loop's own thread is not blocked: its next wait just must not be.
    if (QThread::currentThreadId() == m_loopThread.load(std::memory_order_relaxed)) {
        m_selfWoken = true;
        return;
    }
    // One write per sleep is enough; the reader resets the flag after draining.
    if (m_wakeUps.testAndSetAcquire(0, 1)) {
        const eventfd_t one = 1;
        while (::write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelease(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    eventfd_t value = 0;
    while (::read(m_wakeFd, &value, sizeof value) < 0 && errno == EINTR) {
    }
    m_wakeUps.storeRelease(0);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_loopThread.store(QThread::currentThreadId(), std::memory_order_relaxed);
    m_interrupted.storeRelaxed(0);
    emit awake();
    // What this thread posted so far is sent now; what it posts from here on
    // (from the handlers below, aboutToBlock's included) sets it again.
    m_selfWoken = false;
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadAcquire();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.loadAcquire())
        return false;

    // Activations left queued by a nested processEvents() that excluded
    // socket notifiers must not wait behind a blocking epoll_wait.
    const bool notifiersDue = includeNotifiers && (!m_plainFiles.isEmpty() || !m_pending.empty());
    qint64 timeoutNs = 0;
    if (canWait && !notifiersDue && !m_selfWoken)
        timeoutNs = includeTimers ? m_timers.nsUntilNext(TimerHeap::monotonicNowNs()) : -1;

    int handled = waitForEvents(timeoutNs, includeNotifiers);
    if (includeNotifiers)
        handled += activateSocketNotifiers();
    if (includeTimers)
        handled += m_timers.activate(TimerHeap::monotonicNowNs());
    return handled > 0;
}

// One epoll_wait (epoll_pwait2 for nanosecond timeouts, so precise timers
// are not rounded up to the next millisecond); queues the activations.
int EpollEventDispatcher::waitForEvents(qint64 timeoutNs, bool includeNotifiers)
{
    epoll_event events[MaxEventsPerTurn];
    int ready = -1;
    timespec timeout {};
    if (timeoutNs >= 0) {
        timeout.tv_sec = time_t(timeoutNs / 1000000000);
        timeout.tv_nsec = long(timeoutNs % 1000000000);
    }
    // Kernels before 5.11 lack epoll_pwait2: fall back to milliseconds, rounded up.
    static std::atomic<bool> havePwait2 {true};
    if (havePwait2.load(std::memory_order_relaxed)) {
        ready = epoll_pwait2(m_epollFd, events, MaxEventsPerTurn, timeoutNs >= 0 ? &timeout : nullptr, nullptr);
        if (ready < 0 && errno == ENOSYS)
            havePwait2.store(false, std::memory_order_relaxed);
    }
    if (!havePwait2.load(std::memory_order_relaxed)) {
        const int timeoutMs = timeoutNs < 0 ? -1 : int(qMin<qint64>((timeoutNs + 999999) / 1000000, 1 << 30));
        ready = epoll_wait(m_epollFd, events, MaxEventsPerTurn, timeoutMs);
    }
    if (ready < 0) {
        if (errno != EINTR)
            qCWarning(lcEventLoop, "epoll_wait: %s", std::strerror(errno));
        return 0;
    }

    int handled = 0;
    for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd) {
            drainWakeUps();
            ++handled;
            continue;
        }
        if (!includeNotifiers)
            continue; // level-triggered: still ready next turn
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend())
            continue;
        // As Qt's poll dispatcher: hang-up and error wake the reader and the
        // writer, so each sees the failure on its next read or write.
        const quint32 got = events[i].events;
        if (got & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
            queueActivation(fd, *it, QSocketNotifier::Read);
        if (got & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            queueActivation(fd, *it, QSocketNotifier::Write);
        if (got & EPOLLPRI)
            queueActivation(fd, *it, QSocketNotifier::Exception);
    }
    if (includeNotifiers) {
        for (int fd : std::as_const(m_plainFiles)) {
            const auto it = m_watches.constFind(fd);
            if (it != m_watches.cend()) {
                queueActivation(fd, *it, QSocketNotifier::Read);
                queueActivation(fd, *it, QSocketNotifier::Write);
            }
        }
    }
    return handled;
}

void EpollEventDispatcher::queueActivation(int fd, const Watch &watch, int type)
{
    if (watch.notifiers[type])
        m_pending.push_back({fd, type, watch.serials[type]});
}

// Handlers may disable or delete any notifier, close descriptors or run a
// nested event loop that takes from the same queue; each entry is checked
// against the current registration right before it is delivered.
int EpollEventDispatcher::activateSocketNotifiers()
{
    int activated = 0;
    while (!m_pending.empty()) {
        const Pending pending = m_pending.front();
        m_pending.pop_front();
        const auto it = m_watches.constFind(pending.fd);
        if (it == m_watches.cend() || it->serials[pending.type] != pending.serial || !it->notifiers[pending.type])
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(it->notifiers[pending.type], &event);
        ++activated;
    }
    return activated;
}

} // namespace QuantPush
