#include "HostileKit.h"

#include "auth/JwtSigner.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QHostAddress>
#include <QtTest/QTest>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing::Hostile {

QString token(const QJsonObject &claims, const QByteArray &secret)
{
    QJsonObject full = claims;
    if (!full.contains(u"exp"_s))
        full.insert(u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600);
    return QString::fromLatin1(JwtSigner::sign(full, secret));
}

QUrl withToken(const QUrl &url, const QString &jwt)
{
    QUrl result = url;
    QUrlQuery query;
    query.addQueryItem(u"token"_s, jwt);
    result.setQuery(query);
    return result;
}

QUrl viewerUrl(const WebSocketManager &server)
{
    return withToken(webSocketUrl(server), token({{u"sub"_s, u"good"_s}, {u"role"_s, u"viewer"_s}}));
}

ServerConfig authConfig()
{
    ServerConfig config = testConfig();
    config.websocket.authRequired = true;
    config.auth.jwtSecret = QString::fromLatin1(Secret);
    config.limits.authTimeoutMs = AuthTimeoutMs;
    // testConfig() relaxes this for other tests; here the default holds.
    config.roles[u"trader"_s].requireAccounts = true;
    return config;
}

QByteArray pingWithId(qsizetype idBytes)
{
    return R"({"type":"ping","id":")" + QByteArray(idBytes, 'x') + R"("})";
}

QByteArray slowBroadcast(const QByteArray &extraHeaders)
{
    return "POST /websocket/broadcast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 1000000\r\n" + extraHeaders + "\r\n" + QByteArray(1000, '{');
}

int unauthenticatedCount(const WebSocketManager &server)
{
    int count = 0;
    for (const QJsonValue &entry : server.connectionsJson())
        count += entry.toObject().value(u"authenticated"_s).toBool() ? 0 : 1;
    return count;
}

SteadyFeed::SteadyFeed(WebSocketManager *server, SubscriptionType channel, const QJsonObject &data)
{
    connect(&m_timer, &QTimer::timeout, this, [this, server, channel, data] {
        QJsonObject payload = data;
        payload.insert(u"n"_s, ++m_count);
        m_lastSeq = server->publish(PublishRequest {channel, payload}).seq;
    });
    m_timer.start(5);
}

qint64 SteadyFeed::stop()
{
    m_timer.stop();
    return m_lastSeq;
}

Bystander::Bystander(WebSocketManager *server, const QUrl &url)
    : m_watcher(url, u"strategy_status"_s), m_feed(server)
{
}

bool Bystander::servedThroughout(QString *why)
{
    const qint64 last = m_feed.stop();
    return QTest::qWaitFor([&] { return m_watcher.sawEverythingUpTo(last, why); }, WaitMs);
}

BufferSampler::BufferSampler(const WebSocketManager *server, std::function<bool(const QJsonObject &)> pick)
{
    connect(&m_timer, &QTimer::timeout, this, [this, server, pick] {
        for (const QJsonValue &entry : server->connectionsJson()) {
            const QJsonObject connection = entry.toObject();
            if (pick(connection))
                maxBytes = std::max(maxBytes, connection.value(u"buffered_bytes"_s).toInteger());
        }
    });
    m_timer.start(10);
}

HttpProbe::HttpProbe(quint16 port, const QByteArray &request)
{
    connect(&socket, &QTcpSocket::readyRead, this, [this] {
        response += socket.readAll();
        if (status < 0 && response.contains("\r\n")) {
            status = response.mid(9, 3).toInt();
            answeredAfterMs = clock.elapsed();
        }
    });
    clock.start();
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
}

} // namespace QuantPush::Testing::Hostile
