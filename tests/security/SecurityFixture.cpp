#include "SecurityFixture.h"

#include "auth/ApiKeyStore.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::SecurityTesting {

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(compact(object));
}

qint64 inOneHour()
{
    return QDateTime::currentSecsSinceEpoch() + 3600;
}

QUrl url(quint16 port, const QString &query)
{
    QUrl u(u"ws://127.0.0.1:%1/ws"_s.arg(port));
    if (!query.isEmpty())
        u.setQuery(query);
    return u;
}

ServerConfig securityConfig()
{
    ServerConfig config = ServerConfig::defaults();
    config.websocket.host = u"127.0.0.1"_s;
    config.websocket.port = 0;
    config.websocket.authRequired = true;
    config.websocket.maxMessageSize = MaxMessageSize;
    config.auth.jwtSecret = QString::fromLatin1(Secret);
    config.auth.apiKeys = {
        ApiKeyConfig {TraderKey, {}, u"trader-bot"_s, u"trader"_s},
        ApiKeyConfig {{}, QString::fromLatin1(ApiKeyStore::hashKey(ViewerKey.toUtf8())), u"viewer-bot"_s, u"viewer"_s},
    };
    config.limits.maxSubscriptions = MaxSubscriptions;
    config.limits.inboundMessagesPerSec = 50;
    config.limits.inboundBurst = 60;
    config.limits.rateLimitStrikes = 5;
    config.limits.authTimeoutMs = AuthTimeoutMs;
    config.limits.maxJsonDepth = 16;
    config.limits.maxFilterConditions = 8;
    config.limits.handshakeTimeoutMs = 500;
    config.http.maxHeaderBytes = 2048;
    config.security.allowedOrigins = {AllowedOrigin};
    return config;
}

} // namespace QuantPush::SecurityTesting
