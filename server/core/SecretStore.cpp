#include "SecretStore.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

void SecretStore::checkPermissions(const QString &key, const QString &path, QStringList *warnings)
{
    const QFileDevice::Permissions permissions = QFileInfo(path).permissions();
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
        | QFileDevice::WriteOther;
    if (permissions & others)
        warnings->append(u"%1: %2 is readable or writable by group or others; chmod 600 it"_s.arg(key, path));
}

bool SecretStore::readFile(const QString &key, const QString &path, QByteArray *bytes, QStringList *warnings,
                           QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: %2: %3"_s.arg(key, path, file.errorString());
        return false;
    }
    // Raw bytes: a binary secret must not be decoded (and altered) as UTF-8.
    *bytes = file.readAll().trimmed();
    if (bytes->isEmpty()) {
        *error = u"%1: %2 is empty"_s.arg(key, path);
        return false;
    }
    checkPermissions(key, path, warnings);
    return true;
}

bool SecretStore::checkStrength(const QString &key, const QByteArray &secret, bool allowWeak, QStringList *warnings,
                                QString *error)
{
    if (secret.size() >= MinSecretBytes)
        return true;
    const QString problem = u"%1: the secret is %2 bytes; at least %3 are needed (quantpush-token --generate-secret)"_s
                                .arg(key)
                                .arg(secret.size())
                                .arg(MinSecretBytes);
    if (!allowWeak) {
        *error = problem + u", or set auth.allow_weak_secret: true"_s;
        return false;
    }
    warnings->append(problem + u" (allowed by auth.allow_weak_secret)"_s);
    return true;
}

bool SecretStore::load(AuthConfig &auth, const QString &tlsKeyFile, QStringList *warnings, QString *error)
{
    auth.jwtSecretLoaded.clear();
    if (!auth.jwtSecretFile.isEmpty()
        && !readFile(u"auth.jwt_secret_file"_s, auth.jwtSecretFile, &auth.jwtSecretLoaded, warnings, error))
        return false;
    const QByteArray main = auth.jwtSecretFile.isEmpty() ? auth.jwtSecret.toUtf8() : auth.jwtSecretLoaded;
    if (!main.isEmpty() && !checkStrength(u"auth.jwt_secret"_s, main, auth.allowWeakSecret, warnings, error))
        return false;
    for (qsizetype i = 0; i < auth.jwtKeys.size(); ++i) {
        JwtKeyConfig &key = auth.jwtKeys[i];
        const QString name = u"auth.jwt_keys[%1]"_s.arg(i);
        key.loaded.clear();
        if (!key.secretFile.isEmpty() && !readFile(name + u".secret_file"_s, key.secretFile, &key.loaded, warnings, error))
            return false;
        const QByteArray secret = key.secretFile.isEmpty() ? key.secret.toUtf8() : key.loaded;
        if (!checkStrength(name, secret, auth.allowWeakSecret, warnings, error))
            return false;
    }
    for (const ApiKeyConfig &apiKey : std::as_const(auth.apiKeys)) {
        if (!apiKey.key.isEmpty())
            warnings->append(u"auth.api_keys: the key of user '%1' is in plaintext; use key_sha256 "
                             "(quantpush-token --hash-key)"_s.arg(apiKey.user));
    }
    if (!tlsKeyFile.isEmpty() && QFileInfo::exists(tlsKeyFile))
        checkPermissions(u"security.tls.key"_s, tlsKeyFile, warnings);
    return true;
}

} // namespace QuantPush
