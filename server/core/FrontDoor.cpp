#include "FrontDoor.h"

#include "Logging.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

FrontDoor::FrontDoor(const Limits &limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{
}

bool FrontDoor::RequestHead::isWebSocketUpgrade() const
{
    return headers.value("upgrade").trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
}

std::optional<FrontDoor::RequestHead> FrontDoor::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return std::nullopt;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return std::nullopt;
    RequestHead parsed;
    parsed.method = requestLine.at(0);
    parsed.target = requestLine.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        parsed.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    return parsed;
}

void FrontDoor::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, [this, socket] {
        Q_EMIT rejected(u"handshake_timeout"_s);
        qCInfo(lcConnection).noquote() << socket->peerAddress().toString() << "sent no complete request in time";
        socket->abort();
        socket->deleteLater();
    });
    timeout->start(m_limits.handshakeTimeoutMs);
    socket->setProperty("quantpush.handshakeTimer", QVariant::fromValue(static_cast<QObject *>(timeout)));
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (socket->bytesAvailable() > 0)
        inspect(socket);
}

void FrontDoor::refuse(QTcpSocket *socket, QByteArrayView status, const QString &reason)
{
    Q_EMIT rejected(reason);
    socket->write("HTTP/1.1 ");
    socket->write(status.data(), status.size());
    socket->write("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

void FrontDoor::inspect(QTcpSocket *socket)
{
    const QByteArray peeked = socket->peek(m_limits.maxHeaderBytes + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() > m_limits.maxHeaderBytes)
            refuse(socket, "431 Request Header Fields Too Large", u"header_too_large"_s);
        return;
    }
    // The head is complete: stop watching it here, the next owner reads it.
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    delete socket->property("quantpush.handshakeTimer").value<QObject *>();

    const std::optional<RequestHead> head = parseHead(peeked.left(end));
    if (!head) {
        refuse(socket, "400 Bad Request", u"bad_request_head"_s);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    if (head->isWebSocketUpgrade())
        Q_EMIT webSocketRequested(socket, *head);
    else
        Q_EMIT httpRequested(socket, *head);
}

} // namespace QuantPush
