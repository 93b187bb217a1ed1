#include "WsConnection.h"

#include "WsFrameHeader.h"
#include "WsHandshake.h"
#include "core/Logging.h"

#include <QtNetwork/QTcpSocket>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslSocket>
#endif

#include <sys/socket.h>

#include <cerrno>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

// One unmasked server frame, FIN set.
QByteArray serverFrame(quint8 opcode, QByteArrayView payload)
{
    QByteArray frame = wsServerFrameHeader(opcode, quint64(payload.size()));
    frame.append(payload.data(), payload.size());
    return frame;
}

// Output still waiting in the socket's buffer above which pings are left
// unanswered.
constexpr qint64 PongBacklogBytes = 64 * 1024;

} // namespace

WsConnection::WsConnection(QTcpSocket *socket, const QByteArray &target, const QHash<QByteArray, QByteArray> &headers,
                           qsizetype headBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(std::make_unique<Request>(Request {target, headers}))
    , m_headBytes(headBytes)
{
    socket->setParent(this);
    m_plain = true;
#if QT_CONFIG(ssl)
    if (const auto *tls = qobject_cast<QSslSocket *>(socket); tls && tls->mode() != QSslSocket::UnencryptedMode)
        m_plain = false;
#endif
    connect(socket, &QTcpSocket::disconnected, this, &WsConnection::onDisconnected);
}

WsConnection::~WsConnection() = default;

bool WsConnection::accept(QByteArrayView method, QByteArrayView serverName, QByteArray *error)
{
    // The head stays in the socket until now (the front door only peeked).
    // Taken with its read chunk (takeBuffered); frames a client sent behind
    // it without waiting for the answer wait for start().
    const QByteArray buffered = takeBuffered();
    if (buffered.size() > m_headBytes)
        m_early = buffered.sliced(m_headBytes);
    const WsHandshake::Outcome outcome = WsHandshake::answer(method, m_request->headers, serverName);
    if (outcome.accepted && m_plain) {
        m_answer = outcome.response;
        return true;
    }
    writeRaw(outcome.response);
    if (outcome.accepted)
        return true;
    if (error)
        *error = outcome.error;
    m_closeCode = 1002;
    m_closeReason = QString::fromUtf8(outcome.error);
    m_socket->disconnectFromHost();
    return false;
}

void WsConnection::start()
{
    if (m_started)
        return;
    m_started = true;
    connect(m_socket, &QTcpSocket::readyRead, this, &WsConnection::onReadyRead);
    feed(std::exchange(m_early, QByteArray()));
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

QHostAddress WsConnection::peerAddress() const
{
    return m_socket->peerAddress();
}

quint16 WsConnection::peerPort() const
{
    return m_socket->peerPort();
}

QString WsConnection::origin() const
{
    return m_request ? QString::fromUtf8(m_request->headers.value("origin")) : QString();
}

QUrl WsConnection::requestUrl() const
{
    return m_request ? QUrl(QString::fromUtf8(m_request->target)) : QUrl();
}

QByteArray WsConnection::requestHeader(const QByteArray &lowerCaseName) const
{
    return m_request ? m_request->headers.value(lowerCaseName) : QByteArray();
}

void WsConnection::forgetRequest()
{
    m_request.reset();
}

qint64 WsConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

QAbstractSocket::SocketState WsConnection::state() const
{
    return m_socket->state();
}

void WsConnection::writeRaw(const QByteArray &bytes)
{
    if (m_flushBeforeOwnWrites)
        m_flushBeforeOwnWrites();
    if (m_answer.isEmpty())
        writeNow(bytes);
    else
        writeNow(takeAnswer() + bytes); // the held 101 first, in the same write
}

void WsConnection::writeNow(const QByteArray &bytes)
{
    if (bytes.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    qsizetype done = 0;
    if (m_plain && m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0) {
        const int fd = int(m_socket->socketDescriptor());
        for (;;) {
            // MSG_NOSIGNAL: a reset peer must not raise SIGPIPE. Errors are
            // left to Qt: it meets them writing the rest and closes the socket.
            const ssize_t written = ::send(fd, bytes.constData(), std::size_t(bytes.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (written < 0 && errno == EINTR)
                continue;
            if (written > 0)
                done = qsizetype(written);
            break;
        }
    }
    if (done < bytes.size())
        m_socket->write(bytes.constData() + done, bytes.size() - done);
}

qint64 WsConnection::sendTextMessage(const QString &text)
{
    if (m_closeSent)
        return 0;
    const QByteArray utf8 = text.toUtf8();
    writeRaw(serverFrame(WsOpcode::Text, utf8));
    return utf8.size();
}

qint64 WsConnection::sendBinaryMessage(const QByteArray &data)
{
    if (m_closeSent)
        return 0;
    writeRaw(serverFrame(WsOpcode::Binary, data));
    return data.size();
}

void WsConnection::ping(const QByteArray &payload)
{
    if (m_closeSent)
        return;
    writeRaw(serverFrame(WsOpcode::Ping, payload.left(125)));
}

void WsConnection::sendCloseFrame(int code, const QString &reason)
{
    m_closeSent = true;
    Q_EMIT aboutToClose();
    QByteArray body;
    if (code != 1005) {
        body.append(char((code >> 8) & 0xFF));
        body.append(char(code & 0xFF));
        QByteArray text = reason.toUtf8();
        // 125 bytes in all; never cut a character in two.
        if (text.size() > 123) {
            qsizetype cut = 123;
            while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80)
                --cut;
            text.truncate(cut);
        }
        body.append(text);
    }
    writeRaw(serverFrame(WsOpcode::Close, body));
}

void WsConnection::close(int code, const QString &reason)
{
    if (m_closeSent)
        return;
    m_closeCode = code;
    m_closeReason = reason;
    sendCloseFrame(WsFrameParser::isValidCloseCode(code) ? code : 1000, reason);
    if (m_closeReceived)
        m_socket->disconnectFromHost();
}

void WsConnection::abort()
{
    m_socket->abort();
}

void WsConnection::failConnection(int code, const QString &reason)
{
    qCInfo(lcConnection).noquote() << m_socket->peerAddress().toString() << "WebSocket protocol error, closing with"
                                   << code << reason;
    if (!m_closeSent) {
        m_closeCode = code;
        m_closeReason = reason;
        sendCloseFrame(code, reason);
    }
    shutdownWrite();
}

void WsConnection::shutdownWrite()
{
    if (!m_plain) {
        m_socket->disconnectFromHost();
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

void WsConnection::answerPing(const QByteArray &payload)
{
    // A peer that pings and never reads would pile its pongs up in the
    // socket's buffer without bound (pongs are outside the session's
    // budget). While that much still waits, this ping goes unanswered:
    // RFC 6455 5.5.3 lets an endpoint answer only the latest of several.
    if (!m_closeSent && m_socket->bytesToWrite() < PongBacklogBytes)
        writeRaw(serverFrame(WsOpcode::Pong, payload));
}

bool WsConnection::onEvent(WsFrameParser::Event &&event)
{
    using Kind = WsFrameParser::Event::Kind;
    switch (event.kind) {
    case Kind::Text:
        if (!m_closeSent)
            Q_EMIT textMessageReceived(event.text);
        break;
    case Kind::Binary:
        if (!m_closeSent)
            Q_EMIT binaryMessageReceived(event.payload);
        break;
    case Kind::Ping:
        if (m_closeSent)
            break;
        if (m_pingHandler)
            m_pingHandler(event.payload);
        else
            answerPing(event.payload);
        break;
    case Kind::Pong:
        Q_EMIT pong(event.payload);
        break;
    case Kind::Close:
        m_closeReceived = true;
        if (!m_closeSent) {
            // The peer closed first: its code is the connection's, echoed.
            m_closeCode = event.closeCode;
            m_closeReason = event.reason;
            sendCloseFrame(event.closeCode, QString());
        }
        // The server ends the TCP connection once both close frames passed.
        m_socket->disconnectFromHost();
        return false;
    case Kind::Error:
        failConnection(event.closeCode, event.reason);
        return false;
    }
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray WsConnection::takeBuffered()
{
    // read(n) with n the size of the buffer's one chunk hands over that
    // chunk itself (QIODevice moves it out of its ring buffer rather than
    // copying out of it): the socket then keeps no 16 KiB read chunk between
    // reads, a page or more of RSS per idle connection otherwise. (readAll()
    // copies and leaves the chunk in place.)
    return m_socket->read(m_socket->bytesAvailable());
}

void WsConnection::feed(const QByteArray &bytes)
{
    // After the close or an error, what still comes is read and dropped.
    if (bytes.isEmpty() || m_parser.isFinished())
        return;
    m_parser.feed(bytes.constData(), bytes.size(),
                  [this](WsFrameParser::Event &&event) { return onEvent(std::move(event)); });
}

void WsConnection::onReadyRead()
{
    while (m_socket->bytesAvailable() > 0) {
        const QByteArray bytes = takeBuffered();
        if (bytes.isEmpty())
            return;
        feed(bytes);
        if (m_socket->state() != QAbstractSocket::ConnectedState && !m_parser.isFinished())
            return;
    }
}

void WsConnection::onDisconnected()
{
    if (!m_closeSent && !m_closeReceived) {
        m_closeCode = 1006;
        m_closeReason.clear();
    }
    Q_EMIT disconnected();
}

} // namespace QuantPush
