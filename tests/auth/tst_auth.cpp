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

    QJsonObject scoped = baseClaims();
    scoped.insert("accounts"_L1, QJsonArray{"ACC1"_L1, "ACC2"_L1});
    scoped.insert("channels"_L1, QJsonArray{"orders"_L1, "ticker.BTCUSD"_L1});
    QTest::newRow("accounts and channels")
        << scoped << u"alice"_s << u"trader"_s
        << true << QStringList{u"ACC1"_s, u"ACC2"_s}
        << true << QStringList{u"orders"_s, u"ticker.BTCUSD"_s} << exp * 1000;

    QJsonObject emptyLists = baseClaims();
    emptyLists.insert("accounts"_L1, QJsonArray());
    emptyLists.insert("channels"_L1, QJsonArray());
    QTest::newRow("empty lists stay distinct from absent")
        << emptyLists << u"alice"_s << u"trader"_s
        << true << QStringList() << true << QStringList() << exp * 1000;

    QJsonObject timed = baseClaims();
    timed.insert("iat"_L1, NowSecs - 10);
    timed.insert("nbf"_L1, NowSecs);
    timed.insert("jti"_L1, "unknown claims are ignored"_L1);
    QTest::newRow("iat, nbf == now, extra claim")
        << timed << u"alice"_s << u"trader"_s
        << false << QStringList() << false << QStringList() << exp * 1000;

    QTest::newRow("fractional exp")
        << baseWith(u"exp"_s, double(NowSecs) + 0.5) << u"alice"_s << u"trader"_s
        << false << QStringList() << false << QStringList() << NowSecs * 1000 + 500;

    QTest::newRow("non-ASCII user")
        << baseWith(u"sub"_s, u"trader-\u00e9\u4e2d"_s) << u"trader-\u00e9\u4e2d"_s
        << u"trader"_s << false << QStringList() << false << QStringList() << exp * 1000;
}

void tst_Auth::roundTrip()
{
    QFETCH(QJsonObject, claims);
    QFETCH(QString, user);
    QFETCH(QString, role);
    QFETCH(bool, hasAccounts);
    QFETCH(QStringList, accounts);
    QFETCH(bool, hasChannels);
    QFETCH(QStringList, channels);
    QFETCH(qint64, expMs);

    // Both the library signer and the independent forge must verify.
    for (const QByteArray &token : {JwtSigner::sign(claims, Secret), withClaims(claims)}) {
        const JwtVerifyResult result = JwtVerifier(Secret).verify(token, Now);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.failure, JwtFailure::None);
        QVERIFY(result.reason.isEmpty());
        const Identity &identity = result.identity;
        QCOMPARE(identity.method, Identity::Method::Jwt);
        QCOMPARE(identity.user, user);
        QCOMPARE(identity.role, role);
        QCOMPARE(identity.accounts.has_value(), hasAccounts);
        if (hasAccounts)
            QCOMPARE(*identity.accounts, accounts);
        QCOMPARE(identity.channels.has_value(), hasChannels);
        if (hasChannels)
            QCOMPARE(*identity.channels, channels);
        QCOMPARE(identity.expiresAt.toMSecsSinceEpoch(), expMs);
        QCOMPARE(identity.expiresAt.timeSpec(), Qt::UTC);
    }
}

void tst_Auth::signerOutputShape()
{
    const QByteArray token = JwtSigner::sign(baseClaims(), Secret);
    const QList<QByteArray> parts = segmentsOf(token);
    QCOMPARE(parts.size(), 3);
    for (const QByteArray &part : parts) {
        QVERIFY(!part.isEmpty());
        QVERIFY(!part.contains('='));
        QVERIFY(!part.contains('+'));
        QVERIFY(!part.contains('/'));
    }
    const QJsonObject header = QJsonDocument::fromJson(QByteArray::fromBase64(
        parts[0], QByteArray::Base64UrlEncoding)).object();
    QCOMPARE(header.value("alg"_L1).toString(), u"HS256"_s);
    QCOMPARE(header.value("typ"_L1).toString(), u"JWT"_s);
    // HMAC-SHA256 is 32 bytes: 43 base64url characters without padding.
    QCOMPARE(parts[2].size(), 43);
    QCOMPARE(token, withClaims(baseClaims()));
}

