#include "SessionFlusher.h"

#include "Clock.h"
#include "Logging.h"
#include "Session.h"

#include <QtCore/QThread>
#include <QtCore/QThreadStorage>

#include <algorithm>

namespace QuantPush {

SessionFlusher *SessionFlusher::forCurrentThread()
{
    // QThreadStorage deletes a thread's flusher when the thread ends, and
    // the main thread's when the application object goes.
    static QThreadStorage<SessionFlusher *> flushers;
    if (!flushers.hasLocalData())
        flushers.setLocalData(new SessionFlusher);
    return flushers.localData();
}

SessionFlusher::SessionFlusher()
{
    setPacingSources(nullptr, {});
    m_paceTimer.setSingleShot(true);
    m_paceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_paceTimer, &QTimer::timeout, this, &SessionFlusher::flushAll);
}

void SessionFlusher::setPacingSources(Clock *clock, WaitSource waitedNs)
{
    m_clock = clock ? clock : Clock::system();
    m_waitedNs = waitedNs ? std::move(waitedNs) : WaitSource([this] { return m_runQueue.waitedNs(); });
    m_pacer.reset();
}

std::size_t SessionFlusher::schedule(Session *session, bool urgent)
{
    const std::size_t slot = m_dirty.size();
    m_dirty.push_back(session);
    requestFlush(urgent);
    return slot;
}

void SessionFlusher::requestFlush(bool urgent)
{
    if (m_posted)
        return; // everything goes at the end of this turn
    if (!m_paceTimer.isActive()) {
        const qint64 nowMs = m_clock->nowMs();
        samplePacer(nowMs);
        const qint64 holdMs = m_pacer.holdMs(nowMs);
        if (holdMs == 0) {
            m_posted = true;
            // A posted call runs after the events of this turn (every
            // delivery a publisher's read produced) and before the loop sleeps.
            QMetaObject::invokeMethod(this, &SessionFlusher::flushAll, Qt::QueuedConnection);
            return;
        }
        m_paceTimer.start(int(holdMs));
    }
    // Pushes are being gathered: a peer waiting on a reply does not wait
    // with them (its session alone is flushed this turn).
    if (urgent && !m_urgentPosted) {
        m_urgentPosted = true;
        QMetaObject::invokeMethod(this, &SessionFlusher::flushUrgent, Qt::QueuedConnection);
    }
}

void SessionFlusher::flushUrgent()
{
    m_urgentPosted = false;
    if (m_posted)
        return; // a full flush is on its way
    // Sessions scheduled by these flushes are appended: not visited again.
    const std::size_t count = m_dirty.size();
    for (std::size_t i = 0; i < count; ++i) {
        Session *session = m_dirty[i];
        if (session && session->hasUrgentFrames()) {
            m_dirty[i] = nullptr;
            session->flushBatch();
        }
    }
}

void SessionFlusher::samplePacer(qint64 nowMs)
{
    if (!m_pacer.sampleDue(nowMs))
        return;
    const std::optional<qint64> waited = m_waitedNs();
    if (!waited)
        return;
    if (m_pacer.observe(nowMs, *waited)) {
        const QString thread = QThread::currentThread()->objectName();
        qCInfo(lcWorkers).noquote() << (thread.isEmpty() ? QStringLiteral("the main thread") : thread)
                                    << (m_pacer.engaged() ? "waits for a CPU" : "no longer waits for a CPU")
                                    << qRound(m_pacer.lastWaitShare() * 100) << "% of the time:"
                                    << (m_pacer.engaged() ? "pushes are gathered for" : "pushes go every turn, not every")
                                    << m_pacer.settings().intervalMs << "ms";
    }
}

int SessionFlusher::scheduledSessions() const
{
    return int(std::count_if(m_dirty.cbegin(), m_dirty.cend(), [](const Session *session) { return session; }));
}

void SessionFlusher::cancel(Session *session, std::size_t slot)
{
    // The slot is in this turn's list, or (a session deleted by another's
    // flush while flushAll runs) in the list being flushed: whichever holds
    // the session there. (No hash per scheduled session: schedule runs once
    // per session and turn on the delivery path.)
    for (std::vector<Session *> *list : {&m_dirty, &m_flushing}) {
        if (slot < list->size() && (*list)[slot] == session)
            (*list)[slot] = nullptr;
    }
}

void SessionFlusher::flushAll()
{
    m_posted = false;
    m_paceTimer.stop();
    m_pacer.flushed(m_clock->nowMs());
    ++m_turn;
    // Flushing a session may refill it from its queue: those frames are
    // the next turn's, scheduled into a fresh list.
    m_flushing.swap(m_dirty);
    for (std::size_t i = 0; i < m_flushing.size(); ++i) {
        if (Session *session = m_flushing[i])
            session->flushBatch(); // may schedule it again, into m_dirty
    }
    m_flushing.clear();
}

} // namespace QuantPush
