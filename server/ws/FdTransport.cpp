#include "FdTransport.h"

#include "core/Logging.h"

#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace QuantPush {

namespace {

// iovecs per sendmsg of held output.
constexpr int MaxIovecs = 64;

char *readScratch()
{
    // One per thread: a read copies out only what arrived.
    thread_local char scratch[FdTransport::ReadChunk];
    return scratch;
}

} // namespace

FdTransport::FdTransport(int descriptor, QObject *parent)
    : Transport(parent), m_fd(descriptor), m_readNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this))
{
    connect(m_readNotifier, &QSocketNotifier::activated, this, &FdTransport::onReadable);
}

FdTransport::~FdTransport()
{
    if (m_fd < 0)
        return;
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_fd);
}

void FdTransport::fetchPeer() const
{
    if (m_peerFetched || m_fd < 0)
        return;
    m_peerFetched = true;
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return;
    m_peerAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&address));
    if (address.ss_family == AF_INET)
        m_peerPort = ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    else if (address.ss_family == AF_INET6)
        m_peerPort = ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
}

QHostAddress FdTransport::peerAddress() const
{
    fetchPeer();
    return m_peerAddress;
}

quint16 FdTransport::peerPort() const
{
    fetchPeer();
    return m_peerPort;
}

qint64 FdTransport::write(const char *data, qint64 size)
{
    if (m_fd < 0 || m_state != QAbstractSocket::ConnectedState)
        return -1;
    if (size <= 0 || m_ended)
        return size; // a failed connection drops what it is given until it is closed
    qint64 done = 0;
    if (m_held.isEmpty()) {
        for (;;) {
            // MSG_NOSIGNAL: a peer that reset must not raise SIGPIPE.
            const ssize_t written = ::send(m_fd, data, std::size_t(size), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (written >= 0) {
                done = qint64(written);
                break;
            }
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                qCDebug(lcConnection) << "write failed:" << std::strerror(errno);
                peerEnded();
                return size;
            }
            break;
        }
    }
    if (done < size)
        hold(data + done, size - done);
    return size;
}

qint64 FdTransport::writeWhenRoom(const char *data, qint64 size)
{
    if (m_fd < 0 || m_state != QAbstractSocket::ConnectedState)
        return -1;
    if (size > 0 && !m_ended)
        hold(data, size);
    return size;
}

void FdTransport::hold(const char *data, qint64 size)
{
    m_held.append(QByteArray(data, size));
    m_heldBytes += size;
    setWriteNotifierEnabled(true);
}

void FdTransport::setWriteNotifierEnabled(bool enabled)
{
    if (!m_writeNotifier) {
        if (!enabled || m_fd < 0)
            return;
        m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &FdTransport::onWritable);
        return; // made enabled
    }
    if (m_writeNotifier->isEnabled() != enabled)
        m_writeNotifier->setEnabled(enabled);
}

qint64 FdTransport::writeHeld()
{
    qint64 total = 0;
    while (!m_held.isEmpty()) {
        iovec iov[MaxIovecs];
        int count = 0;
        qint64 offered = 0;
        for (qsizetype i = 0; i < m_held.size() && count < MaxIovecs; ++i, ++count) {
            const qint64 skip = i == 0 ? m_frontWritten : 0;
            iov[count].iov_base = const_cast<char *>(m_held.at(i).constData() + skip);
            iov[count].iov_len = std::size_t(m_held.at(i).size() - skip);
            offered += qint64(iov[count].iov_len);
        }
        msghdr message = {};
        message.msg_iov = iov;
        message.msg_iovlen = std::size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            qCDebug(lcConnection) << "write failed:" << std::strerror(errno);
            return -1;
        }
        total += written;
        m_heldBytes -= written;
        for (qint64 left = written; left > 0;) {
            const qint64 rest = m_held.first().size() - m_frontWritten;
            if (left < rest) {
                m_frontWritten += left;
                left = 0;
            } else {
                left -= rest;
                m_held.removeFirst();
                m_frontWritten = 0;
            }
        }
        if (written < offered)
            break; // the kernel's buffer is full again
    }
    if (m_held.isEmpty())
        m_held = QList<QByteArray>(); // a burst's capacity is not kept
    return total;
}

