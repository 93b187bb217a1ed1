#include "auth/ApiKeyStore.h"

#include "auth/ConstantTime.h"

#include <QCryptographicHash>

#include <algorithm>

namespace QuantPush {

namespace {

constexpr qsizetype DigestHexLength = 64;

QByteArray digestOf(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

// QByteArray::fromHex silently skips bad characters; config typos must
// be errors instead.
bool isSha256Hex(QByteArrayView text)
{
    return text.size() == DigestHexLength
        && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

} // namespace

bool ApiKeyStore::addKey(QByteArrayView plaintext, const QString &user, const QString &role)
{
    if (plaintext.isEmpty())
        return false;
    return addDigest(digestOf(plaintext), user, role);
}

bool ApiKeyStore::addKeyHash(QByteArrayView sha256Hex, const QString &user, const QString &role)
{
    if (!isSha256Hex(sha256Hex))
        return false;
    return addDigest(QByteArray::fromHex(sha256Hex.toByteArray()), user, role);
}

bool ApiKeyStore::addDigest(QByteArray digest, const QString &user, const QString &role)
{
    if (user.isEmpty())
        return false;
    const bool duplicate = std::any_of(m_entries.cbegin(), m_entries.cend(),
                                       [&digest](const Entry &e) { return e.digest == digest; });
    if (duplicate)
        return false;
    m_entries.append(Entry{std::move(digest), user, role});
    return true;
}

std::optional<Identity> ApiKeyStore::lookup(QByteArrayView presentedKey) const
{
    if (presentedKey.isEmpty())
        return std::nullopt;
    return lookupDigest(digestOf(presentedKey));
}

std::optional<Identity> ApiKeyStore::lookupDigest(QByteArrayView digest) const
{
    if (digest.isEmpty())
        return std::nullopt;
    const Entry *match = nullptr;
    for (const Entry &entry : m_entries) {
        const bool equal = constantTimeEquals(digest, entry.digest);
        if (equal && !match)
            match = &entry;
    }
    if (!match)
        return std::nullopt;

    Identity identity;
    identity.user = match->user;
    identity.role = match->role;
    identity.method = Identity::Method::ApiKey;
    identity.credential = digest.toByteArray();
    return identity;
}

QByteArray ApiKeyStore::hashKey(QByteArrayView key)
{
    return digestOf(key).toHex();
}

} // namespace QuantPush
