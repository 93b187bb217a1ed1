#include "auth/ApiKeyStore.h"
#include "auth/ConstantTime.h"
#include "auth/Identity.h"
#include "auth/JwtSigner.h"
#include "auth/JwtVerifier.h"
#include "auth/SecretGenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(QuantPush::JwtFailure)

namespace {

const QByteArray Secret = QByteArrayLiteral("test-secret-0123456789abcdef0123456789");
// A fixed clock: every time-dependent row is reproducible.
const QDateTime Now(QDate(2025, 1, 1), QTime(12, 0), Qt::UTC);
const qint64 NowSecs = Now.toSecsSinceEpoch();

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Independent of JwtSigner so the tests can forge any header/payload bytes
// with a *valid* HS256 MAC, and so a signer bug cannot hide a verifier bug.
QByteArray forge(const QByteArray &headerJson, const QByteArray &payloadJson,
                 const QByteArray &secret = Secret)
{
    const QByteArray input = b64(headerJson) + '.' + b64(payloadJson);
    return input + '.'
        + b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

const QByteArray Hs256Header = R"({"alg":"HS256","typ":"JWT"})";

QByteArray withClaims(const QJsonObject &claims)
{
    return forge(Hs256Header, json(claims));
}

QJsonObject baseClaims()
{
    return {{"sub"_L1, "alice"_L1}, {"role"_L1, "trader"_L1}, {"exp"_L1, NowSecs + 600}};
}

QJsonObject baseWith(const QString &key, const QJsonValue &value)
{
    QJsonObject claims = baseClaims();
    if (value.isUndefined())
        claims.remove(key);
    else
        claims.insert(key, value);
    return claims;
}

QList<QByteArray> segmentsOf(const QByteArray &token)
{
    return token.split('.');
}

QByteArray replaceSegment(const QByteArray &token, int index, const QByteArray &segment)
{
    QList<QByteArray> parts = segmentsOf(token);
    parts[index] = segment;
    return parts.join('.');
}

} // namespace

class tst_Auth : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void signerOutputShape();
    void knownVector();
    void failures_data();
    void failures();
    void leeway_data();
    void leeway();
    void emptySecretRejectsEverything();
    void apiKeyLookup_data();
    void apiKeyLookup();
    void apiKeyMalformedHash_data();
    void apiKeyMalformedHash();
    void apiKeyRejectsDuplicatesAndEmpties();
    void hashKeyKnownVector();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void randomSecret_data();
    void randomSecret();
    void identityDefaults();
};

void tst_Auth::roundTrip_data()
{
    QTest::addColumn<QJsonObject>("claims");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("role");
    QTest::addColumn<bool>("hasAccounts");
    QTest::addColumn<QStringList>("accounts");
    QTest::addColumn<bool>("hasChannels");
    QTest::addColumn<QStringList>("channels");
    QTest::addColumn<qint64>("expMs");

    const qint64 exp = NowSecs + 600;
    QTest::newRow("minimal, no role")
        << QJsonObject{{"sub"_L1, "bob"_L1}, {"exp"_L1, exp}} << u"bob"_s << QString()
        << false << QStringList() << false << QStringList() << exp * 1000;
    QTest::newRow("role")
        << baseClaims() << u"alice"_s << u"trader"_s
        << false << QStringList() << false << QStringList() << exp * 1000;
    QTest::newRow("accounts and channels")
        << baseWith(u"accounts"_s, QJsonArray{"ACC1"_L1, "ACC2"_L1})
               .insert("channels"_L1, QJsonArray{"orders"_L1, "ticker.BTCUSD"_L1})
               .operator*() // placeholder replaced below
               .toObject();
}

void tst_Auth::roundTrip()
{
}

QTEST_GUILESS_MAIN(tst_Auth)
#include "tst_auth.moc"
