#include "HttpConnection.h"

#include "Logging.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

// After an early answer, how long the client may keep sending what we will
// not read before we close anyway.
constexpr int LingerMs = 1000;

std::optional<qint64> parseContentLength(const QByteArray &value)
{
    const QByteArray digits = value.trimmed();
    if (digits.isEmpty() || digits.size() > 18)
        return std::nullopt;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return digits.toLongLong();
}

} // namespace

HttpConnection::HttpConnection(
    QTcpSocket *socket, const FrontDoor::RequestHead &head, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_deadline(new QTimer(this))
    , m_limits(limits)
{
    m_socket->setParent(this);
    const qsizetype query = head.target.indexOf('?');
    m_request.method = head.method;
    m_request.path = query < 0 ? head.target : head.target.left(query);
    m_request.query = query < 0 ? QByteArray() : head.target.mid(query + 1);
    m_request.headers = head.headers;
    m_request.peer = socket->peerAddress();

    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &HttpConnection::onTimeout);
}

void HttpConnection::start()
{
    m_deadline->start(m_limits.timeoutMs);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readMore);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        finish();
        return;
    }
    readMore();
}

void HttpConnection::answerNow(const HttpResponse &response)
{
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readMore);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        finish();
        return;
    }
    const QByteArray length = m_request.header("content-length").trimmed();
    const bool noBody = (length.isEmpty() || length == "0") && !m_request.headers.contains("transfer-encoding");
    const QByteArray buffered = m_socket->peek(m_socket->bytesAvailable());
    const qsizetype end = buffered.indexOf("\r\n\r\n");
    if (noBody && end >= 0 && end + 4 == buffered.size()) {
        // Nothing unread behind the head: a plain close loses no answer.
        m_socket->skip(end + 4);
        Q_EMIT rejected(m_request, response);
        respond(response);
        return;
    }
    refuse(response);
}

void HttpConnection::readMore()
{
    if (m_state == State::Head && !consumeHead())
        return;
    if (m_state == State::Body) {
        const qint64 missing = m_contentLength - m_request.body.size();
        m_request.body += m_socket->read(missing);
        if (m_request.body.size() < m_contentLength)
            return;
        m_state = State::Responding;
        Q_EMIT requestReady(this, m_request);
        return;
    }
    // Responding or lingering: nothing more is read, only discarded.
    m_socket->skip(m_socket->bytesAvailable());
}

bool HttpConnection::consumeHead()
{
    // The front door only peeked: the head (at most http.max_header_bytes,
    // already checked) is still the first thing in the socket's buffer.
    const QByteArray buffered = m_socket->peek(m_socket->bytesAvailable());
    const qsizetype end = buffered.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    m_socket->skip(end + 4);

    if (m_request.headers.contains("transfer-encoding")) {
        refuse(
            HttpResponse::error(411, ErrorCode::BadRequest, u"chunked bodies are not accepted: send Content-Length"_s));
        return false;
    }
    const QByteArray lengthHeader = m_request.header("content-length");
    const std::optional<qint64> length
        = lengthHeader.isNull() ? std::optional<qint64>(0) : parseContentLength(lengthHeader);
    if (!length) {
        refuse(HttpResponse::error(ErrorCode::BadRequest, u"Content-Length is not a number"_s));
        return false;
    }
    if (*length > m_limits.maxBodyBytes) {
        refuse(HttpResponse::error(ErrorCode::TooLarge,
            u"the body is %1 bytes; at most %2 are accepted"_s.arg(*length).arg(m_limits.maxBodyBytes)));
        return false;
    }
    m_contentLength = *length;
    if (m_contentLength > 0 && m_request.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    m_state = State::Body;
    return true;
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (m_state == State::Done || m_lingering)
        return;
    m_state = State::Done;
    m_socket->write(response.serialize(m_request.method != "HEAD"));
    // The whole request was read: a plain close (after the write drains) is clean.
    m_socket->disconnectFromHost();
}

void HttpConnection::refuse(const HttpResponse &response)
{
    Q_EMIT rejected(m_request, response);
    m_state = State::Done;
    m_lingering = true;
    m_socket->write(response.serialize(m_request.method != "HEAD"));
    // Closing with unread input makes the kernel send a reset, which can
    // destroy the answer before the client reads it: wait for the client to
    // close (it will, on Connection: close), discarding what it still sends.
    m_socket->skip(m_socket->bytesAvailable());
    m_deadline->start(LingerMs);
}

void HttpConnection::onTimeout()
{
    if (m_lingering) {
        m_socket->disconnectFromHost();
        m_lingering = false;
        m_deadline->start(LingerMs);
        return;
    }
    if (m_state == State::Head || m_state == State::Body) {
        qCInfo(lcHttp).noquote() << m_request.peer.toString() << "request not complete within" << m_limits.timeoutMs
                                 << "ms: dropped";
        refuse(HttpResponse::error(
            408, ErrorCode::BadRequest, u"the request was not complete within %1 ms"_s.arg(m_limits.timeoutMs)));
        return;
    }
    // A client that does not read its answer (or a close that never completes).
    m_socket->abort();
    finish();
}

void HttpConnection::finish()
{
    m_deadline->stop();
    m_state = State::Done;
    deleteLater();
}

} // namespace QuantPush