void tst_Auth::knownVector()
{
    // The jwt.io example token: proves interoperability with other
    // implementations. It has no exp, so a correct signature check is
    // followed by MissingExpiry; a wrong secret stops at BadSignature.
    const QByteArray token = QByteArrayLiteral(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    QCOMPARE(JwtVerifier(QByteArrayLiteral("your-256-bit-secret")).verify(token, Now).failure,
             JwtFailure::MissingExpiry);
    QCOMPARE(JwtVerifier(QByteArrayLiteral("your-256-bit-secreT")).verify(token, Now).failure,
             JwtFailure::BadSignature);
}

void tst_Auth::failures_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<JwtFailure>("failure");

    const QByteArray valid = withClaims(baseClaims());
    const QList<QByteArray> parts = segmentsOf(valid);

    // --- signature ---
    QTest::newRow("tampered payload")
        << replaceSegment(valid, 1, b64(json(baseWith(u"role"_s, "admin"_L1))))
        << JwtFailure::BadSignature;
    QByteArray flipped = parts[2];
    flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
    QTest::newRow("tampered signature") << replaceSegment(valid, 2, flipped)
                                        << JwtFailure::BadSignature;
    QTest::newRow("truncated signature") << replaceSegment(valid, 2, parts[2].chopped(3))
                                         << JwtFailure::BadSignature;
    QTest::newRow("signature of another token")
        << replaceSegment(valid, 2, segmentsOf(withClaims(baseWith(u"sub"_s, "bob"_L1)))[2])
        << JwtFailure::BadSignature;
    QTest::newRow("wrong secret")
        << forge(Hs256Header, json(baseClaims()), QByteArrayLiteral("other-secret"))
        << JwtFailure::BadSignature;
    QTest::newRow("empty signature") << replaceSegment(valid, 2, QByteArray())
                                     << JwtFailure::BadSignature;
    // Signature comes first: bad claims behind a bad signature are not parsed.
    QTest::newRow("wrong secret hides missing exp")
        << forge(Hs256Header, json(baseWith(u"exp"_s, QJsonValue::Undefined)), "x")
        << JwtFailure::BadSignature;
    QTest::newRow("wrong secret hides bad claims")
        << forge(Hs256Header, R"({"sub":7})", "x") << JwtFailure::BadSignature;

    // --- algorithm ---
    const QByteArray payload = json(baseClaims());
    QTest::newRow("alg none, no signature")
        << QByteArray(b64(R"({"alg":"none","typ":"JWT"})") + '.' + b64(payload) + '.')
        << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg none, with signature")
        << forge(R"({"alg":"none","typ":"JWT"})", payload) << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg None") << forge(R"({"alg":"None"})", payload)
                              << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg hs256 lowercase") << forge(R"({"alg":"hs256"})", payload)
                                         << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg HS512") << forge(R"({"alg":"HS512","typ":"JWT"})", payload)
                               << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg RS256") << forge(R"({"alg":"RS256","typ":"JWT"})", payload)
                               << JwtFailure::UnsupportedAlgorithm;
    QTest::newRow("alg empty") << forge(R"({"alg":""})", payload)
                               << JwtFailure::UnsupportedAlgorithm;

    // --- header ---
    QTest::newRow("header not JSON") << forge("not json", payload) << JwtFailure::BadHeader;
    QTest::newRow("header JSON array") << forge(R"(["HS256"])", payload) << JwtFailure::BadHeader;
    QTest::newRow("header without alg") << forge(R"({"typ":"JWT"})", payload)
                                        << JwtFailure::BadHeader;
    QTest::newRow("alg not a string") << forge(R"({"alg":256})", payload) << JwtFailure::BadHeader;
    QTest::newRow("alg null") << forge(R"({"alg":null})", payload) << JwtFailure::BadHeader;
    QTest::newRow("crit header") << forge(R"({"alg":"HS256","crit":["exp"]})", payload)
                                 << JwtFailure::BadHeader;

    // --- time ---
    QTest::newRow("missing exp") << withClaims(baseWith(u"exp"_s, QJsonValue::Undefined))
                                 << JwtFailure::MissingExpiry;
    QTest::newRow("expired") << withClaims(baseWith(u"exp"_s, NowSecs - 1)) << JwtFailure::Expired;
    QTest::newRow("expires exactly now") << withClaims(baseWith(u"exp"_s, NowSecs))
                                         << JwtFailure::Expired;
    QTest::newRow("exp 0") << withClaims(baseWith(u"exp"_s, 0)) << JwtFailure::Expired;
    QTest::newRow("nbf in future") << withClaims(baseWith(u"nbf"_s, NowSecs + 1))
                                   << JwtFailure::NotYetValid;

    // --- structure ---
    QTest::newRow("empty string") << QByteArray() << JwtFailure::Malformed;
    QTest::newRow("1 segment") << parts[0] << JwtFailure::Malformed;
    QTest::newRow("2 segments") << QByteArray(parts[0] + '.' + parts[1]) << JwtFailure::Malformed;
    QTest::newRow("4 segments") << QByteArray(valid + '.' + parts[2]) << JwtFailure::Malformed;
    QTest::newRow("trailing dot") << QByteArray(valid + '.') << JwtFailure::Malformed;
    QTest::newRow("only dots") << QByteArray("..") << JwtFailure::Malformed;
    QTest::newRow("empty header") << replaceSegment(valid, 0, QByteArray()) << JwtFailure::Malformed;
    QTest::newRow("empty payload") << replaceSegment(valid, 1, QByteArray()) << JwtFailure::Malformed;
    QTest::newRow("bad base64 char") << replaceSegment(valid, 1, parts[1] + '*')
                                     << JwtFailure::Malformed;
    QTest::newRow("base64 '+' (not url-safe)") << replaceSegment(valid, 0, "eyJ+bGci")
                                               << JwtFailure::Malformed;
    QTest::newRow("base64 '/' in signature") << replaceSegment(valid, 2, parts[2].chopped(1) + '/')
                                             << JwtFailure::Malformed;
    QTest::newRow("base64 padding") << replaceSegment(valid, 0, b64(Hs256Header) + "==")
                                    << JwtFailure::Malformed;
    QTest::newRow("impossible base64 length") << replaceSegment(valid, 1, "abcde")
                                              << JwtFailure::Malformed;
    QTest::newRow("whitespace") << QByteArray(valid + ' ') << JwtFailure::Malformed;
    QTest::newRow("Bearer prefix left in") << QByteArray("Bearer " + valid) << JwtFailure::Malformed;
    QTest::newRow("payload JSON array") << forge(Hs256Header, R"(["sub","alice"])")
                                        << JwtFailure::Malformed;
    QTest::newRow("payload not JSON") << forge(Hs256Header, "sub=alice") << JwtFailure::Malformed;
    QTest::newRow("payload empty JSON") << forge(Hs256Header, " ") << JwtFailure::Malformed;
    QJsonObject big = baseClaims();
    big.insert("pad"_L1, QString(10 * 1024, u'x'));
    QTest::newRow("10 KiB token") << withClaims(big) << JwtFailure::Malformed;
    QTest::newRow("8 KiB + 1 of garbage") << QByteArray(8 * 1024 + 1, 'a') << JwtFailure::Malformed;

    // --- claim types ---
    QTest::newRow("sub missing") << withClaims(baseWith(u"sub"_s, QJsonValue::Undefined))
                                 << JwtFailure::BadClaims;
    QTest::newRow("sub number") << withClaims(baseWith(u"sub"_s, 42)) << JwtFailure::BadClaims;
    QTest::newRow("sub empty") << withClaims(baseWith(u"sub"_s, ""_L1)) << JwtFailure::BadClaims;
    QTest::newRow("sub null") << withClaims(baseWith(u"sub"_s, QJsonValue::Null))
                              << JwtFailure::BadClaims;
    QTest::newRow("role number") << withClaims(baseWith(u"role"_s, 1)) << JwtFailure::BadClaims;
    QTest::newRow("role array") << withClaims(baseWith(u"role"_s, QJsonArray{"admin"_L1}))
                                << JwtFailure::BadClaims;
    QTest::newRow("accounts string") << withClaims(baseWith(u"accounts"_s, "ACC1"_L1))
                                     << JwtFailure::BadClaims;
    QTest::newRow("accounts with number") << withClaims(baseWith(u"accounts"_s, QJsonArray{"A"_L1, 1}))
                                          << JwtFailure::BadClaims;
    QTest::newRow("channels object")
        << withClaims(baseWith(u"channels"_s, QJsonObject{{"orders"_L1, true}}))
        << JwtFailure::BadClaims;
    QTest::newRow("channels null") << withClaims(baseWith(u"channels"_s, QJsonValue::Null))
                                   << JwtFailure::BadClaims;
    QTest::newRow("exp string") << withClaims(baseWith(u"exp"_s, QString::number(NowSecs + 600)))
                                << JwtFailure::BadClaims;
    QTest::newRow("exp absurd") << withClaims(baseWith(u"exp"_s, 1e300)) << JwtFailure::BadClaims;
    QTest::newRow("nbf string") << withClaims(baseWith(u"nbf"_s, "0"_L1)) << JwtFailure::BadClaims;
    QTest::newRow("iat bool") << withClaims(baseWith(u"iat"_s, true)) << JwtFailure::BadClaims;
}

