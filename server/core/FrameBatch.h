#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QPointer>

#include <utility>
#include <vector>

namespace QuantPush {

class Transport;

// The frames one connection was handed and has not yet given to the
// kernel, written with one sendmsg(2) straight to the socket's descriptor
// at the end of each event-loop turn (SessionFlusher).
//
// Why: a write per frame (QTcpSocket::write copied every frame into its ring
// buffer and turned its write notifier on and off: about three syscalls and
// a turn per frame per subscriber). Here the frames stay the shared,
// already-encoded QByteArrays they were handed as until the kernel takes
// them, all of a turn's at once.
//
// The transport's own buffer still owns the connection's order: frames are
// written to the descriptor only while it is empty. When the kernel takes
// only part (EAGAIN, a short write, an error), the rest of the frame it
// stopped in, or the next whole frame, goes to Transport::write, so that the
// transport waits for room (and, writing it, sees any error and closes the
// connection); the frames after it stay here, shared, until the transport's
// buffer is empty again (Session calls flush() on bytesWritten). So a peer
// that lags holds references to frames every subscriber shares, not a copy
// of each.
// Plain TCP only: a TLS socket's bytes must go through its encryption.
class FrameBatch
{
public:
    // `transport`: the plain TCP transport to write to; null makes a batch
    // that is never used (isDirect() false).
    explicit FrameBatch(Transport *transport);

    bool isDirect() const { return !m_socket.isNull(); }
    bool isEmpty() const { return m_head == m_frames.size(); }
    // Bytes held here, not yet given to the kernel or to the transport.
    qint64 bytes() const { return m_bytes; }
    int frames() const { return int(m_frames.size() - m_head); }

    void append(const QByteArray &frame);
    // Gives the kernel all it takes, the transport the frame it stopped in;
    // keeps the rest while the transport holds bytes. Nothing happens while
    // it does.
    void flush();
    // Hands everything held to the transport's buffer (before a close frame).
    void handAllToSocket();
    // Forgets what is held (the connection is gone or has sent its close).
    void clear();

    // Totals since start, for tests and debugging: bytes the kernel took
    // from here, and bytes handed on to the transport's buffer instead.
    qint64 bytesWrittenDirect() const { return m_directBytes; }
    qint64 bytesHandedToSocket() const { return m_handedBytes; }
    // Direct writes that failed with an error other than EAGAIN (a reset
    // peer): the frame went to the transport, which then closes.
    int writeErrors() const { return m_writeErrors; }

private:
    // Writes from the first frame held on; returns how far it got, as an
    // index into m_frames and an offset inside that frame.
    std::pair<std::size_t, qint64> writeDirect(int fd);
    // Drops frames [m_head, end): the kernel or the transport has them.
    void consume(std::size_t end);
    // Hands frame `index` from `offset` on to the transport's buffer.
    void handToSocket(Transport *socket, std::size_t index, qint64 offset);

    QPointer<Transport> m_socket;
    // Frames [m_head, size) are held, whole.
    std::vector<QByteArray> m_frames;
    std::size_t m_head = 0;
    qint64 m_bytes = 0;
    qint64 m_directBytes = 0;
    qint64 m_handedBytes = 0;
    int m_writeErrors = 0;
};

} // namespace QuantPush
