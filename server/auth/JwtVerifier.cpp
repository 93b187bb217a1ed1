#include "auth/JwtVerifier.h"

#include "auth/ConstantTime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

// 9999-12-31T23:59:59Z: keeps NumericDate arithmetic far from qint64 overflow
// and rejects values no issuer would produce on purpose.
constexpr double MaxNumericDate = 253402300799.0;

JwtVerifyResult fail(JwtFailure failure, QString reason)
{
    JwtVerifyResult result;
    result.failure = failure;
    result.reason = std::move(reason);
    return result;
}

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_';
}

// Stricter than QByteArray::fromBase64: no padding, no '+' or '/', and no
// length that cannot come out of an encoder.
bool isBase64UrlText(QByteArrayView text)
{
    if (text.size() % 4 == 1)
        return false;
    for (const char c : text) {
        if (!isBase64UrlChar(c))
            return false;
    }
    return true;
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    auto decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<QJsonObject> parseJsonObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// Splits into exactly three segments; the signature may be empty here so
// that "alg":"none" tokens are reported as such rather than as malformed.
std::optional<std::array<QByteArrayView, 3>> splitSegments(QByteArrayView token, qsizetype *count)
{
    std::array<QByteArrayView, 3> segments;
    qsizetype found = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= token.size(); ++i) {
        if (i < token.size() && token[i] != '.')
            continue;
        if (found < 3)
            segments[found] = token.sliced(start, i - start);
        ++found;
        start = i + 1;
    }
    *count = found;
    if (found != 3)
        return std::nullopt;
    return segments;
}

enum class ClaimState { Absent, Invalid, Present };

ClaimState readNumericDate(const QJsonObject &claims, QLatin1StringView key, qint64 *msecs)
{
    const auto it = claims.constFind(key);
    if (it == claims.constEnd())
        return ClaimState::Absent;
    if (!it->isDouble())
        return ClaimState::Invalid;
    const double seconds = it->toDouble();
    if (!std::isfinite(seconds) || std::fabs(seconds) > MaxNumericDate)
        return ClaimState::Invalid;
    *msecs = static_cast<qint64>(std::floor(seconds * 1000.0));
    return ClaimState::Present;
}

ClaimState readStringList(const QJsonObject &claims, QLatin1StringView key, QStringList *list)
{
    const auto it = claims.constFind(key);
    if (it == claims.constEnd())
        return ClaimState::Absent;
    if (!it->isArray())
        return ClaimState::Invalid;
    const QJsonArray array = it->toArray();
    list->reserve(array.size());
    for (const QJsonValue &item : array) {
        if (!item.isString())
            return ClaimState::Invalid;
        list->append(item.toString());
    }
    return ClaimState::Present;
}

QString describeTime(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

JwtVerifier::JwtVerifier(QByteArray secret)
    : m_secret(std::move(secret))
{
}

void JwtVerifier::setLeeway(std::chrono::seconds leeway)
{
    m_leeway = std::clamp(leeway, std::chrono::seconds{0}, MaxLeeway);
}

JwtVerifyResult JwtVerifier::verify(QByteArrayView token, QDateTime now) const
{
    if (token.isEmpty())
        return fail(JwtFailure::Malformed, u"token is empty"_s);
    if (token.size() > MaxTokenSize) {
        return fail(JwtFailure::Malformed, u"token is %1 bytes, the limit is %2"_s
                                               .arg(token.size())
                                               .arg(MaxTokenSize));
    }

    qsizetype segmentCount = 0;
    const auto segments = splitSegments(token, &segmentCount);
    if (!segments) {
        return fail(JwtFailure::Malformed,
                    u"token has %1 segments, expected 3"_s.arg(segmentCount));
    }
    const auto &[header, payload, signature] = *segments;
    if (header.isEmpty() || payload.isEmpty())
        return fail(JwtFailure::Malformed, u"token has an empty header or payload"_s);
    if (!isBase64UrlText(header) || !isBase64UrlText(payload) || !isBase64UrlText(signature))
        return fail(JwtFailure::Malformed, u"token is not valid base64url"_s);

    if (JwtVerifyResult headerResult = checkHeader(header); !headerResult.ok())
        return headerResult;

    // The signing input is the first two segments exactly as received.
    const QByteArrayView signingInput = token.first(header.size() + 1 + payload.size());
    if (JwtVerifyResult signatureResult = checkSignature(signingInput, signature);
        !signatureResult.ok()) {
        return signatureResult;
    }

    // Only now is the payload authentic and worth parsing.
    const auto payloadJson = decodeBase64Url(payload);
    const auto claims = payloadJson ? parseJsonObject(*payloadJson) : std::nullopt;
    if (!claims)
        return fail(JwtFailure::Malformed, u"token payload is not a JSON object"_s);

    JwtVerifyResult result = readClaims(*claims);
    if (!result.ok())
        return result;
    JwtVerifyResult timeResult = checkTimes(*claims, now);
    if (!timeResult.ok())
        return timeResult;
    result.identity.expiresAt = timeResult.identity.expiresAt;
    return result;
}

JwtVerifyResult JwtVerifier::checkHeader(QByteArrayView headerSegment)
{
    const auto headerJson = decodeBase64Url(headerSegment);
    const auto header = headerJson ? parseJsonObject(*headerJson) : std::nullopt;
    if (!header)
        return fail(JwtFailure::BadHeader, u"token header is not a JSON object"_s);

    const QJsonValue alg = header->value("alg"_L1);
    if (!alg.isString())
        return fail(JwtFailure::BadHeader, u"token header has no \"alg\" string"_s);
    // Exact, case-sensitive match: "none", "hs256" and every other JWS
    // algorithm are refused, so a token cannot choose how it is checked.
    if (alg.toString() != "HS256"_L1)
        return fail(JwtFailure::UnsupportedAlgorithm, u"token algorithm is not HS256"_s);
    // RFC 7515 4.1.11: extensions we do not implement must not be ignored.
    if (header->contains("crit"_L1))
        return fail(JwtFailure::BadHeader, u"token header has unsupported \"crit\""_s);
    return {};
}

JwtVerifyResult JwtVerifier::checkSignature(QByteArrayView signingInput,
                                            QByteArrayView signatureSegment) const
{
    // HMAC with an empty key is computable by anyone: refuse rather than
    // accept tokens "signed" with nothing.
    if (m_secret.isEmpty())
        return fail(JwtFailure::BadSignature, u"no JWT secret is configured"_s);
    if (signatureSegment.isEmpty())
        return fail(JwtFailure::BadSignature, u"token has no signature"_s);

    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_secret);
    mac.addData(signingInput.data(), signingInput.size());
    // Comparing the canonical encoding (not the decoded bytes) also refuses
    // alternative spellings of the same signature.
    const QByteArray expected = mac.result().toBase64(Base64Url);
    if (!constantTimeEquals(expected, signatureSegment))
        return fail(JwtFailure::BadSignature, u"token signature does not match"_s);
    return {};
}

