#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <functional>
#include <optional>

namespace QuantPush::Testing {

// A WebSocket client for tests: records every frame it receives (batches
// also unpacked into pushes()) and the close code.
class WsTestClient : public QObject
{
    Q_OBJECT
public:
    explicit WsTestClient(QObject *parent = nullptr);

    // Connects and waits for the welcome frame.
    bool open(const QUrl &url, int timeoutMs = 5000);
    bool openWithRequest(const QNetworkRequest &request, int timeoutMs = 5000);
    void send(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    void close();

    // Sends subscribe and waits for `subscribed` (or an error); returns the reply.
    std::optional<QJsonObject> subscribe(const QJsonObject &data, int timeoutMs = 5000);
    std::optional<QJsonObject> request(const QJsonObject &frame, int timeoutMs = 5000);

    std::optional<QJsonObject> waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 5000);
    std::optional<QJsonObject> waitForType(const QString &type, int timeoutMs = 5000);
    bool waitForClose(int timeoutMs = 5000);

    const QList<QJsonObject> &frames() const { return m_frames; }
    QList<QJsonObject> framesOfType(const QString &type) const;
    // Every push received, batches unpacked, in arrival order.
    const QList<QJsonObject> &pushes() const { return m_pushes; }
    QList<QJsonObject> pushesOn(const QString &channel) const;
    bool isClosed() const { return m_closed; }
    int closeCode() const { return m_closeCode; }
    QWebSocket &socket() { return m_socket; }

private:
    void onText(const QString &text);

    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QList<QJsonObject> m_pushes;
    bool m_closed = false;
    int m_closeCode = -1;
    int m_nextId = 1;
};

} // namespace QuantPush::Testing
