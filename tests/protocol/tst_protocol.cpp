#include "protocol/JsonKeys.h"
#include "protocol/Message.h"
#include "protocol/Requests.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

class tst_Protocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wireNamesRoundTrip();
    void pushTypes();
    void encodePush();
    void decodeValid_data();
    void decodeValid();
    void decodeInvalid_data();
    void decodeInvalid();
    void nestingDepth();
    void requests_data();
    void requests();
};

void tst_Protocol::wireNamesRoundTrip()
{
    for (SubscriptionType channel : allSubscriptionTypes())
        QCOMPARE(subscriptionTypeFromWire(wireName(channel)), channel);
    for (int i = 0; i <= int(MessageType::PerformanceMetrics); ++i)
        QCOMPARE(messageTypeFromWire(wireName(MessageType(i))), MessageType(i));
    for (int i = 0; i <= int(ErrorCode::Internal); ++i)
        QCOMPARE(errorCodeFromWire(wireName(ErrorCode(i))), ErrorCode(i));
    for (int i = 0; i <= int(BroadcastStrategy::RateLimited); ++i)
        QCOMPARE(broadcastStrategyFromWire(wireName(BroadcastStrategy(i))), BroadcastStrategy(i));
    QCOMPARE(allSubscriptionTypes().size(), SubscriptionTypeCount);
    QVERIFY(!subscriptionTypeFromWire(u"trading_signal"_s));
}

void tst_Protocol::pushTypes()
{
    QCOMPARE(wireName(pushTypeOf(SubscriptionType::TradingSignals)), u"trading_signal"_s);
    QCOMPARE(wireName(pushTypeOf(SubscriptionType::OrderUpdates)), u"order_update"_s);
    QCOMPARE(wireName(pushTypeOf(SubscriptionType::PerformanceMetrics)), u"performance_metrics"_s);
    QCOMPARE(httpStatusOf(ErrorCode::TooLarge), 413);
    QCOMPARE(httpStatusOf(ErrorCode::Forbidden), 403);
}

void tst_Protocol::encodePush()
{
    Message push = Message::push(SubscriptionType::MarketData, 42, 1700000000000001, QJsonObject {{u"symbol"_s, u"X"_s}});
    const QJsonObject json = QJsonDocument::fromJson(push.serialize()).object();
    QCOMPARE(json.value(Key::Type).toString(), u"market_data"_s);
    QCOMPARE(json.value(Key::Channel).toString(), u"market_data"_s);
    QCOMPARE(json.value(Key::Seq).toInteger(), 42);
    QCOMPARE(json.value(Key::Ts).toInteger(), 1700000000000001);
    QVERIFY(!json.contains(Key::Redelivered));
    push.setRedelivered(true);
    QVERIFY(QJsonDocument::fromJson(push.serialize()).object().value(Key::Redelivered).toBool());
    const Message error = Message::error(ProtocolError {ErrorCode::Forbidden, u"no"_s}, u"r1"_s);
    const QJsonObject errorJson = QJsonDocument::fromJson(error.serialize()).object();
    QCOMPARE(errorJson.value(Key::Id).toString(), u"r1"_s);
    QCOMPARE(errorJson.value(Key::Data).toObject().value(Key::Code).toString(), u"forbidden"_s);
}

void tst_Protocol::decodeValid_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("id");
    QTest::newRow("ping no data") << QByteArray(R"({"type":"ping"})") << int(MessageType::Ping) << QString();
    QTest::newRow("ping string data") << QByteArray(R"({"type":"ping","data":"x"})") << int(MessageType::Ping) << QString();
    QTest::newRow("string id") << QByteArray(R"({"type":"ping","id":"a-1"})") << int(MessageType::Ping) << u"a-1"_s;
    QTest::newRow("integer id") << QByteArray(R"({"type":"stats","id":7})") << int(MessageType::Stats) << u"7"_s;
    QTest::newRow("largest integer id") << QByteArray(R"({"type":"ping","id":9007199254740991})")
                                        << int(MessageType::Ping) << u"9007199254740991"_s;
    QTest::newRow("smallest integer id") << QByteArray(R"({"type":"ping","id":-9007199254740991})")
                                         << int(MessageType::Ping) << u"-9007199254740991"_s;
    QTest::newRow("whole number with an exponent") << QByteArray(R"({"type":"ping","id":1e3})")
                                                   << int(MessageType::Ping) << u"1000"_s;
    QTest::newRow("subscribe") << QByteArray(R"({"type":"subscribe","data":{"type":"market_data"}})")
                               << int(MessageType::Subscribe) << QString();
    QTest::newRow("array data") << QByteArray(R"({"type":"ack","data":[]})") << int(MessageType::Ack) << QString();
    QTest::newRow("unicode") << QByteArray(R"({"type":"ping","id":"订单"})") << int(MessageType::Ping) << u"订单"_s;
}

