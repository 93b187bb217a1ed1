#pragma once

#include "auth/Identity.h"

#include <QLatin1StringView>
#include <QString>

namespace QuantPush {

// Why a token was refused. Typed so callers (and tests) can tell a
// forged token from an expired one without parsing text.
enum class JwtFailure {
    None,
    Malformed,            // size, segment count, base64url or payload JSON
    BadHeader,            // header not a JSON object, alg missing, crit present
    UnsupportedAlgorithm, // anything but HS256, "none" included
    BadSignature,
    MissingExpiry,
    Expired,
    NotYetValid,
    BadClaims,            // sub/role/accounts/channels/exp/nbf/iat of the wrong type
};

// Stable identifiers for logs and metrics labels.
constexpr QLatin1StringView jwtFailureName(JwtFailure failure)
{
    switch (failure) {
    case JwtFailure::None: return QLatin1StringView("none");
    case JwtFailure::Malformed: return QLatin1StringView("malformed");
    case JwtFailure::BadHeader: return QLatin1StringView("bad_header");
    case JwtFailure::UnsupportedAlgorithm: return QLatin1StringView("unsupported_algorithm");
    case JwtFailure::BadSignature: return QLatin1StringView("bad_signature");
    case JwtFailure::MissingExpiry: return QLatin1StringView("missing_expiry");
    case JwtFailure::Expired: return QLatin1StringView("expired");
    case JwtFailure::NotYetValid: return QLatin1StringView("not_yet_valid");
    case JwtFailure::BadClaims: return QLatin1StringView("bad_claims");
    }
    return QLatin1StringView("unknown");
}

struct JwtVerifyResult
{
    JwtFailure failure = JwtFailure::None;
    // Human text for logs and error frames. Never contains the token or
    // any header/claim value, so it is safe to log and to send back.
    QString reason;
    // Filled only when ok().
    Identity identity;

    bool ok() const { return failure == JwtFailure::None; }
};

} // namespace QuantPush
