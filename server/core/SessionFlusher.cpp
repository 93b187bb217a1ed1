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

void SessionFlusher::schedule(Session *session)
{
    Q_ASSERT(!m_entries.contains(session));
    m_entries.insert(session, Entry {m_turn, m_dirty.size()});
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
    const auto it = m_entries.constFind(session);
    if (it == m_entries.cend())
        return;
    // While flushAll runs, an entry of an earlier turn is in m_flushing (a
    // session deleted by another's flush), this turn's in m_dirty.
    std::vector<Session *> &list = it->turn == m_turn ? m_dirty : m_flushing;
    list[it->index] = nullptr;
    m_entries.erase(it);
}

void SessionFlusher::flushAll()
{
    m_posted = false;
    ++m_turn;
    // Flushing a session may refill it from its queue: those frames are
    // the next turn's, scheduled into a fresh list.
    m_flushing.swap(m_dirty);
    for (std::size_t i = 0; i < m_flushing.size(); ++i) {
        if (Session *session = m_flushing[i]) {
            m_entries.remove(session); // flushBatch may schedule it again, into m_dirty
            session->flushBatch();
        }
    }
    m_flushing.clear();
}

} // namespace QuantPush
