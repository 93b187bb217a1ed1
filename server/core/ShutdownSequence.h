#pragma once

#include <QtCore/QObject>

namespace QuantPush {

class Admission;
class FrontDoor;
class MessageBroadcaster;
class SessionWorkers;

// A graceful stop in three steps: no new connections, queued messages
// released, then up to `drainMs` for clients to read them before everyone
// is closed with 1001. `finished` once the last session is gone.
class ShutdownSequence : public QObject
{
    Q_OBJECT
public:
    ShutdownSequence(Admission *admission, FrontDoor *frontDoor, MessageBroadcaster *broadcaster,
                     SessionWorkers *sessions, int drainMs, QObject *parent = nullptr);

    // Idempotent: a second SIGTERM during the drain changes nothing.
    void start();
    bool isRunning() const { return m_started; }

Q_SIGNALS:
    void finished();

private:
    void closeEveryone();

    Admission *m_admission;
    FrontDoor *m_frontDoor;
    MessageBroadcaster *m_broadcaster;
    SessionWorkers *m_sessions;
    int m_drainMs;
    bool m_started = false;
};

} // namespace QuantPush