void tst_Protocol::decodeValid()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, type);
    QFETCH(QString, id);
    const DecodeResult result = Message::unserialize(frame);
    const Message *message = std::get_if<Message>(&result);
    QVERIFY(message);
    QCOMPARE(int(message->type()), type);
    if (!id.isEmpty())
        QCOMPARE(message->id().isString() ? message->id().toString() : QString::number(message->id().toInteger()), id);
}

void tst_Protocol::decodeInvalid_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messageContains");
    QTest::addColumn<QString>("echoedId");
    QTest::newRow("malformed JSON") << QByteArray("{\"type\":") << u"bad_request"_s << u"malformed JSON"_s << QString();
    QTest::newRow("empty") << QByteArray("") << u"bad_request"_s << u"malformed JSON"_s << QString();
    QTest::newRow("not JSON") << QByteArray("hello") << u"bad_request"_s << u"malformed JSON"_s << QString();
    QTest::newRow("array") << QByteArray("[1,2]") << u"bad_request"_s << u"JSON object"_s << QString();
    QTest::newRow("missing type") << QByteArray(R"({"id":"x1","data":{}})") << u"bad_request"_s << u"missing \"type\""_s << u"x1"_s;
    QTest::newRow("numeric type") << QByteArray(R"({"type":5,"id":"x2"})") << u"bad_request"_s << u"must be a string"_s << u"x2"_s;
    QTest::newRow("unknown type") << QByteArray(R"({"type":"hack","id":"x3"})") << u"unknown_type"_s << u"unknown type"_s << u"x3"_s;
    QTest::newRow("object id") << QByteArray(R"({"type":"ping","id":{}})") << u"bad_request"_s << u"\"id\""_s << QString();
    QTest::newRow("fractional id") << QByteArray(R"({"type":"ping","id":1.5})") << u"bad_request"_s << u"\"id\""_s << QString();
    QTest::newRow("id beyond 64 bits") << QByteArray(R"({"type":"ping","id":1e19})") << u"bad_request"_s << u"\"id\""_s << QString();
    // Doubles that happen to be whole: echoed they would not be what was sent.
    QTest::newRow("id just below 64 bits") << QByteArray(R"({"type":"ping","id":-9223372036854775809})")
                                           << u"bad_request"_s << u"\"id\""_s << QString();
    QTest::newRow("id with a point") << QByteArray(R"({"type":"ping","id":9007199254740993.0})") << u"bad_request"_s
                                     << u"\"id\""_s << QString();
    QTest::newRow("id past 2^53") << QByteArray(R"({"type":"ping","id":9007199254740992})") << u"bad_request"_s
                                  << u"\"id\""_s << QString();
    QTest::newRow("int64 id") << QByteArray(R"({"type":"ping","id":9223372036854775807})") << u"bad_request"_s
                              << u"\"id\""_s << QString();
    QTest::newRow("data scalar") << QByteArray(R"({"type":"subscribe","data":5})") << u"bad_request"_s << u"\"data\""_s << QString();
    QTest::newRow("too deep") << QByteArray(R"({"type":"ping","data":{"a":{"b":{"c":{}}}}})") << u"bad_request"_s
                              << u"nested deeper"_s << QString();
}

void tst_Protocol::decodeInvalid()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    QFETCH(QString, messageContains);
    QFETCH(QString, echoedId);
    const DecodeResult result = Message::unserialize(frame, DecodeLimits {4});
    const DecodeFailure *failure = std::get_if<DecodeFailure>(&result);
    QVERIFY(failure);
    QCOMPARE(wireName(failure->error.code), code);
    QVERIFY2(failure->error.message.contains(messageContains), qPrintable(failure->error.message));
    QCOMPARE(failure->id.toString(), echoedId);
}

void tst_Protocol::nestingDepth()
{
    // (moc's preprocessor cannot read raw strings inside macro arguments)
    const QByteArray braceInString = "{\"a\":\"{{{{[[[\"}";
    const QByteArray escapedQuote = "{\"a\":\"\\\"{{\"}";
    QCOMPARE(jsonNestingDepth(braceInString, 100), 1);
    QCOMPARE(jsonNestingDepth(escapedQuote, 100), 1);
    QCOMPARE(jsonNestingDepth("[[[]],[]]", 100), 3);
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    QCOMPARE(jsonNestingDepth(deep, 32), 33);
    const DecodeResult result = Message::unserialize(deep);
    QVERIFY(std::holds_alternative<DecodeFailure>(result));
}

