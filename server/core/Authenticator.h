#pragma once

#include "auth/ApiKeyStore.h"
#include "auth/Identity.h"
#include "auth/JwtVerifier.h"
#include "config/ServerConfig.h"

#include <QtCore/QString>

#include <memory>
#include <optional>

namespace QuantPush {

// Turns presented credentials into an Identity, or says why not (for the
// access log; never echoing the credential).
class Authenticator
{
public:
    explicit Authenticator(const AuthConfig &config);

    struct Credentials
    {
        QString token;
        QString apiKey;
        bool isEmpty() const { return token.isEmpty() && apiKey.isEmpty(); }
    };
    struct Outcome
    {
        std::optional<Identity> identity;
        QString reason; // why it failed
    };

    Outcome authenticate(const Credentials &credentials) const;
    Identity anonymous() const;
    bool hasJwtSecret() const { return bool(m_jwt); }
    // Replaces the JWT secret (rotation, demo secrets).
    void setJwtSecret(const QByteArray &secret);

private:
    std::unique_ptr<JwtVerifier> m_jwt;
    ApiKeyStore m_apiKeys;
    QString m_anonymousRole;
    int m_leewaySec;
};

} // namespace QuantPush
