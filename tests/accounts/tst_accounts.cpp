// A trader whose token says `accounts: ["A1"]` receives order_update and
// position_update for A1 only, whatever filters it sends, live or replayed.
// Filters that name another account by value are refused as forbidden.

#include "WebSocketManager.h"
#include "auth/JwtSigner.h"
#include "config/ServerConfig.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#include <memory>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray Secret = QByteArrayLiteral("accounts-test-secret-3c5e7a9b1d2f4e6a8c0b2d4f6e8a0c2e");
const QString UnrestrictedKey = u"qp_accounts_test_unrestricted_key_0123456789"_s;
constexpr int WaitMs = 10000;

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Labelled payloads, published on the channel under test. Only 1 and 4 belong
// to A1; the others try every way of looking like it.
QList<QJsonObject> payloads()
{
    return {
        {{u"n"_s, 1}, {u"account"_s, u"A1"_s}, {u"symbol"_s, u"BTCUSDT"_s}},
        {{u"n"_s, 2}, {u"account"_s, u"B2"_s}, {u"symbol"_s, u"BTCUSDT"_s}},
        {{u"n"_s, 3}, {u"symbol"_s, u"ETHUSDT"_s}},
        {{u"n"_s, 4}, {u"account"_s, u"A1"_s}, {u"symbol"_s, u"ETHUSDT"_s}},
        {{u"n"_s, 5}, {u"account"_s, QJsonArray {u"A1"_s, u"B2"_s}}, {u"symbol"_s, u"BTCUSDT"_s}},
        {{u"n"_s, 6}, {u"account"_s, QJsonObject {{u"id"_s, u"A1"_s}}}},
        {{u"n"_s, 7}, {u"account"_s, u"a1"_s}},
        {{u"n"_s, 8}, {u"account"_s, u"A1 "_s}},
        {{u"n"_s, 9}, {u"account"_s, u"B2"_s}, {u"nested"_s, QJsonObject {{u"account"_s, u"A1"_s}}}},
        {{u"n"_s, 10}, {u"account"_s, QJsonValue::Null}},
        {{u"n"_s, 11}, {u"account"_s, 1}},
    };
}

class Client : public QObject
{
    Q_OBJECT
public:
    Client()
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject f = QJsonDocument::fromJson(text.toUtf8()).object();
            frames.append(f);
            const QString type = f.value(u"type"_s).toString();
            if (type == u"order_update"_s || type == u"position_update"_s) {
                pushes.append(f);
                socket.sendTextMessage(frame({{u"type"_s, u"ack"_s},
                                              {u"data"_s, QJsonObject {{u"channel"_s, f.value(u"channel"_s)},
                                                                       {u"seq"_s, f.value(u"seq"_s)}}}}));
            }
        });
    }
    std::optional<QJsonObject> reply(const QString &id) const
    {
        for (const QJsonObject &f : frames) {
            if (f.value(u"id"_s).toString() == id)
                return f;
        }
        return std::nullopt;
    }
    QList<int> labels() const
    {
        QList<int> list;
        for (const QJsonObject &push : pushes)
            list.append(push.value(u"data"_s).toObject().value(u"n"_s).toInt());
        return list;
    }

    QWebSocket socket;
    QList<QJsonObject> frames;
    QList<QJsonObject> pushes;
};

} // namespace

class tst_Accounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onlyOwnAccount_data();
    void onlyOwnAccount();
    void emptyAccountsClaimSeesNothing();
    void noAccountsClaimSeesEveryAccount();
    void cleanupTestCase();

private:
    QString token(const QJsonObject &extraClaims);
    // Publishes every payload on the channel; returns the last seq.
    qint64 publishAll(const QString &channel);
    // Connects, subscribes; the reply (subscribed or error).
    QJsonObject connectAndSubscribe(Client &client, const QNetworkRequest &request, const QString &channel,
                                    const QJsonValue &filters, std::optional<qint64> since);
    void sync(Client &client);

    std::unique_ptr<WebSocketManager> m_server;
};

