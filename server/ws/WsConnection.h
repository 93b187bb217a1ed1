#pragma once

#include "Transport.h"
#include "WsFrameParser.h"

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QHostAddress>

#include <functional>
#include <memory>
#include <utility>

namespace QuantPush {

// The connection's owner (its Session), called directly (see
// TransportReceiver for why).
class WsConnectionReceiver
{
public:
    virtual void wsTextReceived(const QString &text) = 0;
    virtual void wsBinaryReceived(const QByteArray &data) = 0;
    virtual void wsPong(const QByteArray &payload) = 0;
    // A close frame is on its way to the peer (ours, or the echo of its
    // own): nothing may be written after it.
    virtual void wsAboutToClose() = 0;
    virtual void wsDisconnected() = 0;
    // The transport wrote out bytes it held (Transport::bytesWritten).
    virtual void wsBytesWritten(qint64 bytes) = 0;

protected:
    ~WsConnectionReceiver() = default;
};

// The server side of one WebSocket connection (RFC 6455) over the TCP or
// TLS connection the front door accepted and read the request head of (a
// Transport: our own for plain descriptors, Qt's sockets otherwise). It
// answers the opening handshake, parses the client's frames (WsFrameParser),
// answers pings, runs the close handshake, and writes the few frames it
// makes itself (handshake answer, pong, ping, close). No timers: the close
// grace is its owner's (Session, SessionHost's heartbeat).
//
// Why not QWebSocket: per connection QWebSocketServer re-parses the
// handshake and builds QWebSocketPrivate state (docs/benchmarks.md, "Own
// WebSocket layer"); its floor alone was ~10.6 KiB and 3.2 k connects/s.
//
// Its interface is the part of QWebSocket's that Session used.
class WsConnection : public QObject, private TransportReceiver
{
    Q_OBJECT
public:
    // Takes `transport` (it becomes this object's child); `target` and
    // `headers` (lower-case names) are the request's, kept until
    // forgetRequest(). The head's first `headBytes` are still to be read
    // from the transport and are skipped.
    WsConnection(Transport *transport, const QByteArray &target, const QHash<QByteArray, QByteArray> &headers,
                 qsizetype headBytes, QObject *parent = nullptr);
    ~WsConnection() override;

    // Answers the request (`method` as sent): true after a 101; false after
    // a 400 or 426 (then the socket is closed once written), with the reason
    // in `error`. A plain connection's 101 is held, to leave in the same
    // write as the first frames (the welcome): one send, and one wake-up of
    // the client, fewer per connection. Whoever writes first sends it: the
    // session's batch (takeAnswer), or any write through this connection.
    bool accept(QByteArrayView method, QByteArrayView serverName, QByteArray *error);
    // The held 101, now the caller's to write before anything else.
    QByteArray takeAnswer() { return std::exchange(m_answer, QByteArray()); }
    // Runs before this connection writes anything itself (a pong, a ping, a
    // close): an owner that holds bytes for the peer outside the socket (a
    // session's batch, the 101 first) writes them out, so that nothing it
    // was handed earlier is overtaken.
    void setFlushBeforeOwnWrites(std::function<void()> flush) { m_flushBeforeOwnWrites = std::move(flush); }
    // Starts reading frames (the owner has connected to the signals), with
    // whatever arrived behind the request head already.
    void start();

    Transport *transport() const { return m_socket; }
    // Plain TCP: frames may be written to the descriptor directly.
    bool isPlain() const { return m_plain; }
    QHostAddress peerAddress() const;
    quint16 peerPort() const;

    // The request: valid until forgetRequest() (the session needs it only
    // while it is set up: auth from the handshake, ?compression).
    QString origin() const;
    QUrl requestUrl() const;
    QByteArray requestHeader(const QByteArray &lowerCaseName) const;
    void forgetRequest();

    void setMaxAllowedIncomingMessageSize(quint64 bytes) { m_parser.setMaxMessageSize(bytes); }
    quint64 maxAllowedIncomingMessageSize() const { return m_parser.maxMessageSize(); }

    qint64 bytesToWrite() const;
    QAbstractSocket::SocketState state() const;
    // The close code and reason: ours if we closed first, the peer's if it
    // did, 1006 if the connection went without a close frame.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }

    qint64 sendTextMessage(const QString &text);
    qint64 sendBinaryMessage(const QByteArray &data);
    void ping(const QByteArray &payload = {});
    // Answers a ping the owner admitted (pingReceived), unless 64 KiB of
    // output already waits (see the .cpp).
    void answerPing(const QByteArray &payload);
    // Who decides whether a ping is answered (a ping counts against the
    // inbound rate limit like any frame); unset, every ping is answered.
    // A callback, not a signal: a connection per session costs more memory
    // than the whole of this member.
    using PingHandler = std::function<void(const QByteArray &payload)>;
    void setPingHandler(PingHandler handler) { m_pingHandler = std::move(handler); }
    // Told of the connection's frames and its end; null to stop.
    void setReceiver(WsConnectionReceiver *receiver) { m_receiver = receiver; }
    // Sends a close frame; the TCP connection ends when the peer answers
    // (or when the owner aborts it after its grace).
    void close(int code, const QString &reason = {});
    void abort();

    // Writes `bytes` (whole frames or the handshake answer) in order behind
    // everything the socket holds: straight to the kernel when the socket's
    // buffer is empty, the rest to the socket's buffer.
    void writeRaw(const QByteArray &bytes);

Q_SIGNALS:
    // For an owner without a receiver (a refused connection's host).
    void disconnected();

private:
    struct Request
    {
        QByteArray target;
        QHash<QByteArray, QByteArray> headers;
    };

    void writeNow(const QByteArray &bytes);
    void transportReadyRead() override;
    void transportBytesWritten(qint64 bytes) override;
    void transportDisconnected() override;
    void feed(const QByteArray &bytes);
    bool onEvent(WsFrameParser::Event &&event);
    void sendCloseFrame(int code, const QString &reason);
    // After a protocol error: close frame out, our side shut, the rest of
    // what the peer sends read and dropped until it closes (closing at once
    // with unread bytes would make the kernel send RST, and the peer could
    // lose the close frame).
    void failConnection(int code, const QString &reason);

    Transport *m_socket;
    std::unique_ptr<Request> m_request;
    // Frames that came with the request head, until start().
    QByteArray m_early;
    // The 101 not yet written (see accept).
    QByteArray m_answer;
    std::function<void()> m_flushBeforeOwnWrites;
    WsFrameParser m_parser;
    QString m_closeReason;
    qsizetype m_headBytes;
    int m_closeCode = 1006;
    bool m_plain = false;
    bool m_started = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    PingHandler m_pingHandler;
    WsConnectionReceiver *m_receiver = nullptr;
};

} // namespace QuantPush
