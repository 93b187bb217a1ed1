#include "SessionFlusher.h"

#include "Session.h"

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

void SessionFlusher::schedule(Session *session)
{
    m_dirty.push_back(session);
    if (m_posted)
        return;
    m_posted = true;
    // A posted call runs after the events of this turn (every delivery a
    // publisher's read produced) and before the loop sleeps.
    QMetaObject::invokeMethod(this, &SessionFlusher::flushAll, Qt::QueuedConnection);
}

void SessionFlusher::cancel(Session *session)
{
    std::replace(m_dirty.begin(), m_dirty.end(), session, static_cast<Session *>(nullptr));
    std::replace(m_flushing.begin(), m_flushing.end(), session, static_cast<Session *>(nullptr));
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
            session->flushBatch();
    }
    m_flushing.clear();
}

} // namespace QuantPush