void tst_Protocol::requests_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("errorContains"); // empty: valid
    auto row = [](const char *name, const char *type, const char *data, const char *error) {
        QTest::newRow(name) << QString::fromLatin1(type) << QByteArray(data) << QString::fromUtf8(error);
    };
    row("subscribe ok", "subscribe", R"({"type":"trading_signals","filters":{"symbol":"BTCUSDT"}})", "");
    row("subscribe since", "subscribe", R"({"type":"order_updates","since":12})", "");
    row("subscribe missing type", "subscribe", R"({"filters":{}})", "missing \"type\"");
    row("subscribe type not string", "subscribe", R"({"type":3})", "channel name string");
    row("subscribe unknown channel", "subscribe", R"({"type":"gossip"})", "unknown channel");
    row("subscribe since negative", "subscribe", R"({"type":"market_data","since":-1})", "non-negative integer");
    row("subscribe since string", "subscribe", R"({"type":"market_data","since":"5"})", "non-negative integer");
    row("subscribe filters array", "subscribe", R"({"type":"market_data","filters":[1]})", "must be an object");
    row("subscribe data array", "subscribe", R"([1])", "must be an object");
    row("unsubscribe by id", "unsubscribe", R"({"subscription_id":"sub-1"})", "");
    row("unsubscribe by type", "unsubscribe", R"({"type":"market_data"})", "");
    row("unsubscribe neither", "unsubscribe", R"({})", "give \"subscription_id\" or \"type\"");
    row("unsubscribe id number", "unsubscribe", R"({"subscription_id":4})", "non-empty string");
    row("ack ok", "ack", R"({"channel":"order_updates","seq":3})", "");
    row("ack zero seq", "ack", R"({"channel":"order_updates","seq":0})", "positive integer");
    row("ack missing channel", "ack", R"({"seq":3})", "missing \"channel\"");
    row("publish ok", "publish", R"({"type":"risk_alerts","payload":{"level":"warning"},"priority":9,"strategy":"immediate"})", "");
    row("publish payload missing", "publish", R"({"type":"risk_alerts"})", "\"payload\" must be an object");
    row("publish priority out of range", "publish", R"({"type":"risk_alerts","payload":{},"priority":10})", "0..9");
    row("publish bad strategy", "publish", R"({"type":"risk_alerts","payload":{},"strategy":"fast"})", "\"strategy\"");
    row("publish bad filters", "publish", R"({"type":"risk_alerts","payload":{},"filters":{"role":{"zz":1}}})", "unknown operator");
    row("auth token", "auth", R"({"token":"abc"})", "");
    row("auth nothing", "auth", R"({})", "give \"token\" or \"api_key\"");
    row("auth token number", "auth", R"({"token":5})", "must be a string");
    row("disconnect ok", "disconnect", R"({"connection_id":"4","reason":"bye"})", "");
    row("disconnect no id", "disconnect", R"({"reason":"bye"})", "connection_id");
}

namespace {

std::optional<ProtocolError> parseError(const QString &type, const QJsonValue &data)
{
    auto errorOf = [](const auto &parsed) -> std::optional<ProtocolError> {
        if (const auto *error = std::get_if<ProtocolError>(&parsed))
            return *error;
        return std::nullopt;
    };
    if (type == u"subscribe"_s)
        return errorOf(parseSubscribeRequest(data, FilterLimits {}));
    if (type == u"unsubscribe"_s)
        return errorOf(parseUnsubscribeRequest(data));
    if (type == u"ack"_s)
        return errorOf(parseAckRequest(data));
    if (type == u"publish"_s)
        return errorOf(parsePublishRequest(data, FilterLimits {}));
    if (type == u"auth"_s)
        return errorOf(parseAuthRequest(data));
    return errorOf(parseDisconnectRequest(data));
}

} // namespace

void tst_Protocol::requests()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, data);
    QFETCH(QString, errorContains);
    const QJsonDocument document = QJsonDocument::fromJson(data);
    const QJsonValue value = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    const std::optional<ProtocolError> error = parseError(type, value);
    if (errorContains.isEmpty()) {
        QVERIFY2(!error, error ? qPrintable(error->message) : "");
        return;
    }
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::BadRequest);
    QVERIFY2(error->message.contains(errorContains), qPrintable(error->message));
}

QTEST_GUILESS_MAIN(tst_Protocol)
#include "tst_protocol.moc"
