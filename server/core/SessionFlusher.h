#pragma once

#include <QtCore/QObject>

#include <vector>

namespace QuantPush {

class Session;

// Once per event-loop turn, flushes every session of its thread that was
// handed frames during the turn (Session::flushBatch), so that a session
// writes everything a turn produced for it with one syscall. One posted
// call per turn for the whole thread, not a timer per session.
class SessionFlusher : public QObject
{
    Q_OBJECT
public:
    // The flusher of the calling thread, created on first use and deleted
    // when the thread ends (for the main thread, with the application).
    static SessionFlusher *forCurrentThread();

    // `session` has frames to write: flushed at the end of this turn. A
    // session is scheduled at most once until its flush; it keeps the slot
    // returned for cancel().
    std::size_t schedule(Session *session);
    // `session`, scheduled into `slot` and not yet flushed, is going away; O(1).
    void cancel(Session *session, std::size_t slot);
    // Flushes now (also what the posted call runs).
    void flushAll();

    int scheduledSessions() const { return int(m_dirty.size()); }
    // Counts flushes: a value a session may cache per turn under (Qt's
    // buffer only grows by what a flush hands it, or by a control frame).
    quint64 turn() const { return m_turn; }

private:
    SessionFlusher() = default;

    std::vector<Session *> m_dirty;
    std::vector<Session *> m_flushing;
    bool m_posted = false;
    quint64 m_turn = 0;
};

} // namespace QuantPush
