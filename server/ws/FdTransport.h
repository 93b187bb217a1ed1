#pragma once

#include "Transport.h"

#include <QtCore/QList>

class QSocketNotifier;

namespace QuantPush {

// A Transport over a connected, plain TCP descriptor: one QObject and one
// read notifier per connection, a write notifier only while the kernel's
// buffer is full. Every call on the descriptor is non-blocking by its flags
// (MSG_DONTWAIT), so the descriptor's own mode is never asked or changed,
// and nothing is asked of the kernel that the connection does not use: the
// peer's address is fetched once, when first wanted.
//
// Reads are one recv(2) per notification, straight into a per-thread chunk;
// the notifier is level-triggered, so a peer that sent more than a chunk is
// read again next turn, after everyone else's. Held output is a list of
// byte arrays written with one sendmsg(2) per turn when the notifier says
// there is room.
class FdTransport final : public Transport
{
    Q_OBJECT
public:
    // Bytes read per notification at most.
    static constexpr qint64 ReadChunk = 64 * 1024;

    // Takes `descriptor` (closed with this object at the latest). Must be
    // made on the thread that will use it.
    explicit FdTransport(int descriptor, QObject *parent = nullptr);
    ~FdTransport() override;

    bool isPlain() const override { return true; }
    qintptr descriptor() const override { return m_fd; }
    QAbstractSocket::SocketState state() const override { return m_state; }
    QHostAddress peerAddress() const override;
    quint16 peerPort() const override;
    qint64 bytesToWrite() const override { return m_heldBytes; }
    qint64 write(const char *data, qint64 size) override;
    using Transport::write;
    qint64 writeWhenRoom(const char *data, qint64 size) override;
    bool mayHaveInput() const override { return m_unread; }
    QByteArray readAvailable() override;
    void disconnectFromHost() override;
    void shutdownWrite() override;
    void abort() override;

private:
    void onReadable();
    void onWritable();
    // Writes what is held; the bytes the kernel took, or -1 on an error.
    qint64 writeHeld();
    void hold(const char *data, qint64 size);
    void setWriteNotifierEnabled(bool enabled);
    // The end of stream or an error: the connection closes after the
    // current notification, or on the next turn when met outside one.
    void peerEnded();
    void finishLater();
    // Stops watching, closes the descriptor and tells (disconnected()) if
    // the connection was open.
    void finish();
    void fetchPeer() const;

    int m_fd;
    QSocketNotifier *m_readNotifier;
    QSocketNotifier *m_writeNotifier = nullptr;
    QList<QByteArray> m_held;
    qint64 m_heldBytes = 0;
    // Bytes of m_held.first() the kernel already has.
    qint64 m_frontWritten = 0;
    mutable QHostAddress m_peerAddress;
    mutable quint16 m_peerPort = 0;
    QAbstractSocket::SocketState m_state = QAbstractSocket::ConnectedState;
    mutable bool m_peerFetched = false;
    // A read notification that nobody has read yet (the notifier is paused
    // until they do).
    bool m_unread = false;
    bool m_readPaused = false;
    bool m_inReadable = false;
    bool m_ended = false;
    bool m_finishQueued = false;
    bool m_shutdownAfterFlush = false;
};

} // namespace QuantPush
