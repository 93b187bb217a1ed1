#pragma once

#include "auth/Identity.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace QuantPush {

// Maps API keys to identities. Only SHA-256 digests are kept, so a dumped
// process or config (key_sha256) does not reveal usable keys.
class ApiKeyStore
{
public:
    // Both return false, and store nothing, for an empty key or user, a
    // malformed digest (not exactly 64 hex digits) or a key already present:
    // one key must not map to two identities.
    bool addKey(QByteArrayView plaintext, const QString &user, const QString &role);
    bool addKeyHash(QByteArrayView sha256Hex, const QString &user, const QString &role);

    // Compares against every entry without stopping at the first match, so
    // timing reveals neither which entry matched nor how close a guess was.
    std::optional<Identity> lookup(QByteArrayView presentedKey) const;
    // The same by the key's raw SHA-256 (Identity::credential of a key session).
    std::optional<Identity> lookupDigest(QByteArrayView digest) const;

    qsizetype size() const { return m_entries.size(); }
    bool isEmpty() const { return m_entries.isEmpty(); }
    void clear() { m_entries.clear(); }

    // Lowercase hex SHA-256, the format of the config's key_sha256.
    static QByteArray hashKey(QByteArrayView key);

private:
    struct Entry
    {
        QByteArray digest; // raw 32 bytes
        QString user;
        QString role;
    };

    bool addDigest(QByteArray digest, const QString &user, const QString &role);

    QList<Entry> m_entries;
};

} // namespace QuantPush
