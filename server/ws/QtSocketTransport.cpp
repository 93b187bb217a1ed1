#include "QtSocketTransport.h"

#include <QtNetwork/QTcpSocket>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslSocket>
#endif

#include <sys/socket.h>

#include <cerrno>

namespace QuantPush {

QtSocketTransport::QtSocketTransport(QTcpSocket *socket, qint64 readBufferSize, QObject *parent)
    : Transport(parent), m_socket(socket)
{
    socket->setParent(this);
    socket->setReadBufferSize(readBufferSize);
#if QT_CONFIG(ssl)
    if (const auto *tls = qobject_cast<QSslSocket *>(socket); tls && tls->mode() != QSslSocket::UnencryptedMode)
        m_plain = false;
#endif
    connect(socket, &QTcpSocket::readyRead, this, &QtSocketTransport::tellReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &QtSocketTransport::tellBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &QtSocketTransport::tellDisconnected);
}

qintptr QtSocketTransport::descriptor() const
{
    return m_socket->socketDescriptor();
}

QAbstractSocket::SocketState QtSocketTransport::state() const
{
    return m_socket->state();
}

QHostAddress QtSocketTransport::peerAddress() const
{
    return m_socket->peerAddress();
}

quint16 QtSocketTransport::peerPort() const
{
    return m_socket->peerPort();
}

qint64 QtSocketTransport::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

qint64 QtSocketTransport::write(const char *data, qint64 size)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    qint64 done = 0;
    if (m_plain && m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0) {
        const int fd = int(m_socket->socketDescriptor());
        for (;;) {
            // MSG_NOSIGNAL: a reset peer must not raise SIGPIPE. Errors are
            // left to Qt: it meets them writing the rest and closes the socket.
            const ssize_t written = ::send(fd, data, std::size_t(size), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (written < 0 && errno == EINTR)
                continue;
            if (written > 0)
                done = qint64(written);
            break;
        }
    }
    if (done < size)
        m_socket->write(data + done, size - done);
    return size;
}

qint64 QtSocketTransport::writeWhenRoom(const char *data, qint64 size)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    m_socket->write(data, size);
    return size;
}

bool QtSocketTransport::mayHaveInput() const
{
    return m_socket->bytesAvailable() > 0;
}

QByteArray QtSocketTransport::readAvailable()
{
    // read(n) with n the size of the buffer's one chunk hands over that
    // chunk itself (QIODevice moves it out of its ring buffer rather than
    // copying out of it): the socket then keeps no 16 KiB read chunk between
    // reads, a page or more of RSS per idle connection otherwise. (readAll()
    // copies and leaves the chunk in place.)
    return m_socket->read(m_socket->bytesAvailable());
}

void QtSocketTransport::disconnectFromHost()
{
    m_socket->disconnectFromHost();
}

void QtSocketTransport::shutdownWrite()
{
    if (!m_plain) {
        m_socket->disconnectFromHost(); // TLS has no half-close of its own
        return;
    }
    if (m_socket->bytesToWrite() > 0) {
        // After what Qt still holds: shut the write side once it is out.
        if (!m_shutdownPending) {
            m_shutdownPending = true;
            connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
                if (m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0)
                    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
            });
        }
        return;
    }
    if (m_socket->socketDescriptor() >= 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void QtSocketTransport::abort()
{
    m_socket->abort();
}

} // namespace QuantPush