QString tst_Accounts::token(const QJsonObject &extraClaims)
{
    QJsonObject claims {{u"sub"_s, u"trader-a1"_s}, {u"role"_s, u"trader"_s},
                        {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
    for (auto it = extraClaims.begin(); it != extraClaims.end(); ++it)
        claims.insert(it.key(), it.value());
    return QString::fromLatin1(JwtSigner::sign(claims, Secret));
}

void tst_Accounts::initTestCase()
{
    ServerConfig config = ServerConfig::defaults();
    config.websocket.host = u"127.0.0.1"_s;
    config.websocket.port = 0;
    config.websocket.authRequired = true;
    config.auth.jwtSecret = QString::fromLatin1(Secret);
    // A desk role that opts out of require_accounts (traders fail closed
    // without an accounts claim; tests/hostile checks that).
    config.roles.insert(u"desk"_s, RoleConfig {{u"*"_s}, false, false, false});
    config.auth.apiKeys = {ApiKeyConfig {UnrestrictedKey, {}, u"desk"_s, u"desk"_s}};
    m_server = std::make_unique<WebSocketManager>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

qint64 tst_Accounts::publishAll(const QString &channel)
{
    qint64 seq = 0;
    for (const QJsonObject &payload : payloads()) {
        seq = channel == u"order_updates"_s ? m_server->broadcastOrderUpdate(payload).seq
                                            : m_server->broadcastPositionUpdate(payload).seq;
    }
    return seq;
}

QJsonObject tst_Accounts::connectAndSubscribe(Client &client, const QNetworkRequest &request, const QString &channel,
                                              const QJsonValue &filters, std::optional<qint64> since)
{
    client.socket.open(request);
    QJsonObject data {{u"type"_s, channel}};
    if (!filters.isUndefined())
        data.insert(u"filters"_s, filters);
    if (since)
        data.insert(u"since"_s, *since);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(client.socket.state() == QAbstractSocket::ConnectedState, WaitMs); }();
    client.socket.sendTextMessage(frame({{u"type"_s, u"subscribe"_s}, {u"id"_s, u"sub"_s}, {u"data"_s, data}}));
    [&] { QTRY_VERIFY_WITH_TIMEOUT(client.reply(u"sub"_s).has_value(), WaitMs); }();
    return client.reply(u"sub"_s).value_or(QJsonObject());
}

// Pushes for messages published before this call are written before the pong.
void tst_Accounts::sync(Client &client)
{
    const QString id = u"sync-%1"_s.arg(client.frames.size());
    client.socket.sendTextMessage(frame({{u"type"_s, u"ping"_s}, {u"id"_s, id}}));
    QTRY_VERIFY_WITH_TIMEOUT(client.reply(id).has_value(), WaitMs);
}

void tst_Accounts::onlyOwnAccount_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QJsonValue>("filters");
    QTest::addColumn<bool>("resume");          // subscribe with since: replay, then live
    QTest::addColumn<QString>("error");        // expected error code, empty: subscribed
    QTest::addColumn<QList<int>>("expected");  // labels received, in order

    const QJsonValue none(QJsonValue::Undefined);
    const auto op = [](const QString &name, const QJsonValue &operand) {
        return QJsonObject {{u"account"_s, QJsonObject {{name, operand}}}};
    };
    const QList<int> own {1, 4};
    const QList<int> nothing;
    for (const QString &channel : {u"order_updates"_s, u"position_updates"_s}) {
        const QByteArray c = channel.toLatin1();
        const auto row = [&](const char *name) { return &QTest::addRow("%s: %s", c.constData(), name); };
        *row("no filter") << channel << none << false << QString() << own;
        *row("empty filter") << channel << QJsonValue(QJsonObject()) << false << QString() << own;
        *row("account A1") << channel << QJsonValue(QJsonObject {{u"account"_s, u"A1"_s}}) << false << QString() << own;
        *row("account in [A1]") << channel << QJsonValue(op(u"in"_s, QJsonArray {u"A1"_s})) << false << QString() << own;
        *row("symbol BTCUSDT") << channel << QJsonValue(QJsonObject {{u"symbol"_s, u"BTCUSDT"_s}}) << false
                               << QString() << QList<int> {1};
        *row("account ne A1") << channel << QJsonValue(op(u"ne"_s, u"A1"_s)) << false << QString() << nothing;
        *row("account nin [A1]") << channel << QJsonValue(op(u"nin"_s, QJsonArray {u"A1"_s})) << false << QString()
                                 << nothing;
        *row("account prefix empty") << channel << QJsonValue(op(u"prefix"_s, u""_s)) << false << QString() << own;
        *row("account gte empty") << channel << QJsonValue(op(u"gte"_s, u""_s)) << false << QString() << own;
        *row("account exists false") << channel << QJsonValue(op(u"exists"_s, false)) << false << QString() << nothing;
        *row("account exists true") << channel << QJsonValue(op(u"exists"_s, true)) << false << QString() << own;
        *row("nested.account A1") << channel << QJsonValue(QJsonObject {{u"nested.account"_s, u"A1"_s}}) << false
                                  << QString() << nothing;
        *row("account.id A1") << channel << QJsonValue(QJsonObject {{u"account.id"_s, u"A1"_s}}) << false << QString()
                              << nothing;
        *row("resume, no filter") << channel << none << true << QString() << QList<int> {1, 4, 1, 4};
        *row("resume, account ne A1") << channel << QJsonValue(op(u"ne"_s, u"A1"_s)) << true << QString() << nothing;
        *row("resume, symbol ETHUSDT") << channel << QJsonValue(QJsonObject {{u"symbol"_s, u"ETHUSDT"_s}}) << true
                                       << QString() << QList<int> {4, 4};
        // Asking for another account by name is refused outright.
        *row("account B2") << channel << QJsonValue(QJsonObject {{u"account"_s, u"B2"_s}}) << false << u"forbidden"_s
                           << nothing;
        *row("account [A1, B2]") << channel << QJsonValue(QJsonObject {{u"account"_s, QJsonArray {u"A1"_s, u"B2"_s}}})
                                 << false << u"forbidden"_s << nothing;
        *row("account in [B2]") << channel << QJsonValue(op(u"in"_s, QJsonArray {u"B2"_s})) << false << u"forbidden"_s
                                << nothing;
        *row("account eq a1") << channel << QJsonValue(op(u"eq"_s, u"a1"_s)) << false << u"forbidden"_s << nothing;
        *row("account eq 1") << channel << QJsonValue(op(u"eq"_s, 1)) << false << u"forbidden"_s << nothing;
        *row("account eq null") << channel << QJsonValue(op(u"eq"_s, QJsonValue::Null)) << false << u"forbidden"_s
                                << nothing;
        *row("resume, account B2") << channel << QJsonValue(QJsonObject {{u"account"_s, u"B2"_s}}) << true
                                   << u"forbidden"_s << nothing;
    }
}

void tst_Accounts::onlyOwnAccount()
{
    QFETCH(QString, channel);
    QFETCH(QJsonValue, filters);
    QFETCH(bool, resume);
    QFETCH(QString, error);
    QFETCH(QList<int>, expected);

    // History first (for resume), then the subscription, then live traffic.
    const qint64 before = channel == u"order_updates"_s ? m_server->broadcastOrderUpdate({{u"n"_s, 0}}).seq
                                                         : m_server->broadcastPositionUpdate({{u"n"_s, 0}}).seq;
    publishAll(channel);

    Client client;
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->port())));
    request.setRawHeader("Authorization", "Bearer " + token({{u"accounts"_s, QJsonArray {u"A1"_s}}}).toLatin1());
    const QJsonObject reply =
        connectAndSubscribe(client, request, channel, filters, resume ? std::optional<qint64>(before) : std::nullopt);
    if (error.isEmpty()) {
        QCOMPARE(reply.value(u"type"_s).toString(), u"subscribed"_s);
    } else {
        QCOMPARE(reply.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(reply.value(u"data"_s).toObject().value(u"code"_s).toString(), error);
    }
    publishAll(channel);
    sync(client);

    for (const QJsonObject &push : std::as_const(client.pushes)) {
        QCOMPARE(push.value(u"channel"_s).toString(), channel);
        QCOMPARE(push.value(u"data"_s).toObject().value(u"account"_s), QJsonValue(u"A1"_s));
    }
    QCOMPARE(client.labels(), expected);
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState); // forbidden does not close
}