void tst_Auth::failures()
{
    QFETCH(QByteArray, token);
    QFETCH(JwtFailure, failure);

    const JwtVerifyResult result = JwtVerifier(Secret).verify(token, Now);
    // Names make a mismatch readable in the test log.
    QCOMPARE(QString(jwtFailureName(result.failure)), QString(jwtFailureName(failure)));
    QCOMPARE(result.failure, failure);
    QVERIFY(!result.ok());
    QVERIFY(!result.reason.isEmpty());
    QVERIFY(result.identity.user.isEmpty());
    // The reason is logged and sent to clients: no token material in it.
    for (const QByteArray &part : segmentsOf(token)) {
        if (part.size() >= 8)
            QVERIFY2(!result.reason.contains(QLatin1StringView(part)), qPrintable(result.reason));
    }
}

void tst_Auth::leeway_data()
{
    QTest::addColumn<qint64>("leewaySecs");
    QTest::addColumn<QJsonObject>("claims");
    QTest::addColumn<JwtFailure>("failure");

    const QJsonObject expiredBy10 = baseWith(u"exp"_s, NowSecs - 10);
    const QJsonObject nbfIn10 = baseWith(u"nbf"_s, NowSecs + 10);
    QTest::newRow("no leeway, expired") << qint64(0) << expiredBy10 << JwtFailure::Expired;
    QTest::newRow("30s leeway, expired 10s ago") << qint64(30) << expiredBy10 << JwtFailure::None;
    QTest::newRow("10s leeway, expired 10s ago") << qint64(10) << expiredBy10 << JwtFailure::Expired;
    QTest::newRow("5s leeway, expired 10s ago") << qint64(5) << expiredBy10 << JwtFailure::Expired;
    QTest::newRow("no leeway, nbf in 10s") << qint64(0) << nbfIn10 << JwtFailure::NotYetValid;
    QTest::newRow("10s leeway, nbf in 10s") << qint64(10) << nbfIn10 << JwtFailure::None;
    QTest::newRow("9s leeway, nbf in 10s") << qint64(9) << nbfIn10 << JwtFailure::NotYetValid;
    QTest::newRow("negative leeway is 0") << qint64(-30) << baseWith(u"exp"_s, NowSecs + 5)
                                          << JwtFailure::None;
    QTest::newRow("negative leeway is not -30") << qint64(-30) << nbfIn10
                                                << JwtFailure::NotYetValid;
    QTest::newRow("huge leeway is capped at a day") << qint64(1) << QJsonObject() << JwtFailure::None;
}

