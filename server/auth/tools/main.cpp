// quantpush-token: mints HS256 JWTs for QuantPush, hashes API keys for the
// config's key_sha256 and generates secrets. Thin: all logic is in
// quantpush_auth so the server verifies exactly what this tool signs.
#include "auth/ApiKeyStore.h"
#include "auth/JwtSigner.h"
#include "auth/SecretGenerator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;

namespace {

constexpr qint64 DefaultTtlSeconds = 3600;
// Long-lived machine credentials are API keys; a JWT that outlives this is
// a typo, and the cap keeps now + ttl far from overflow.
constexpr qint64 MaxTtlSeconds = 10LL * 365 * 24 * 3600;

int failWith(const QString &message)
{
    QTextStream(stderr) << "quantpush-token: " << message << Qt::endl;
    return 1;
}

void printLine(const QByteArray &text)
{
    QTextStream(stdout) << text << Qt::endl;
}

// "-" reads the value from stdin so it stays out of `ps` and shell history.
std::optional<QByteArray> readValue(const QString &value)
{
    if (value != "-"_L1)
        return value.toUtf8();
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return std::nullopt;
    return in.readLine().trimmed();
}

// Trailing newlines from editors and `echo` are not part of the secret.
std::optional<QByteArray> readSecretFile(const QString &path)
{
    if (path == "-"_L1)
        return readValue(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll().trimmed();
}

QJsonArray splitList(const QString &commaSeparated)
{
    QJsonArray array;
    for (const QString &part : commaSeparated.split(u',', Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            array.append(item);
    }
    return array;
}

struct Options
{
    QCommandLineOption secret{u"secret"_s, u"HS256 secret (visible in ps; prefer --secret-file)."_s, u"S"_s};
    QCommandLineOption secretFile{u"secret-file"_s, u"File holding the secret, or - for stdin."_s, u"F"_s};
    QCommandLineOption sub{u"sub"_s, u"User name (sub claim)."_s, u"USER"_s};
    QCommandLineOption role{u"role"_s, u"Role claim: admin, trader, viewer or a configured one."_s, u"ROLE"_s};
    QCommandLineOption ttl{u"ttl"_s, u"Lifetime in seconds (default 3600)."_s, u"SECONDS"_s,
                           QString::number(DefaultTtlSeconds)};
    QCommandLineOption accounts{u"accounts"_s, u"Comma-separated accounts claim."_s, u"A1,A2"_s};
    QCommandLineOption channels{u"channels"_s, u"Comma-separated channels claim."_s, u"c1,c2"_s};
    QCommandLineOption hashKey{u"hash-key"_s, u"Print the SHA-256 hex of an API key (for key_sha256), - for stdin."_s, u"KEY"_s};
    QCommandLineOption generateSecret{u"generate-secret"_s, u"Print a new random 256-bit secret."_s};
};

int mintToken(const QCommandLineParser &parser, const Options &options)
{
    if (parser.isSet(options.secret) == parser.isSet(options.secretFile))
        return failWith(u"give exactly one of --secret or --secret-file"_s);
    const std::optional<QByteArray> secret = parser.isSet(options.secret)
        ? std::optional(parser.value(options.secret).toUtf8())
        : readSecretFile(parser.value(options.secretFile));
    if (!secret)
        return failWith(u"cannot read the secret file"_s);
    if (secret->isEmpty())
        return failWith(u"the secret is empty"_s);

    const QString sub = parser.value(options.sub);
    if (sub.isEmpty())
        return failWith(u"--sub is required"_s);
    bool ttlOk = false;
    const qint64 ttl = parser.value(options.ttl).toLongLong(&ttlOk);
    if (!ttlOk || ttl <= 0 || ttl > MaxTtlSeconds)
        return failWith(u"--ttl must be between 1 and %1 seconds"_s.arg(MaxTtlSeconds));

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims{{"sub"_L1, sub}, {"iat"_L1, now}, {"exp"_L1, now + ttl}};
    if (parser.isSet(options.role))
        claims.insert("role"_L1, parser.value(options.role));
    if (parser.isSet(options.accounts))
        claims.insert("accounts"_L1, splitList(parser.value(options.accounts)));
    else if (parser.value(options.role) == "trader"_L1)
        std::fprintf(stderr, "quantpush-token: warning: a trader token without --accounts gets no account data "
                             "(orders, positions, risk alerts) unless its role sets require_accounts: false\n");
    if (parser.isSet(options.channels))
        claims.insert("channels"_L1, splitList(parser.value(options.channels)));

    printLine(JwtSigner::sign(claims, *secret));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"quantpush-token"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QUANTPUSH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Mint an HS256 JWT for QuantPush, hash an API key, or generate a secret."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const Options options;
    parser.addOptions({options.secret, options.secretFile, options.sub, options.role, options.ttl,
                       options.accounts, options.channels, options.hashKey, options.generateSecret});
    parser.process(app);

    if (!parser.positionalArguments().isEmpty())
        return failWith(u"unexpected argument; see --help"_s);
    if (parser.isSet(options.hashKey)) {
        const auto key = readValue(parser.value(options.hashKey));
        if (!key || key->isEmpty())
            return failWith(u"the API key is empty"_s);
        printLine(ApiKeyStore::hashKey(*key));
        return 0;
    }
    if (parser.isSet(options.generateSecret)) {
        printLine(SecretGenerator::randomSecret());
        return 0;
    }
    return mintToken(parser, options);
}
