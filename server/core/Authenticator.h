#pragma once

#include "auth/ApiKeyStore.h"
#include "auth/Identity.h"
#include "auth/JwtVerifier.h"
#include "config/ServerConfig.h"

#include <QtCore/QReadWriteLock>
#include <QtCore/QString>

#include <memory>
#include <optional>
#include <vector>

namespace QuantPush {

// Turns presented credentials into an Identity, or says why not (for the
// access log; never echoing the credential). Holds several JWT secrets at
// once for key rotation: a token whose header names a known `kid` is
// checked with that secret only; any other token is tried against each
// secret in order (the main one first). Thread-safe: sessions on every
// worker thread authenticate while a reload (SIGHUP) replaces the keys.
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
    // Checks an authenticated identity's credential against the keys now in
    // force (after a reload). Anonymous identities always pass.
    Outcome recheck(const Identity &identity) const;
    Identity anonymous() const;
    bool hasJwtSecret() const { return !m_jwt.empty(); }
    // Replaces every JWT secret with this one (demo secrets, tests).
    void setJwtSecret(const QByteArray &secret);
    // Replaces the JWT secrets and API keys with those of `config` (its
    // files already read by SecretStore): the reload on SIGHUP.
    void setKeys(const AuthConfig &config);

private:
    struct Key
    {
        QString kid;
        std::unique_ptr<JwtVerifier> verifier;
    };
    Outcome verifyToken(const QByteArray &token) const;
    void addJwtKey(const QString &kid, const QByteArray &secret);

    // Readers (authenticate, recheck) share it; a key reload takes it alone.
    mutable QReadWriteLock m_lock;
    std::vector<Key> m_jwt;
    ApiKeyStore m_apiKeys;
    QString m_anonymousRole;
    std::optional<QStringList> m_anonymousAccounts;
    int m_leewaySec;
};

} // namespace QuantPush
