#pragma once

#include "config/ServerConfig.h"

#include <QtCore/QStringList>

namespace QuantPush {

// Reads and checks the key material of `auth:` (and the TLS key file): JWT
// secrets from their files as raw bytes (only trailing whitespace dropped,
// exactly as quantpush-token reads the same file), so binary secrets work.
// Used at start-up and again on every reload (SIGHUP).
class SecretStore
{
public:
    static constexpr qsizetype MinSecretBytes = 32; // HS256: at least the hash size

    // Fills the *Loaded fields of `auth`. False with *error when a file
    // cannot be read or is empty, or a secret is shorter than
    // MinSecretBytes without auth.allow_weak_secret. `warnings` get what an
    // operator should fix: weak secrets allowed anyway, secret or key files
    // readable by group or others, plaintext API keys.
    static bool load(AuthConfig &auth, const QString &tlsKeyFile, QStringList *warnings, QString *error);

private:
    static bool readFile(const QString &key, const QString &path, QByteArray *bytes, QStringList *warnings,
                         QString *error);
    static bool checkStrength(const QString &key, const QByteArray &secret, bool allowWeak, QStringList *warnings,
                              QString *error);
    static void checkPermissions(const QString &key, const QString &path, QStringList *warnings);
};

} // namespace QuantPush
