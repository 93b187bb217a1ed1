#include "WsConnection.h"

#include "WsFrameHeader.h"
#include "WsHandshake.h"
#include "core/Logging.h"

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

WsConnection::WsConnection(Transport *transport, const QByteArray &target, const QHash<QByteArray, QByteArray> &headers,
                           qsizetype headBytes, QObject *parent)
    : QObject(parent)
    , m_socket(transport)
    , m_request(std::make_unique<Request>(Request {target, headers}))
    , m_headBytes(headBytes)
    , m_plain(transport->isPlain())
{
    transport->setParent(this);
    transport->setReceiver(this);
}

WsConnection::~WsConnection()
{
    m_socket->setReceiver(nullptr); // the transport, a child, outlives this body
}

bool WsConnection::accept(QByteArrayView method, QByteArrayView serverName, QByteArray *error)
{
    // The head may still be in the transport (the front door only peeked);
    // frames a client sent behind it without waiting for the answer wait
    // for start().
    const QByteArray buffered = m_headBytes > 0 || m_socket->mayHaveInput() ? m_socket->readAvailable() : QByteArray();
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
    feed(std::exchange(m_early, QByteArray()));
    if (m_socket->mayHaveInput())
        transportReadyRead();
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
    if (!bytes.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
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
    if (m_receiver)
        m_receiver->wsAboutToClose();
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
    m_socket->shutdownWrite();
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
        if (!m_closeSent && m_receiver)
            m_receiver->wsTextReceived(event.text);
        break;
    case Kind::Binary:
        if (!m_closeSent && m_receiver)
            m_receiver->wsBinaryReceived(event.payload);
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
        if (m_receiver)
            m_receiver->wsPong(event.payload);
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

void WsConnection::feed(const QByteArray &bytes)
{
    // After the close or an error, what still comes is read and dropped.
    if (bytes.isEmpty() || m_parser.isFinished())
        return;
    m_parser.feed(bytes.constData(), bytes.size(),
                  [this](WsFrameParser::Event &&event) { return onEvent(std::move(event)); });
}

void WsConnection::transportReadyRead()
{
    if (!m_started)
        return; // the request is still being answered: start() reads
    // One read per notification: a peer that sent more is read again next
    // turn, after everyone else's.
    const QByteArray bytes = m_socket->readAvailable();
    if (!bytes.isEmpty())
        feed(bytes);
}

void WsConnection::transportBytesWritten(qint64 bytes)
{
    if (m_receiver)
        m_receiver->wsBytesWritten(bytes);
}

void WsConnection::transportDisconnected()
{
    if (!m_closeSent && !m_closeReceived) {
        m_closeCode = 1006;
        m_closeReason.clear();
    }
    Q_EMIT disconnected();
    if (m_receiver)
        m_receiver->wsDisconnected();
}

} // namespace QuantPush
