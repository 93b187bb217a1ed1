#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QHostAddress>

namespace QuantPush {

// The one object that reads a transport and learns of its end (its
// WsConnection), called directly besides the signals: a signal connection
// costs an allocation per connection per signal, and at 12 k connects/s
// those were a third of the fresh heap the server touched (session 27).
class TransportReceiver
{
public:
    virtual void transportReadyRead() = 0;
    virtual void transportBytesWritten(qint64 bytes) = 0;
    virtual void transportDisconnected() = 0;

protected:
    ~TransportReceiver() = default;
};

// The byte stream a WebSocket connection runs on: what WsConnection, Session
// and FrameBatch need of a socket, and no more. Two kinds:
// - FdTransport: a plain TCP descriptor the front door accepted with its
//   whole request head (nearly every connection). Ours, and small.
// - QtSocketTransport: a QTcpSocket or QSslSocket (TLS, and heads that came
//   in pieces, which the front door read through a socket).
//
// Why not QTcpSocket for all: per connection, QTcpSocket::setSocketDescriptor
// makes a socket engine and its notifiers and asks the kernel six questions
// (fcntl twice, getsockname, getpeername, getsockopt twice), and every read
// asks FIONREAD first. On a virtual machine each system call traps to the
// hypervisor: at 12 k connects/s they were a seventh of the server's CPU
// (docs/benchmarks.md, session 27).
//
// Order of signals follows QAbstractSocket's: disconnected() is emitted
// synchronously by disconnectFromHost() with nothing left to write and by
// abort(); otherwise from the event loop.
class Transport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Plain TCP: whole frames may be written to descriptor() directly while
    // bytesToWrite() is 0 (FrameBatch). False for TLS.
    virtual bool isPlain() const = 0;
    // -1 once closed.
    virtual qintptr descriptor() const = 0;
    virtual QAbstractSocket::SocketState state() const = 0;
    virtual QHostAddress peerAddress() const = 0;
    virtual quint16 peerPort() const = 0;

    // Bytes accepted by write() that the kernel has not taken yet.
    virtual qint64 bytesToWrite() const = 0;
    // Takes all of `size` bytes (or none once closed), in order behind what
    // is held; returns `size`, or -1 when closed.
    virtual qint64 write(const char *data, qint64 size) = 0;
    qint64 write(const QByteArray &bytes) { return write(bytes.constData(), bytes.size()); }
    // As write(), without trying the kernel first: for the rest of a write
    // the kernel just took only part of.
    virtual qint64 writeWhenRoom(const char *data, qint64 size) = 0;

    // Whether a read may find bytes without waiting for readyRead: bytes
    // already buffered, or a notification nobody read yet. Answered without
    // a system call.
    virtual bool mayHaveInput() const = 0;
    // What has arrived, up to the transport's read chunk; empty when nothing
    // has. The peer's end of stream is reported as disconnected() later.
    virtual QByteArray readAvailable() = 0;

    // Closes once what is held is written (disconnected() then).
    virtual void disconnectFromHost() = 0;
    // Ends our direction (FIN) once what is held is written, and keeps
    // reading: after a protocol error the peer's close frame may still come.
    virtual void shutdownWrite() = 0;
    // Closes now, dropping what is held.
    virtual void abort() = 0;

    // Told of everything the signals tell, after them; null to stop.
    void setReceiver(TransportReceiver *receiver) { m_receiver = receiver; }

Q_SIGNALS:
    void readyRead();
    // Bytes held by the transport went to the kernel (not bytes that
    // write() handed over at once).
    void bytesWritten(qint64 bytes);
    void disconnected();

protected:
    // A slot may delete the transport: the receiver is told only if it
    // still exists. (The guard costs no allocation here: the session's
    // QPointer to its transport made the shared count already.)
    void tellReadyRead()
    {
        const QPointer<Transport> alive(this);
        Q_EMIT readyRead();
        if (alive && m_receiver)
            m_receiver->transportReadyRead();
    }
    void tellBytesWritten(qint64 bytes)
    {
        const QPointer<Transport> alive(this);
        Q_EMIT bytesWritten(bytes);
        if (alive && m_receiver)
            m_receiver->transportBytesWritten(bytes);
    }
    void tellDisconnected()
    {
        const QPointer<Transport> alive(this);
        Q_EMIT disconnected();
        if (alive && m_receiver)
            m_receiver->transportDisconnected();
    }

private:
    TransportReceiver *m_receiver = nullptr;
};

} // namespace QuantPush
