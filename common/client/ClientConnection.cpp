#include "client/ClientConnection.h"

#include "client/FrameInflater.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcClient) // PushClient.cpp: one category for the client library

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr int CloseGraceMs = 2000; // wait for the server's close frame, then abort

} // namespace

ClientConnection::ClientConnection(QObject *parent)
    : QObject(parent)
{
}

ClientConnection::~ClientConnection()
{
    // Sockets are children; just make sure no signal reaches a half-destroyed object.
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

void ClientConnection::open(const QUrl &url)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_socketConnected = false;
    ++m_generation;

    // Lambdas capture the socket so a late signal from an old socket is recognised.
    connect(socket, &QWebSocket::connected, this, [this, socket] { onSocketConnected(socket); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { onSocketGone(socket); });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            onTextMessage(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &bytes) {
        if (socket == m_socket)
            onBinaryMessage(bytes);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(socket, &QWebSocket::errorOccurred, this, [this, socket] { onSocketError(socket); });
#else
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket] { onSocketError(socket); });
#endif
#ifndef QT_NO_SSL
    connect(socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            qCWarning(lcClient) << "TLS:" << error.errorString()
                                << (m_ignoreSslErrors ? "(ignored)" : "");
    });
    if (m_ignoreSslErrors)
        socket->ignoreSslErrors();
#endif

    m_compressed = false;
    QUrl target = url;
    if (m_compressionRequested) {
        QUrlQuery query(target);
        query.removeAllQueryItems(u"compression"_s);
        query.addQueryItem(u"compression"_s, u"deflate"_s);
        target.setQuery(query);
        if (!m_inflater)
            m_inflater = std::make_unique<FrameInflater>();
    }
    socket->open(target);
}

void ClientConnection::onSocketConnected(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    m_socketConnected = true;
    qCDebug(lcClient) << "socket open, waiting for welcome";
}

void ClientConnection::onSocketError(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    qCDebug(lcClient) << "socket error:" << socket->errorString();
    // Not every failure is followed by disconnected(); check once the socket
    // has settled, and let onSocketGone's identity check deduplicate.
    QTimer::singleShot(0, socket, [this, socket] {
        if (socket == m_socket && socket->state() == QAbstractSocket::UnconnectedState)
            onSocketGone(socket);
    });
}

void ClientConnection::onSocketGone(QWebSocket *socket)
{
    if (socket != m_socket)
        return;
    const bool wasOpen = m_socketConnected;
    const int closeCode = socket->closeCode();
    const QString closeReason = socket->closeReason();
    const QString errorString = socket->errorString();
    release(socket);
    socket->deleteLater();
    emit lost(closeCode, closeReason, errorString, wasOpen);
}

// Forget the socket; disposing of the object itself is the caller's.
void ClientConnection::release(QWebSocket *socket)
{
    disconnect(socket, nullptr, this, nullptr);
    if (m_socket == socket)
        m_socket = nullptr;
    m_socketConnected = false;
    ++m_generation;
}

void ClientConnection::closeGracefully()
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    release(socket);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(CloseGraceMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (socket->state() == QAbstractSocket::ConnectedState)
        socket->close(QWebSocketProtocol::CloseCodeNormal, u"closed by client"_s);
    else
        socket->abort();
}

void ClientConnection::drop(const char *why)
{
    if (!m_socket)
        return;
    qCWarning(lcClient) << "dropping connection:" << why;
    QWebSocket *socket = m_socket;
    socket->abort();
    if (m_socket == socket) // abort() did not report the disconnect synchronously
        onSocketGone(socket);
}

bool ClientConnection::send(const QJsonObject &frame)
{
    if (!m_socket || !m_socketConnected)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    return true;
}

void ClientConnection::onTextMessage(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject()) {
        qCWarning(lcClient) << "ignoring malformed frame:" << error.errorString();
        return;
    }
    emit frameReceived(doc.object());
}

void ClientConnection::onBinaryMessage(const QByteArray &bytes)
{
    if (!m_compressed || !m_inflater) {
        qCWarning(lcClient) << "ignoring unexpected binary frame of" << bytes.size() << "bytes";
        return;
    }
    const std::optional<QByteArray> text = m_inflater->inflate(bytes);
    if (!text) {
        // A push is lost inside it: reconnecting resumes with "since".
        drop("a compressed frame does not inflate");
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*text, &error);
    if (!doc.isObject()) {
        qCWarning(lcClient) << "ignoring malformed compressed frame:" << error.errorString();
        return;
    }
    emit frameReceived(doc.object());
}

} // namespace QuantPush