void tst_Accounts::emptyAccountsClaimSeesNothing()
{
    Client client;
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->port())));
    request.setRawHeader("Authorization", "Bearer " + token({{u"accounts"_s, QJsonArray()}}).toLatin1());
    const QJsonObject reply = connectAndSubscribe(client, request, u"order_updates"_s, {}, std::nullopt);
    QCOMPARE(reply.value(u"type"_s).toString(), u"subscribed"_s);
    publishAll(u"order_updates"_s);
    sync(client);
    QCOMPARE(client.labels(), QList<int>());
}

void tst_Accounts::noAccountsClaimSeesEveryAccount()
{
    // An API key (or a token without `accounts`) of a role without
    // require_accounts is not restricted.
    Client client;
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->port())));
    request.setRawHeader("X-API-Key", UnrestrictedKey.toLatin1());
    const QJsonObject reply = connectAndSubscribe(client, request, u"position_updates"_s,
                                                  QJsonObject {{u"account"_s, u"B2"_s}}, std::nullopt);
    QCOMPARE(reply.value(u"type"_s).toString(), u"subscribed"_s);
    publishAll(u"position_updates"_s);
    sync(client);
    QCOMPARE(client.labels(), (QList<int> {2, 9}));
}

void tst_Accounts::cleanupTestCase()
{
    m_server.reset();
}

QTEST_GUILESS_MAIN(tst_Accounts)
#include "tst_accounts.moc"