JwtVerifyResult JwtVerifier::readClaims(const QJsonObject &claims)
{
    JwtVerifyResult result;
    Identity &identity = result.identity;
    identity.method = Identity::Method::Jwt;

    const QJsonValue sub = claims.value("sub"_L1);
    if (!sub.isString() || sub.toString().isEmpty())
        return fail(JwtFailure::BadClaims, u"claim \"sub\" must be a non-empty string"_s);
    identity.user = sub.toString();

    if (const auto role = claims.constFind("role"_L1); role != claims.constEnd()) {
        if (!role->isString())
            return fail(JwtFailure::BadClaims, u"claim \"role\" must be a string"_s);
        identity.role = role->toString();
    }

    QStringList accounts;
    switch (readStringList(claims, "accounts"_L1, &accounts)) {
    case ClaimState::Invalid:
        return fail(JwtFailure::BadClaims, u"claim \"accounts\" must be an array of strings"_s);
    case ClaimState::Present: identity.accounts = std::move(accounts); break;
    case ClaimState::Absent: break;
    }

    QStringList channels;
    switch (readStringList(claims, "channels"_L1, &channels)) {
    case ClaimState::Invalid:
        return fail(JwtFailure::BadClaims, u"claim \"channels\" must be an array of strings"_s);
    case ClaimState::Present: identity.channels = std::move(channels); break;
    case ClaimState::Absent: break;
    }
    return result;
}

JwtVerifyResult JwtVerifier::checkTimes(const QJsonObject &claims, const QDateTime &now) const
{
    qint64 expMs = 0;
    qint64 nbfMs = 0;
    qint64 iatMs = 0;
    const ClaimState exp = readNumericDate(claims, "exp"_L1, &expMs);
    const ClaimState nbf = readNumericDate(claims, "nbf"_L1, &nbfMs);
    // iat is only type-checked: a future iat is a clock problem, not forgery.
    const ClaimState iat = readNumericDate(claims, "iat"_L1, &iatMs);

    if (exp == ClaimState::Invalid || nbf == ClaimState::Invalid || iat == ClaimState::Invalid)
        return fail(JwtFailure::BadClaims, u"claims \"exp\", \"nbf\" and \"iat\" must be NumericDates"_s);
    // Tokens without exp would be valid forever once leaked.
    if (exp == ClaimState::Absent)
        return fail(JwtFailure::MissingExpiry, u"token has no \"exp\" claim"_s);

    // An invalid QDateTime has no epoch value; fall back to the real clock
    // rather than compare against garbage.
    const qint64 nowMs = now.isValid() ? now.toMSecsSinceEpoch()
                                       : QDateTime::currentMSecsSinceEpoch();
    const qint64 leewayMs = std::chrono::milliseconds(m_leeway).count();

    // RFC 7519 4.1.4: the current time must be before exp.
    if (nowMs >= expMs + leewayMs)
        return fail(JwtFailure::Expired, u"token expired at %1"_s.arg(describeTime(expMs)));
    // RFC 7519 4.1.5: the current time must be at or after nbf.
    if (nbf == ClaimState::Present && nowMs < nbfMs - leewayMs)
        return fail(JwtFailure::NotYetValid, u"token is not valid before %1"_s.arg(describeTime(nbfMs)));

    JwtVerifyResult result;
    result.identity.expiresAt = QDateTime::fromMSecsSinceEpoch(expMs, Qt::UTC);
    return result;
}

} // namespace QuantPush
