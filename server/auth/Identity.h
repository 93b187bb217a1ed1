#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace QuantPush {

// Who a connection is, once authenticated. Produced by JwtVerifier and
// ApiKeyStore; the server maps role/accounts/channels to permissions.
struct Identity
{
    enum class Method { Jwt, ApiKey, Anonymous };

    QString user;
    // Empty when the token carried no role: the server decides the default.
    QString role;
    // nullopt means "no restriction from the credential"; an empty list
    // means "restricted to nothing", which is not the same thing.
    std::optional<QStringList> accounts;
    std::optional<QStringList> channels;
    // Invalid for API keys and anonymous sessions, which do not expire.
    QDateTime expiresAt;
    Method method = Method::Anonymous;
    // What verifies it again after a key reload: the JWT itself, or the
    // API key's SHA-256 (never the key). Empty for anonymous sessions.
    QByteArray credential;
};

} // namespace QuantPush
