#pragma once

#include "auth/JwtVerifyResult.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>

#include <chrono>

namespace QuantPush {

// Verifies compact HS256 JWTs (RFC 7519) and turns their claims into an
// Identity. The signature is checked before any claim is parsed, so an
// unsigned payload can never influence anything but the error text.
class JwtVerifier
{
public:
    // Tokens longer than this are refused before any decoding work.
    static constexpr qsizetype MaxTokenSize = 8 * 1024;
    // More skew than this is a broken clock, not something to paper over.
    static constexpr std::chrono::seconds MaxLeeway{24 * 60 * 60};

    explicit JwtVerifier(QByteArray secret);

    // Tolerated clock difference between the issuer and this server,
    // applied to exp and nbf. Defaults to 0 s: a deployment with skewed
    // clocks opts in explicitly. Clamped to [0 s, MaxLeeway].
    void setLeeway(std::chrono::seconds leeway);
    std::chrono::seconds leeway() const { return m_leeway; }

    JwtVerifyResult verify(QByteArrayView token,
                           QDateTime now = QDateTime::currentDateTimeUtc()) const;

private:
    static JwtVerifyResult checkHeader(QByteArrayView headerSegment);
    JwtVerifyResult checkSignature(QByteArrayView signingInput,
                                   QByteArrayView signatureSegment) const;
    static JwtVerifyResult readClaims(const QJsonObject &claims);
    JwtVerifyResult checkTimes(const QJsonObject &claims, const QDateTime &now) const;

    QByteArray m_secret;
    std::chrono::seconds m_leeway{0};
};

} // namespace QuantPush
