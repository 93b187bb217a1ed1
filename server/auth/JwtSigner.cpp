#include "auth/JwtSigner.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodeSegment(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(Base64Url);
}

} // namespace

QByteArray JwtSigner::sign(const QJsonObject &claims, const QByteArray &secret)
{
    const QJsonObject header{{"alg"_L1, "HS256"_L1}, {"typ"_L1, "JWT"_L1}};
    QByteArray token = encodeSegment(header) + '.' + encodeSegment(claims);
    const QByteArray signature =
        QMessageAuthenticationCode::hash(token, secret, QCryptographicHash::Sha256);
    token += '.' + signature.toBase64(Base64Url);
    return token;
}

} // namespace QuantPush