void tst_Auth::leeway()
{
    QFETCH(qint64, leewaySecs);
    QFETCH(QJsonObject, claims);
    QFETCH(JwtFailure, failure);

    JwtVerifier verifier(Secret);
    QCOMPARE(verifier.leeway(), 0s);
    if (claims.isEmpty()) {
        verifier.setLeeway(std::chrono::seconds(std::numeric_limits<qint64>::max()));
        QCOMPARE(verifier.leeway(), JwtVerifier::MaxLeeway);
        const QByteArray expiredTwoDays = withClaims(baseWith(u"exp"_s, NowSecs - 2 * 86400));
        QCOMPARE(verifier.verify(expiredTwoDays, Now).failure, JwtFailure::Expired);
        return;
    }
    verifier.setLeeway(std::chrono::seconds(leewaySecs));
    QVERIFY(verifier.leeway() >= 0s);
    const JwtVerifyResult result = verifier.verify(withClaims(claims), Now);
    QCOMPARE(QString(jwtFailureName(result.failure)), QString(jwtFailureName(failure)));
}

void tst_Auth::emptySecretRejectsEverything()
{
    const QByteArray token = forge(Hs256Header, json(baseClaims()), QByteArray());
    const JwtVerifyResult result = JwtVerifier(QByteArray()).verify(token, Now);
    QCOMPARE(result.failure, JwtFailure::BadSignature);
}

