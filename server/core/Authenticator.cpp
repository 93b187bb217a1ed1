#include "Authenticator.h"

#include "Logging.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

Authenticator::Authenticator(const AuthConfig &config)
    : m_anonymousRole(config.anonymousRole), m_leewaySec(config.jwtLeewaySec)
{
    if (!config.jwtSecret.isEmpty())
        setJwtSecret(config.jwtSecret.toUtf8());
    for (const ApiKeyConfig &key : config.apiKeys) {
        const bool added = key.key.isEmpty() ? m_apiKeys.addKeyHash(key.keySha256.toLatin1(), key.user, key.role)
                                             : m_apiKeys.addKey(key.key.toUtf8(), key.user, key.role);
        if (!added)
            qCWarning(lcAccess) << "API key for user" << key.user << "not loaded: malformed or duplicate";
    }
}

void Authenticator::setJwtSecret(const QByteArray &secret)
{
    m_jwt = std::make_unique<JwtVerifier>(secret);
    m_jwt->setLeeway(std::chrono::seconds(m_leewaySec));
}

Authenticator::Outcome Authenticator::authenticate(const Credentials &credentials) const
{
    if (!credentials.token.isEmpty()) {
        if (!m_jwt)
            return {std::nullopt, u"no JWT secret configured"_s};
        JwtVerifyResult result = m_jwt->verify(credentials.token.toUtf8());
        if (!result.ok())
            return {std::nullopt, u"token rejected: "_s + result.reason};
        return {result.identity, {}};
    }
    if (!credentials.apiKey.isEmpty()) {
        std::optional<Identity> identity = m_apiKeys.lookup(credentials.apiKey.toUtf8());
        if (!identity)
            return {std::nullopt, u"unknown API key"_s};
        return {identity, {}};
    }
    return {std::nullopt, u"no credentials"_s};
}

Identity Authenticator::anonymous() const
{
    Identity identity;
    identity.user = u"anonymous"_s;
    identity.role = m_anonymousRole;
    identity.method = Identity::Method::Anonymous;
    return identity;
}

} // namespace QuantPush
