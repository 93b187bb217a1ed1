#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace QuantPush {

// Mints compact HS256 JWTs: the counterpart of JwtVerifier, used by the
// quantpush-token tool, the demo admin token and the tests.
class JwtSigner
{
public:
    JwtSigner() = delete;

    // The claims are serialised as given: callers set sub, exp, etc.
    static QByteArray sign(const QJsonObject &claims, const QByteArray &secret);
};

} // namespace QuantPush
