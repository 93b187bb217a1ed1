#include "Authenticator.h"

#include "Logging.h"

#include <QtCore/QJsonDocument>
#include <algorithm>
#include <QtCore/QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

// The `kid` of a compact JWT's header, unverified: it only picks which
// secret checks the signature.
QString keyIdOf(const QByteArray &token)
{
    const qsizetype dot = token.indexOf('.');
    if (dot <= 0 || dot > 1024)
        return {};
    const auto header = QByteArray::fromBase64Encoding(token.left(dot),
                                                       QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (!header)
        return {};
    const QJsonValue kid = QJsonDocument::fromJson(*header).object().value("kid"_L1);
    return kid.isString() ? kid.toString() : QString();
}

} // namespace

Authenticator::Authenticator(const AuthConfig &config)
    : m_anonymousRole(config.anonymousRole), m_anonymousAccounts(config.anonymousAccounts), m_leewaySec(config.jwtLeewaySec)
{
    setKeys(config);
}

void Authenticator::addJwtKey(const QString &kid, const QByteArray &secret)
{
    if (secret.isEmpty())
        return;
    auto verifier = std::make_unique<JwtVerifier>(secret);
    verifier->setLeeway(std::chrono::seconds(m_leewaySec));
    m_jwt.push_back(Key {kid, std::move(verifier)});
}

void Authenticator::setJwtSecret(const QByteArray &secret)
{
    const QWriteLocker lock(&m_lock);
    m_jwt.clear();
    addJwtKey({}, secret);
}

void Authenticator::setKeys(const AuthConfig &config)
{
    const QWriteLocker lock(&m_lock);
    m_jwt.clear();
    addJwtKey({}, config.jwtSecretFile.isEmpty() ? config.jwtSecret.toUtf8() : config.jwtSecretLoaded);
    for (const JwtKeyConfig &key : config.jwtKeys)
        addJwtKey(key.kid, key.secretFile.isEmpty() ? key.secret.toUtf8() : key.loaded);
    m_apiKeys.clear();
    for (const ApiKeyConfig &key : config.apiKeys) {
        const bool added = key.key.isEmpty() ? m_apiKeys.addKeyHash(key.keySha256.toLatin1(), key.user, key.role)
                                             : m_apiKeys.addKey(key.key.toUtf8(), key.user, key.role);
        if (!added)
            qCWarning(lcAccess) << "API key for user" << key.user << "not loaded: malformed or duplicate";
    }
}

Authenticator::Outcome Authenticator::verifyToken(const QByteArray &token) const
{
    if (m_jwt.empty())
        return {std::nullopt, u"no JWT secret configured"_s};
    const QString kid = keyIdOf(token);
    const bool kidKnown = !kid.isEmpty()
        && std::any_of(m_jwt.cbegin(), m_jwt.cend(), [&kid](const Key &key) { return key.kid == kid; });
    QString reason;
    for (const Key &key : m_jwt) {
        if (kidKnown && key.kid != kid)
            continue;
        JwtVerifyResult result = key.verifier->verify(token);
        if (result.ok()) {
            result.identity.credential = token;
            return {result.identity, {}};
        }
        if (reason.isEmpty())
            reason = result.reason;
    }
    return {std::nullopt, u"token rejected: "_s + reason};
}

Authenticator::Outcome Authenticator::authenticate(const Credentials &credentials) const
{
    const QReadLocker lock(&m_lock);
    if (!credentials.token.isEmpty())
        return verifyToken(credentials.token.toUtf8());
    if (!credentials.apiKey.isEmpty()) {
        std::optional<Identity> identity = m_apiKeys.lookup(credentials.apiKey.toUtf8());
        if (!identity)
            return {std::nullopt, u"unknown API key"_s};
        return {identity, {}};
    }
    return {std::nullopt, u"no credentials"_s};
}

Authenticator::Outcome Authenticator::recheck(const Identity &identity) const
{
    const QReadLocker lock(&m_lock);
    switch (identity.method) {
    case Identity::Method::Anonymous:
        return {identity, {}};
    case Identity::Method::Jwt:
        return verifyToken(identity.credential);
    case Identity::Method::ApiKey: {
        std::optional<Identity> current = m_apiKeys.lookupDigest(identity.credential);
        if (!current)
            return {std::nullopt, u"API key no longer configured"_s};
        return {current, {}};
    }
    }
    return {std::nullopt, u"unknown credential"_s};
}

Identity Authenticator::anonymous() const
{
    Identity identity;
    identity.user = u"anonymous"_s;
    identity.role = m_anonymousRole;
    identity.method = Identity::Method::Anonymous;
    identity.accounts = m_anonymousAccounts;
    return identity;
}

} // namespace QuantPush
