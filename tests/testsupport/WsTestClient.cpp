#include "WsTestClient.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QTest>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

WsTestClient::WsTestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &WsTestClient::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = m_socket.closeCode();
    });
}

bool WsTestClient::open(const QUrl &url, int timeoutMs)
{
    return openWithRequest(QNetworkRequest(url), timeoutMs);
}

bool WsTestClient::openWithRequest(const QNetworkRequest &request, int timeoutMs)
{
    m_socket.open(request);
    return waitForType(u"welcome"_s, timeoutMs).has_value();
}

void WsTestClient::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    m_frames.append(frame);
    const QString type = frame.value("type"_L1).toString();
    if (type == u"batch"_s) {
        for (const QJsonValue &item : frame.value("data"_L1).toArray())
            m_pushes.append(item.toObject());
    } else if (frame.contains("seq"_L1) && frame.contains("channel"_L1)) {
        m_pushes.append(frame);
    }
}

void WsTestClient::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void WsTestClient::sendText(const QString &text) { m_socket.sendTextMessage(text); }
void WsTestClient::sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
void WsTestClient::close() { m_socket.close(); }

std::optional<QJsonObject> WsTestClient::request(const QJsonObject &frame, int timeoutMs)
{
    const QString id = u"t%1"_s.arg(m_nextId++);
    QJsonObject withId = frame;
    withId.insert("id"_L1, id);
    send(withId);
    return waitFor([&id](const QJsonObject &f) { return f.value("id"_L1).toString() == id; }, timeoutMs);
}

std::optional<QJsonObject> WsTestClient::subscribe(const QJsonObject &data, int timeoutMs)
{
    return request(QJsonObject {{"type"_L1, u"subscribe"_s}, {"data"_L1, data}}, timeoutMs);
}

std::optional<QJsonObject> WsTestClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    qsizetype checked = 0;
    std::optional<QJsonObject> found;
    (void)QTest::qWaitFor([&] {
        for (; checked < m_frames.size(); ++checked) {
            if (match(m_frames.at(checked))) {
                found = m_frames.at(checked);
                return true;
            }
        }
        return false;
    }, timeoutMs);
    return found;
}

std::optional<QJsonObject> WsTestClient::waitForType(const QString &type, int timeoutMs)
{
    return waitFor([&type](const QJsonObject &f) { return f.value("type"_L1).toString() == type; }, timeoutMs);
}

bool WsTestClient::waitForClose(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

QList<QJsonObject> WsTestClient::framesOfType(const QString &type) const
{
    QList<QJsonObject> list;
    for (const QJsonObject &frame : m_frames) {
        if (frame.value("type"_L1).toString() == type)
            list.append(frame);
    }
    return list;
}

QList<QJsonObject> WsTestClient::pushesOn(const QString &channel) const
{
    QList<QJsonObject> list;
    for (const QJsonObject &push : m_pushes) {
        if (push.value("channel"_L1).toString() == channel)
            list.append(push);
    }
    return list;
}

} // namespace QuantPush::Testing
