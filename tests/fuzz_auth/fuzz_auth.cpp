// Feeds arbitrary bytes to the verifier twice: once as a raw token (the
// parser in front of the HMAC), and once as header/payload JSON signed with
// the right secret, so the fuzzer also reaches the claim code behind the
// signature check, which random bytes would never pass.
#include "auth/ApiKeyStore.h"
#include "auth/JwtVerifier.h"

#include <QByteArray>
#include <QDateTime>
#include <QMessageAuthenticationCode>

#include <cstddef>
#include <cstdint>

using namespace QuantPush;

namespace {

const QByteArray Secret = QByteArrayLiteral("fuzz-secret-0123456789abcdef0123456789");
const QDateTime Now = QDateTime::fromSecsSinceEpoch(1'735'732'800, Qt::UTC);

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray signedToken(QByteArrayView input)
{
    const qsizetype split = input.indexOf('\0');
    const QByteArray header = split < 0 ? QByteArray(R"({"alg":"HS256"})") : input.first(split).toByteArray();
    const QByteArray payload = (split < 0 ? input : input.sliced(split + 1)).toByteArray();
    const QByteArray signingInput = b64(header) + '.' + b64(payload);
    return signingInput + '.'
        + b64(QMessageAuthenticationCode::hash(signingInput, Secret, QCryptographicHash::Sha256));
}

// Invariants every caller relies on; a violation aborts the run.
void check(const JwtVerifyResult &result)
{
    if (result.ok() != result.reason.isEmpty())
        __builtin_trap();
    if (result.ok() && (result.identity.user.isEmpty() || !result.identity.expiresAt.isValid()
                        || result.identity.method != Identity::Method::Jwt))
        __builtin_trap();
    if (!result.ok() && !result.identity.user.isEmpty())
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    JwtVerifier verifier(Secret);
    check(verifier.verify(input, Now));
    check(verifier.verify(signedToken(input), Now));

    static const ApiKeyStore store = [] {
        ApiKeyStore s;
        s.addKey("fuzz-key", QStringLiteral("fuzz"), QStringLiteral("viewer"));
        return s;
    }();
    if (store.lookup(input).has_value() != (input == QByteArrayView("fuzz-key")))
        __builtin_trap();
    return 0;
}
