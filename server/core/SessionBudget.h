#pragma once

#include <QtCore/QtGlobal>

namespace QuantPush {

// How many outbound bytes the server may hold for one connection (its
// socket's write buffer: pushes, replies and errors alike). Pushes stop at
// `pushBytes` and wait in the session's queue; a reply or error that would
// take the buffer past the hard limit means the client is not reading what
// it asks for, and the connection is closed (4008). Before authentication
// the hard limit is `preAuthBytes`: a stranger gets a few KiB, not megabytes.
class SessionBudget
{
public:
    // Replies may use this much on top of a full push buffer, so that a
    // client keeping up with a busy channel can still ping and subscribe.
    static constexpr qint64 ReplyHeadroomBytes = 64 * 1024;

    SessionBudget(qint64 preAuthBytes, qint64 pushBytes) : m_preAuthBytes(preAuthBytes), m_pushBytes(pushBytes) { }

    void setAuthenticated(bool authenticated) { m_authenticated = authenticated; }
    bool isAuthenticated() const { return m_authenticated; }

    // Total bytes the connection may hold before it is closed.
    qint64 hardLimit() const { return m_authenticated ? m_pushBytes + ReplyHeadroomBytes : m_preAuthBytes; }
    // True while a push may go to the socket (else it queues).
    bool pushFits(qint64 heldBytes) const { return heldBytes <= (m_authenticated ? m_pushBytes : m_preAuthBytes); }
    // True when writing `bytes` more keeps the connection within its budget.
    bool fits(qint64 heldBytes, qint64 bytes) const { return heldBytes + bytes <= hardLimit(); }

private:
    qint64 m_preAuthBytes;
    qint64 m_pushBytes;
    bool m_authenticated = false;
};

} // namespace QuantPush
