#pragma once

#include "Transport.h"

class QTcpSocket;

namespace QuantPush {

// A Transport over a QTcpSocket or QSslSocket: TLS connections, and plain
// ones whose request head the front door had to wait for through a socket.
// Bytes are written straight to the descriptor while a plain socket's own
// buffer is empty (QAbstractSocket reserves a 32 KiB chunk on its first
// write and keeps it, per connection), the rest through the socket.
class QtSocketTransport final : public Transport
{
    Q_OBJECT
public:
    // Takes `socket` (it becomes this object's child). `readBufferSize`
    // bounds what Qt reads ahead of us (0: unbounded, Qt's default).
    QtSocketTransport(QTcpSocket *socket, qint64 readBufferSize, QObject *parent = nullptr);

    bool isPlain() const override { return m_plain; }
    qintptr descriptor() const override;
    QAbstractSocket::SocketState state() const override;
    QHostAddress peerAddress() const override;
    quint16 peerPort() const override;
    qint64 bytesToWrite() const override;
    qint64 write(const char *data, qint64 size) override;
    using Transport::write;
    qint64 writeWhenRoom(const char *data, qint64 size) override;
    bool mayHaveInput() const override;
    QByteArray readAvailable() override;
    void disconnectFromHost() override;
    void shutdownWrite() override;
    void abort() override;

private:
    QTcpSocket *m_socket;
    bool m_plain = true;
    bool m_shutdownPending = false;
};

} // namespace QuantPush
