#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

#include <memory>

class QJsonObject;
class QUrl;
class QWebSocket;

namespace QuantPush {

class FrameInflater;

// PushClient's transport: one QWebSocket per connection attempt, the TLS and
// compression options of opening it, frames decoded to JSON objects (text,
// or deflated binary once the server granted compression) and encoded back,
// and the end of every attempt reported exactly once through lost().
// PushClient keeps the protocol (welcome, auth, subscriptions) on top of it.
class ClientConnection : public QObject
{
    Q_OBJECT

public:
    explicit ClientConnection(QObject *parent = nullptr);
    ~ClientConnection() override;

    void setIgnoreSslErrors(bool ignore) { m_ignoreSslErrors = ignore; }
    // Ask for ?compression=deflate on the next attempts.
    void setCompressionRequested(bool deflate) { m_compressionRequested = deflate; }
    bool compressionRequested() const { return m_compressionRequested; }
    // Whether the server granted compression on this connection (welcome).
    void setCompressed(bool granted) { m_compressed = granted; }
    bool compressed() const { return m_compressed; }

    // A fresh socket to `url`; the previous one must have been released.
    void open(const QUrl &url);
    // An attempt is in progress or the connection is up.
    bool isActive() const { return m_socket != nullptr; }
    // The WebSocket handshake completed on the current socket.
    bool isOpen() const { return m_socketConnected; }
    // Changes with every socket opened or released: a caller that emitted a
    // signal compares it to see whether a slot closed or replaced the connection.
    quint64 generation() const { return m_generation; }

    // False (and nothing sent) unless the connection is open.
    bool send(const QJsonObject &frame);
    // The application closes: 1000 to the server, abort after a grace period;
    // lost() is not emitted for it.
    void closeGracefully();
    // Something is wrong with this connection: abort it, lost() follows.
    void drop(const char *why);

Q_SIGNALS:
    void frameReceived(const QJsonObject &frame);
    // The current socket is gone. `wasOpen`: the handshake had completed;
    // the close code and reason are the socket's, `errorString` its error.
    void lost(int closeCode, const QString &closeReason, const QString &errorString, bool wasOpen);

private:
    void onSocketConnected(QWebSocket *socket);
    void onSocketError(QWebSocket *socket);
    void onSocketGone(QWebSocket *socket);
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &bytes);
    void release(QWebSocket *socket);

    bool m_ignoreSslErrors = false;
    bool m_compressionRequested = false;
    bool m_compressed = false; // welcome said "deflate"
    QWebSocket *m_socket = nullptr; // a fresh socket per attempt; stale signals are ignored
    bool m_socketConnected = false;
    quint64 m_generation = 0;
    std::unique_ptr<FrameInflater> m_inflater;
};

} // namespace QuantPush
