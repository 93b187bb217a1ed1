#include "SessionFlusher.h"

#include "Session.h"

#include <QtCore/QThreadStorage>

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

std::size_t SessionFlusher::schedule(Session *session)
{
    const std::size_t slot = m_dirty.size();
    m_dirty.push_back(session);
    if (!m_posted) {
        m_posted = true;
        // A posted call runs after the events of this turn (every delivery a
        // publisher's read produced) and before the loop sleeps.
        QMetaObject::invokeMethod(this, &SessionFlusher::flushAll, Qt::QueuedConnection);
    }
    return slot;
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