void FdTransport::onWritable()
{
    const qint64 written = writeHeld();
    if (written < 0) {
        m_held.clear();
        m_heldBytes = 0;
        m_ended = true;
        finish();
        return;
    }
    if (m_held.isEmpty()) {
        setWriteNotifierEnabled(false);
        if (m_shutdownAfterFlush) {
            m_shutdownAfterFlush = false;
            ::shutdown(m_fd, SHUT_WR);
        }
    }
    if (written > 0) {
        const QPointer<FdTransport> alive(this);
        tellBytesWritten(written);
        if (!alive || m_fd < 0)
            return;
    }
    if (m_held.isEmpty() && m_state == QAbstractSocket::ClosingState)
        finish();
}

QByteArray FdTransport::readAvailable()
{
    m_unread = false;
    if (m_readPaused && m_fd >= 0 && !m_ended && m_state == QAbstractSocket::ConnectedState) {
        m_readPaused = false;
        m_readNotifier->setEnabled(true);
    }
    if (m_fd < 0 || m_ended)
        return {};
    char *scratch = readScratch();
    for (;;) {
        const ssize_t got = ::recv(m_fd, scratch, std::size_t(ReadChunk), MSG_DONTWAIT);
        if (got > 0)
            return QByteArray(scratch, qsizetype(got));
        if (got == 0) {
            peerEnded();
            return {};
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            peerEnded();
        return {};
    }
}

void FdTransport::onReadable()
{
    m_unread = true;
    m_inReadable = true;
    const QPointer<FdTransport> alive(this);
    tellReadyRead();
    if (!alive)
        return;
    m_inReadable = false;
    if (m_fd < 0)
        return;
    if (m_unread && !m_ended) {
        // Nobody read: level-triggered, the notifier would fire again at
        // once, every turn. It waits for the next readAvailable().
        m_readPaused = true;
        m_readNotifier->setEnabled(false);
        return;
    }
    if (m_ended && !m_finishQueued)
        abort();
}

// As QAbstractSocket: the peer's end of stream, like an error, closes the
// connection at once and drops what is held. Writing it on to a peer that
// may never read again would keep the descriptor and up to a session's
// budget of bytes until the heartbeat noticed, with nothing owning the wait.
void FdTransport::peerEnded()
{
    m_ended = true;
    m_readNotifier->setEnabled(false);
    if (!m_inReadable)
        finishLater();
}

void FdTransport::finishLater()
{
    // Never from inside the caller's write or read: it may be iterating
    // over sessions, and disconnected() ends one.
    if (m_finishQueued)
        return;
    m_finishQueued = true;
    QMetaObject::invokeMethod(
        this, [this] {
            m_finishQueued = false;
            abort();
        },
        Qt::QueuedConnection);
}

void FdTransport::disconnectFromHost()
{
    if (m_state == QAbstractSocket::UnconnectedState)
        return;
    if (m_held.isEmpty() || m_ended) {
        finish();
        return;
    }
    // Closing: what is held goes out first, nothing more is read.
    m_state = QAbstractSocket::ClosingState;
    m_readNotifier->setEnabled(false);
    m_readPaused = false;
}

void FdTransport::shutdownWrite()
{
    if (m_fd < 0)
        return;
    if (m_held.isEmpty())
        ::shutdown(m_fd, SHUT_WR);
    else
        m_shutdownAfterFlush = true;
}

void FdTransport::abort()
{
    if (m_state == QAbstractSocket::UnconnectedState)
        return;
    m_held.clear();
    m_heldBytes = 0;
    finish();
}

void FdTransport::finish()
{
    const bool wasOpen = m_state != QAbstractSocket::UnconnectedState;
    m_state = QAbstractSocket::UnconnectedState;
    // Logged after the close by whoever refused the connection.
    fetchPeer();
    if (m_fd >= 0) {
        // Disabled, not deleted: this may run inside a notifier's own
        // activation. They go with this object.
        m_readNotifier->setEnabled(false);
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
        ::close(m_fd);
        m_fd = -1;
    }
    m_held.clear();
    m_heldBytes = 0;
    if (wasOpen)
        tellDisconnected();
}

} // namespace QuantPush
