#pragma once

// What tests/security and tests/security_limits share: the credentials, the
// small limits and the server configuration they run against.

#include "config/ServerConfig.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

namespace QuantPush::SecurityTesting {

inline const QByteArray Secret = QByteArrayLiteral("security-test-secret-7f3a9c1e5b2d4f60a8e1c3b5d7f90a2c");
inline const QByteArray OtherSecret = QByteArrayLiteral("an-attackers-guess-of-the-secret-000000000000000000");
inline const QString TraderKey = QStringLiteral("qp_trader_key_5a1f0c9e7d3b2a4869f0e1d2c3b4a596");
inline const QString ViewerKey = QStringLiteral("qp_viewer_key_0d9c8b7a6f5e4d3c2b1a09f8e7d6c5b4");
inline const QString WrongKey = QStringLiteral("qp_wrong_key_e3f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8");
inline const QString AllowedOrigin = QStringLiteral("https://trading.example");
constexpr int MaxMessageSize = 16 * 1024;
constexpr int MaxSubscriptions = 3;
constexpr int AuthTimeoutMs = 400;
constexpr int WaitMs = 10000; // generous upper bound, never a timing assertion

QByteArray b64(const QByteArray &raw);
QByteArray compact(const QJsonObject &object);
QString frame(const QJsonObject &object);
qint64 inOneHour();
QUrl url(quint16 port, const QString &query = {});

// Auth required (JWT with Secret, TraderKey and a hashed ViewerKey), the
// limits above, one allowed origin; an ephemeral port on 127.0.0.1.
ServerConfig securityConfig();

} // namespace QuantPush::SecurityTesting
