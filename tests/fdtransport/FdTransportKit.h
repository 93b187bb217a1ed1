#pragma once

// What the FdTransport units (tests/fdtransport, tests/fdtransportwrite)
// share: a real loopback pair made with POSIX calls, the accepted end handed
// to an FdTransport, the client end read and written with recv/send; byte
// patterns that show a byte lost, doubled or out of place; receivers that
// write down what they are told.

#include "ws/FdTransport.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QObject>
#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


namespace FdTransportKit {

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

constexpr int Timeout = 5000;
// SO_RCVBUF of the client and SO_SNDBUF of the server end when a test wants
// the kernel full: the kernel doubles it, and a few MiB are far more.
constexpr int SmallBuffer = 8192;
constexpr qint64 BigWrite = 4 * 1024 * 1024;

// Bytes no two 4-byte words of which are alike (big-endian word index plus
// seed): a byte lost, doubled or out of place shows.
inline QByteArray pattern(qint64 size, quint32 seed = 0)
{
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    char *out = bytes.data();
    for (qint64 i = 0; i < size; ++i) {
        const quint32 word = quint32(i / 4) + seed;
        out[i] = char((word >> (8 * (3 - i % 4))) & 0xff);
    }
    return bytes;
}

// Where two byte arrays first differ (-1 when equal).
inline qint64 firstDifference(const QByteArray &a, const QByteArray &b)
{
    const qsizetype common = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (a.at(i) != b.at(i))
            return i;
    }
    return a.size() == b.size() ? -1 : common;
}

// What the client end has read so far.
struct ClientRead
{
    QByteArray data;
    bool eof = false;
    int error = 0;
};

// Reads what the client end has, without waiting.
inline void readSome(int fd, ClientRead &read)
{
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            read.data.append(buffer, qsizetype(got));
            continue;
        }
        if (got == 0) {
            read.eof = true;
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            read.error = errno;
        return;
    }
}

// Reads the client end while the event loop turns (the transport writes what
// it holds from there) until it has `size` bytes, or, with untilEof, until
// the end of stream; false on a read error, an early end of stream or after
// Timeout.
inline bool drainClient(int fd, ClientRead &read, qint64 size, bool untilEof = false)
{
    const QDeadlineTimer deadline(Timeout);
    for (;;) {
        readSome(fd, read);
        if (read.error != 0)
            return false;
        if (untilEof ? read.eof : read.data.size() >= size)
            return true;
        if (read.eof || deadline.hasExpired())
            return false;
        QCoreApplication::processEvents();
    }
}

// Bytes the kernel holds for a descriptor to read.
inline int pendingInput(int fd)
{
    int pending = -1;
    if (::ioctl(fd, FIONREAD, &pending) != 0)
        return -1;
    return pending;
}

inline qint64 sumOfFirstArguments(const QSignalSpy &spy)
{
    qint64 sum = 0;
    for (const QList<QVariant> &arguments : spy)
        sum += arguments.at(0).toLongLong();
    return sum;
}

inline QByteArray describeDifference(const QByteArray &received, const QByteArray &expected)
{
    return "received " + QByteArray::number(received.size()) + " of " + QByteArray::number(expected.size())
        + " bytes, first difference at " + QByteArray::number(firstDifference(received, expected));
}

// A Transport's one direct listener (its WsConnection in the server): writes
// down what it is told.
class RecordingReceiver final : public TransportReceiver
{
public:
    RecordingReceiver(QByteArrayList &events, Transport *&transport, QByteArray &received)
        : m_events(events), m_transport(transport), m_received(received)
    {
    }
    void transportReadyRead() override
    {
        m_events << "receiver readyRead";
        m_received += m_transport->readAvailable();
    }
    void transportBytesWritten(qint64 bytes) override { m_events << "receiver bytesWritten " + QByteArray::number(bytes); }
    void transportDisconnected() override { m_events << "receiver disconnected"; }

private:
    QByteArrayList &m_events;
    Transport *&m_transport;
    QByteArray &m_received;
};

// Whether `events` are pairs of "signal X" then "receiver X".
inline bool signalThenReceiver(const QByteArrayList &events)
{
    if (events.isEmpty() || events.size() % 2 != 0)
        return false;
    for (qsizetype i = 0; i < events.size(); i += 2) {
        if (!events.at(i).startsWith("signal ") || events.at(i + 1) != "receiver " + events.at(i).mid(7))
            return false;
    }
    return true;
}

// Writes down whether it was told of input after its transport was deleted.
class LateReceiver final : public TransportReceiver
{
public:
    explicit LateReceiver(const bool &deleted) : m_deleted(deleted) { }
    void transportReadyRead() override { m_toldAfterDeletion = m_toldAfterDeletion || m_deleted; }
    void transportBytesWritten(qint64) override { }
    void transportDisconnected() override { }
    bool toldAfterDeletion() const { return m_toldAfterDeletion; }

private:
    const bool &m_deleted;
    bool m_toldAfterDeletion = false;
};