void tst_Auth::apiKeyLookup_data()
{
    QTest::addColumn<QByteArray>("presented");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("role");

    QTest::newRow("plaintext entry") << QByteArray("plain-key-1") << true << u"bot"_s << u"trader"_s;
    QTest::newRow("hash entry") << QByteArray("hashed-key-2") << true << u"ops"_s << u"admin"_s;
    QTest::newRow("lowercase hash entry") << QByteArray("hashed-key-3") << true << u"view"_s
                                          << u"viewer"_s;
    QTest::newRow("wrong key") << QByteArray("plain-key-9") << false << QString() << QString();
    QTest::newRow("prefix of a key") << QByteArray("plain-key-") << false << QString() << QString();
    QTest::newRow("key plus suffix") << QByteArray("plain-key-1 ") << false << QString() << QString();
    QTest::newRow("case differs") << QByteArray("PLAIN-KEY-1") << false << QString() << QString();
    QTest::newRow("the stored hash itself")
        << ApiKeyStore::hashKey("hashed-key-2") << false << QString() << QString();
    QTest::newRow("empty") << QByteArray() << false << QString() << QString();
}

void tst_Auth::apiKeyLookup()
{
    QFETCH(QByteArray, presented);
    QFETCH(bool, found);
    QFETCH(QString, user);
    QFETCH(QString, role);

    ApiKeyStore store;
    QVERIFY(store.isEmpty());
    QVERIFY(store.addKey("plain-key-1", u"bot"_s, u"trader"_s));
    QVERIFY(store.addKeyHash(ApiKeyStore::hashKey("hashed-key-2").toUpper(), u"ops"_s, u"admin"_s));
    QVERIFY(store.addKeyHash(ApiKeyStore::hashKey("hashed-key-3"), u"view"_s, u"viewer"_s));
    QCOMPARE(store.size(), 3);

    const std::optional<Identity> identity = store.lookup(presented);
    QCOMPARE(identity.has_value(), found);
    if (!found)
        return;
    QCOMPARE(identity->user, user);
    QCOMPARE(identity->role, role);
    QCOMPARE(identity->method, Identity::Method::ApiKey);
    QVERIFY(!identity->expiresAt.isValid());
    QVERIFY(!identity->accounts.has_value());
    QVERIFY(!identity->channels.has_value());
}

void tst_Auth::apiKeyMalformedHash_data()
{
    QTest::addColumn<QByteArray>("hex");

    const QByteArray good = ApiKeyStore::hashKey("k");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("63 digits") << good.chopped(1);
    QTest::newRow("65 digits") << QByteArray(good + '0');
    QTest::newRow("non-hex g") << QByteArray(good.chopped(1) + 'g');
    QTest::newRow("0x prefix") << QByteArray("0x" + good.chopped(2));
    QTest::newRow("inner space") << QByteArray(good.left(32) + ' ' + good.mid(33));
    QTest::newRow("trailing newline") << QByteArray(good.chopped(1) + '\n');
    QTest::newRow("base64 of digest")
        << QCryptographicHash::hash("k", QCryptographicHash::Sha256).toBase64();
    QTest::newRow("plaintext key") << QByteArray("k");
}

