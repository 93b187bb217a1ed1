#pragma once

#include "FlushPacer.h"
#include "ThreadRunQueueWait.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <functional>
#include <optional>
#include <vector>

namespace QuantPush {

class Clock;
class Session;

// Once per event-loop turn, flushes every session of its thread that was
// handed frames during the turn (Session::flushBatch), so that a session
// writes everything a turn produced for it with one syscall. One posted
// call per turn for the whole thread, not a timer per session.
//
// While the thread is starved of CPU (FlushPacer), pushes are gathered for
// up to websocket.flush_pacing_ms before that flush instead; a session
// handed an urgent frame (the 101, a reply, an error) is flushed at the end
// of the turn as always, with the pushes it holds ahead of that frame.
class SessionFlusher : public QObject
{
    Q_OBJECT
public:
    // The flusher of the calling thread, created on first use and deleted
    // when the thread ends (for the main thread, with the application).
    static SessionFlusher *forCurrentThread();

    // `session` has frames to write: flushed at the end of this turn, or
    // when pacing lets pushes go. A session is scheduled at most once until
    // its flush; it keeps the slot returned for cancel().
    std::size_t schedule(Session *session, bool urgent);
    // A scheduled session was handed an urgent frame: flush this turn.
    void expedite() { requestFlush(true); }
    // `session`, scheduled into `slot` and not yet flushed, is going away; O(1).
    void cancel(Session *session, std::size_t slot);
    // Flushes now (also what the posted call runs).
    void flushAll();

    // websocket.flush_pacing_ms for this thread (0: never pace).
    void setPacingIntervalMs(int ms) { m_pacer.setIntervalMs(ms); }
    const FlushPacer &pacer() const { return m_pacer; }
    // Where the pacer reads time and this thread's run-queue wait (tests
    // pass a FakeClock and readings of their own); null and empty restore
    // the system clock and /proc/thread-self/schedstat.
    using WaitSource = std::function<std::optional<qint64>()>;
    void setPacingSources(Clock *clock, WaitSource waitedNs);

    // Sessions waiting for a flush (an urgent flush leaves holes in the list).
    int scheduledSessions() const;
    // Counts flushes: a value a session may cache per turn under (Qt's
    // buffer only grows by what a flush hands it, or by a control frame).
    quint64 turn() const { return m_turn; }

private:
    SessionFlusher();

    void requestFlush(bool urgent);
    // While pushes are gathered: flushes the sessions that hold urgent frames.
    void flushUrgent();
    // Feeds the pacer a run-queue reading when one is due.
    void samplePacer(qint64 nowMs);

    std::vector<Session *> m_dirty;
    std::vector<Session *> m_flushing;
    bool m_posted = false;
    bool m_urgentPosted = false;
    quint64 m_turn = 0;
    FlushPacer m_pacer;
    ThreadRunQueueWait m_runQueue; // opened by this thread: the flusher is created on it
    Clock *m_clock;
    WaitSource m_waitedNs;
    QTimer m_paceTimer;
};

} // namespace QuantPush