// The pair and its helpers, for a test class to derive from.
class FdTransportFixture : public QObject
{
protected:
    // Closes whatever the last test left open (call from cleanup()).
    void closePair()
    {
        delete m_transport;
        m_transport = nullptr;
        if (m_client >= 0)
            ::close(m_client);
        m_client = -1;
        m_serverFd = -1;
    }
    // A connected loopback pair: m_client is ours, the accepted end goes to
    // a new m_transport. Buffer sizes of 0 leave the kernel's defaults.
    bool open(int clientReceiveBuffer = 0, int serverSendBuffer = 0);
    // Sends all of `bytes` from the client end (small amounts: the kernel
    // takes them at once).
    bool clientSend(const QByteArray &bytes);
    // Writes `bytes` through the transport in chunks of uneven sizes (some
    // of one byte, more than an iovec batch of them in all).
    bool writeChunked(const QByteArray &bytes);
    // Closes the client end with a reset (SO_LINGER {1, 0}).
    void resetClient();
    // Writes `chunk` until `disconnected` fires, each write taken whole
    // until then (a failed connection drops what it is given).
    void writeUntilClosed(const QByteArray &chunk, QSignalSpy &disconnected)
    {
        const QDeadlineTimer deadline(Timeout);
        while (disconnected.count() == 0 && !deadline.hasExpired()) {
            QCOMPARE(m_transport->write(chunk), qint64(chunk.size()));
            QCoreApplication::processEvents();
        }
        QCOMPARE(disconnected.count(), 1);
    }
    // Closed: no descriptor, nothing held, writes refused, and no second
    // disconnected() over the next turns.
    void verifyClosedOnce(QSignalSpy &disconnected)
    {
        QCOMPARE(m_transport->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(m_transport->descriptor(), qintptr(-1));
        QCOMPARE(m_transport->bytesToWrite(), 0);
        QCOMPARE(m_transport->write("x", 1), -1);
        for (int turn = 0; turn < 3; ++turn)
            QTest::qWait(50);
        QCOMPARE(disconnected.count(), 1);
    }

    int m_client = -1;
    int m_serverFd = -1;
    FdTransport *m_transport = nullptr;
};

inline bool FdTransportFixture::open(int clientReceiveBuffer, int serverSendBuffer)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        qWarning("socket: %s", std::strerror(errno));
        return false;
    }
    const auto closeListener = qScopeGuard([listener] { ::close(listener); });
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        || ::listen(listener, 1) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        qWarning("listen: %s", std::strerror(errno));
        return false;
    }
    m_client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_client < 0) {
        qWarning("socket: %s", std::strerror(errno));
        return false;
    }
    if (clientReceiveBuffer > 0
        && ::setsockopt(m_client, SOL_SOCKET, SO_RCVBUF, &clientReceiveBuffer, sizeof clientReceiveBuffer) != 0) {
        qWarning("SO_RCVBUF: %s", std::strerror(errno));
        return false;
    }
    if (::connect(m_client, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        qWarning("connect: %s", std::strerror(errno));
        return false;
    }
    // Blocking, as accept(2) makes it: the transport must not depend on the
    // descriptor's mode.
    m_serverFd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (m_serverFd < 0) {
        qWarning("accept: %s", std::strerror(errno));
        return false;
    }
    if (serverSendBuffer > 0
        && ::setsockopt(m_serverFd, SOL_SOCKET, SO_SNDBUF, &serverSendBuffer, sizeof serverSendBuffer) != 0) {
        qWarning("SO_SNDBUF: %s", std::strerror(errno));
        ::close(m_serverFd);
        return false;
    }
    m_transport = new FdTransport(m_serverFd);
    return true;
}

inline bool FdTransportFixture::clientSend(const QByteArray &bytes)
{
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        const ssize_t sent = ::send(m_client, bytes.constData() + offset, std::size_t(bytes.size() - offset), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            qWarning("client send: %s", std::strerror(errno));
            return false;
        }
        offset += sent;
    }
    return true;
}

inline bool FdTransportFixture::writeChunked(const QByteArray &bytes)
{
    static constexpr qint64 Sizes[] = {1, 4093, 16384, 7, 65536, 12289, 3, 30000, 1, 2};
    qint64 offset = 0;
    for (std::size_t i = 0; offset < bytes.size(); ++i) {
        const qint64 size = qMin(Sizes[i % std::size(Sizes)], bytes.size() - offset);
        const qint64 taken = m_transport->write(bytes.constData() + offset, size);
        if (taken != size) {
            qWarning("write(%lld bytes) at offset %lld returned %lld", size, offset, taken);
            return false;
        }
        offset += size;
    }
    return true;
}

inline void FdTransportFixture::resetClient()
{
    const linger option {1, 0};
    ::setsockopt(m_client, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    ::close(m_client);
    m_client = -1;
}

} // namespace FdTransportKit
