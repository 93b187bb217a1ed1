#pragma once

#include <QByteArray>

namespace QuantPush {

// Creates JWT secrets for operators (quantpush-token --generate-secret) and
// for a demo server started without one.
class SecretGenerator
{
public:
    SecretGenerator() = delete;

    // Base64url text (no padding) of `bytes` random bytes from the OS
    // CSPRNG. The text itself is the secret: it is what goes into
    // jwt_secret and what HMAC uses. `bytes` below 32 is raised to 32,
    // since RFC 7518 3.2 requires an HS256 key of at least 256 bits.
    static QByteArray randomSecret(int bytes = 32);
};

} // namespace QuantPush