void tst_Auth::apiKeyMalformedHash()
{
    QFETCH(QByteArray, hex);

    ApiKeyStore store;
    QVERIFY(!store.addKeyHash(hex, u"user"_s, u"viewer"_s));
    QCOMPARE(store.size(), 0);
    QVERIFY(!store.lookup("k").has_value());
}

void tst_Auth::apiKeyRejectsDuplicatesAndEmpties()
{
    ApiKeyStore store;
    QVERIFY(store.addKey("key", u"first"_s, u"viewer"_s));
    QVERIFY(!store.addKey("key", u"second"_s, u"admin"_s));
    QVERIFY(!store.addKeyHash(ApiKeyStore::hashKey("key"), u"second"_s, u"admin"_s));
    QVERIFY(!store.addKey("", u"anyone"_s, u"admin"_s));
    QVERIFY(!store.addKey("other", QString(), u"admin"_s));
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.lookup("key")->user, u"first"_s);
    // An empty role is allowed: the server applies its default.
    QVERIFY(store.addKey("norole", u"nobody"_s, QString()));
    QVERIFY(store.lookup("norole")->role.isEmpty());
    store.clear();
    QVERIFY(store.isEmpty());
    QVERIFY(!store.lookup("key").has_value());
}

void tst_Auth::hashKeyKnownVector()
{
    QCOMPARE(ApiKeyStore::hashKey("abc"),
             QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(ApiKeyStore::hashKey(""),
             QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void tst_Auth::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    const QByteArray digest = QCryptographicHash::hash("x", QCryptographicHash::Sha256);
    QByteArray firstDiffers = digest;
    firstDiffers[0] = char(firstDiffers[0] ^ 0x01);
    QByteArray lastDiffers = digest;
    lastDiffers[31] = char(lastDiffers[31] ^ 0x80);

    QTest::newRow("equal digests") << digest << digest << true;
    QTest::newRow("first byte differs") << digest << firstDiffers << false;
    QTest::newRow("last byte differs") << digest << lastDiffers << false;
    QTest::newRow("prefix") << digest << digest.left(31) << false;
    QTest::newRow("longer") << digest.left(31) << digest << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("one empty") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("embedded NULs equal") << QByteArray("a\0b", 3) << QByteArray("a\0b", 3) << true;
    QTest::newRow("embedded NULs differ") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
    QTest::newRow("high bytes") << QByteArray("\xff\x80") << QByteArray("\xff\x80") << true;
}

void tst_Auth::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);

    QCOMPARE(QuantPush::constantTimeEquals(a, b), equal);
    QCOMPARE(QuantPush::constantTimeEquals(b, a), equal);
}

void tst_Auth::randomSecret_data()
{
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("bytes");

    QTest::newRow("default") << -1 << 32;
    QTest::newRow("64 bytes") << 64 << 64;
    QTest::newRow("33 bytes") << 33 << 33;
    QTest::newRow("too short is raised") << 8 << 32;
    QTest::newRow("zero is raised") << 0 << 32;
}

void tst_Auth::randomSecret()
{
    QFETCH(int, requested);
    QFETCH(int, bytes);

    const auto generate = [requested] {
        return requested < 0 ? SecretGenerator::randomSecret()
                             : SecretGenerator::randomSecret(requested);
    };
    const QByteArray secret = generate();
    const auto decoded = QByteArray::fromBase64Encoding(
        secret, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                    | QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(decoded.decoded.size(), bytes);
    QVERIFY(!secret.contains('='));
    QVERIFY(secret != generate());
    // A generated secret must work end to end.
    const QByteArray token = JwtSigner::sign(baseClaims(), secret);
    QVERIFY(JwtVerifier(secret).verify(token, Now).ok());
}

void tst_Auth::identityDefaults()
{
    const Identity identity;
    QCOMPARE(identity.method, Identity::Method::Anonymous);
    QVERIFY(identity.user.isEmpty());
    QVERIFY(!identity.accounts.has_value());
    QVERIFY(!identity.channels.has_value());
    QVERIFY(!identity.expiresAt.isValid());
}

QTEST_GUILESS_MAIN(tst_Auth)
#include "tst_auth.moc"
