#include "FrameBatch.h"

#include "Logging.h"

#include "ws/Transport.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

namespace QuantPush {

namespace {
// iovecs per sendmsg: enough for a turn's worth of frames in a call or two,
// small enough for the stack.
constexpr std::size_t MaxIovecs = 256;
// A batch that once held many frames gives its array back when it empties
// (idle connections should not keep a burst's worth of capacity).
constexpr std::size_t KeptCapacity = 64;
} // namespace

FrameBatch::FrameBatch(Transport *transport) : m_socket(transport) { }

void FrameBatch::append(const QByteArray &frame)
{
    m_frames.push_back(frame);
    m_bytes += frame.size();
}

void FrameBatch::clear()
{
    if (m_frames.capacity() > KeptCapacity)
        std::vector<QByteArray>().swap(m_frames);
    else
        m_frames.clear();
    m_head = 0;
    m_bytes = 0;
}

void FrameBatch::consume(std::size_t end)
{
    for (std::size_t i = m_head; i < end; ++i) {
        m_bytes -= m_frames[i].size();
        m_frames[i] = QByteArray(); // the shared frame is released now
    }
    m_head = end;
    if (isEmpty()) {
        clear();
        return;
    }
    // Compact once the dead front outweighs what is held.
    if (m_head > 32 && m_head * 2 > m_frames.size()) {
        m_frames.erase(m_frames.begin(), m_frames.begin() + std::ptrdiff_t(m_head));
        m_head = 0;
    }
}

void FrameBatch::handToSocket(Transport *socket, std::size_t index, qint64 offset)
{
    const QByteArray &frame = m_frames[index];
    const qint64 left = frame.size() - offset;
    if (socket->writeWhenRoom(frame.constData() + offset, left) == left)
        m_handedBytes += left;
}

void FrameBatch::flush()
{
    if (isEmpty())
        return;
    Transport *socket = m_socket.data();
    if (!socket || socket->state() != QAbstractSocket::ConnectedState || socket->descriptor() < 0) {
        clear();
        return;
    }
    // Never around bytes the transport still holds: its bytesWritten brings us back.
    if (socket->bytesToWrite() > 0)
        return;
    const auto [next, offset] = writeDirect(int(socket->descriptor()));
    if (next == m_frames.size()) {
        clear();
        return;
    }
    // The kernel stopped inside or before frame `next`: the transport waits
    // for room with that one, the rest stays shared here.
    handToSocket(socket, next, offset);
    consume(next + 1);
}

void FrameBatch::handAllToSocket()
{
    Transport *socket = m_socket.data();
    if (socket && socket->state() == QAbstractSocket::ConnectedState) {
        for (std::size_t i = m_head; i < m_frames.size(); ++i)
            handToSocket(socket, i, 0);
    }
    clear();
}

std::pair<std::size_t, qint64> FrameBatch::writeDirect(int fd)
{
    std::size_t next = m_head;
    qint64 offset = 0;
    iovec iov[MaxIovecs];
    while (next < m_frames.size()) {
        std::size_t count = 0;
        qint64 offered = 0;
        for (std::size_t i = next; i < m_frames.size() && count < MaxIovecs; ++i, ++count) {
            const qint64 skip = i == next ? offset : 0;
            iov[count].iov_base = const_cast<char *>(m_frames[i].constData() + skip);
            iov[count].iov_len = std::size_t(m_frames[i].size() - skip);
            offered += qint64(iov[count].iov_len);
        }
        msghdr message = {};
        message.msg_iov = iov;
        message.msg_iovlen = count;
        // MSG_NOSIGNAL: a peer that reset must not raise SIGPIPE (whatever
        // the process does with it); the transport learns of the reset when it
        // writes the frame handed to it, or reads.
        const ssize_t written = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ++m_writeErrors;
                qCDebug(lcConnection) << "direct write failed:" << std::strerror(errno) << "- left to the socket";
            }
            break;
        }
        m_directBytes += written;
        qint64 left = written;
        while (left > 0) {
            const qint64 rest = m_frames[next].size() - offset;
            if (left < rest) {
                offset += left;
                left = 0;
            } else {
                left -= rest;
                ++next;
                offset = 0;
            }
        }
        if (written < offered)
            break; // the kernel's buffer is full: the transport waits for room
    }
    return {next, offset};
}

} // namespace QuantPush
