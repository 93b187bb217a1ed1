#include "protocol/Filter.h"
#include "protocol/Requests.h"

#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test data: %s", text);
    return document.object();
}

const char *const Tick = R"({"symbol":"BTCUSDT","price":150.5,"qty":3,"side":"buy","active":true,
    "venue":{"name":"binance","region":{"code":"ap"}},"tags":null})";

} // namespace

class tst_Filter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data();
    void matches();
    void malformed_data();
    void malformed();
    void limits();
    void malformedFilterIsBadRequestAtSubscribe();
};

void tst_Filter::matches_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("expected");

    auto row = [](const char *name, const char *filter, bool expected) {
        QTest::newRow(name) << QString::fromUtf8(filter) << expected;
    };
    row("empty matches everything", "{}", true);
    row("scalar equal", R"({"symbol":"BTCUSDT"})", true);
    row("scalar not equal", R"({"symbol":"ETHUSDT"})", false);
    row("number equal int vs double", R"({"qty":3.0})", true);
    row("bool equal", R"({"active":true})", true);
    row("null equal", R"({"tags":null})", true);
    row("array any of", R"({"symbol":["ETHUSDT","BTCUSDT"]})", true);
    row("array none of", R"({"symbol":["ETHUSDT","SOLUSDT"]})", false);
    row("eq", R"({"side":{"eq":"buy"}})", true);
    row("eq miss", R"({"side":{"eq":"sell"}})", false);
    row("ne", R"({"side":{"ne":"sell"}})", true);
    row("ne miss", R"({"side":{"ne":"buy"}})", false);
    row("ne absent field matches", R"({"missing":{"ne":"x"}})", true);
    row("in", R"({"symbol":{"in":["BTCUSDT"]}})", true);
    row("in empty list", R"({"symbol":{"in":[]}})", false);
    row("nin", R"({"symbol":{"nin":["ETHUSDT"]}})", true);
    row("nin miss", R"({"symbol":{"nin":["BTCUSDT"]}})", false);
    row("nin absent field matches", R"({"missing":{"nin":["x"]}})", true);
    row("gt", R"({"price":{"gt":150}})", true);
    row("gt equal is false", R"({"price":{"gt":150.5}})", false);
    row("gte equal", R"({"price":{"gte":150.5}})", true);
    row("lt", R"({"price":{"lt":151}})", true);
    row("lt miss", R"({"price":{"lt":150}})", false);
    row("lte equal", R"({"price":{"lte":150.5}})", true);
    row("range both ends", R"({"price":{"gte":100,"lt":200}})", true);
    row("range outside", R"({"price":{"gte":200,"lt":300}})", false);
    row("gt string compare", R"({"symbol":{"gt":"A"}})", true);
    row("gt on different kinds is false", R"({"symbol":{"gt":5}})", false);
    row("prefix", R"({"symbol":{"prefix":"BTC"}})", true);
    row("prefix miss", R"({"symbol":{"prefix":"ETH"}})", false);
    row("prefix on number is false", R"({"price":{"prefix":"1"}})", false);
    row("exists true", R"({"symbol":{"exists":true}})", true);
    row("exists true absent", R"({"missing":{"exists":true}})", false);
    row("exists false absent", R"({"missing":{"exists":false}})", true);
    row("exists false present", R"({"symbol":{"exists":false}})", false);
    row("exists with null value", R"({"tags":{"exists":true}})", true);
    row("dotted name", R"({"venue.name":"binance"})", true);
    row("dotted deeper", R"({"venue.region.code":"ap"})", true);
    row("dotted miss", R"({"venue.region.code":"eu"})", false);
    row("dotted through a scalar", R"({"symbol.x":"a"})", false);
    row("dotted absent", R"({"venue.city":"x"})", false);
    row("dotted absent exists false", R"({"venue.city":{"exists":false}})", true);
    row("absent field scalar", R"({"missing":"x"})", false);
    row("absent field gt", R"({"missing":{"gt":1}})", false);
    row("absent field in", R"({"missing":{"in":["x"]}})", false);
    row("absent field prefix", R"({"missing":{"prefix":"x"}})", false);
    row("all keys must hold", R"({"symbol":"BTCUSDT","side":"sell"})", false);
    row("all keys hold", R"({"symbol":"BTCUSDT","side":"buy","price":{"gt":1}})", true);
    // Lists of 8 or more are hashed (FilterValueIndex): the same answers.
    row("long in", R"({"symbol":{"in":["A","B","C","D","E","F","G","BTCUSDT","H"]}})", true);
    row("long in miss", R"({"symbol":{"in":["A","B","C","D","E","F","G","H","BTCUSDX"]}})", false);
    row("long array shorthand", R"({"symbol":["A","B","C","D","E","F","G","BTCUSDT"]})", true);
    row("long in number as double", R"({"qty":{"in":[1,2,4,5,6,7,8,3.0]}})", true);
    row("long in number miss", R"({"qty":{"in":[1,2,4,5,6,7,8,3.5,"3"]}})", false);
    row("long in price", R"({"price":{"in":[1,2,4,5,6,7,8,150.5]}})", true);
    row("long in bool", R"({"active":{"in":[1,2,4,5,6,7,8,"true",true]}})", true);
    row("long in bool miss", R"({"active":{"in":[1,2,4,5,6,7,8,"true",false,null]}})", false);
    row("long in null", R"({"tags":{"in":[1,2,4,5,6,7,8,false,null]}})", true);
    row("long in on an object is false", R"({"venue":{"in":[1,2,4,5,6,7,8,"binance",null]}})", false);
    row("long nin", R"({"symbol":{"nin":["A","B","C","D","E","F","G","H"]}})", true);
    row("long nin miss", R"({"symbol":{"nin":["A","B","C","D","E","F","G","BTCUSDT"]}})", false);
    row("long nin absent field matches", R"({"missing":{"nin":["A","B","C","D","E","F","G","H"]}})", true);
    row("long in absent field", R"({"missing":{"in":["A","B","C","D","E","F","G","H"]}})", false);
}

void tst_Filter::matches()
{
    QFETCH(QString, filter);
    QFETCH(bool, expected);
    QString error;
    const std::optional<Filter> parsed = Filter::parse(json(filter.toUtf8().constData()), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->matches(json(Tick)), expected);
}

void tst_Filter::malformed_data()
{
    QTest::addColumn<QString>("filters"); // the whole "filters" value, as JSON text
    QTest::addColumn<QString>("errorContains");

    auto row = [](const char *name, const char *filter, const char *error) {
        QTest::newRow(name) << QString::fromUtf8(filter) << QString::fromUtf8(error);
    };
    row("not an object", R"(["symbol"])", "must be an object");
    row("string", R"("BTCUSDT")", "must be an object");
    row("unknown operator", R"({"price":{"between":[1,2]}})", "unknown operator \"between\"");
    row("empty operator object", R"({"price":{}})", "empty operator object");
    row("eq with array", R"({"price":{"eq":[1]}})", "eq/ne need a scalar");
    row("ne with object", R"({"price":{"ne":{"a":1}}})", "eq/ne need a scalar");
    row("in with scalar", R"({"symbol":{"in":"BTC"}})", "in/nin need an array");
    row("nin with object", R"({"symbol":{"nin":{}}})", "in/nin need an array");
    row("in with nested array", R"({"symbol":{"in":[["a"]]}})", "values must be scalars");
    row("array shorthand nested", R"({"symbol":[{"a":1}]})", "values must be scalars");
    row("gt with bool", R"({"price":{"gt":true}})", "need a number or a string");
    row("lte with null", R"({"price":{"lte":null}})", "need a number or a string");
    row("prefix with number", R"({"symbol":{"prefix":5}})", "prefix needs a string");
    row("exists with string", R"({"symbol":{"exists":"yes"}})", "exists needs true or false");
    row("empty path segment", R"({"venue..name":"x"})", "empty segment");
    row("leading dot", R"({".name":"x"})", "empty segment");
    row("empty field name", R"({"":"x"})", "empty segment");
}

void tst_Filter::malformed()
{
    QFETCH(QString, filters);
    QFETCH(QString, errorContains);
    const QJsonValue value = QJsonDocument::fromJson(u"{\"f\":%1}"_s.arg(filters).toUtf8()).object().value("f"_L1);
    QString error;
    QVERIFY(!Filter::parse(value, &error));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
}

void tst_Filter::limits()
{
    QString error;
    const FilterLimits limits {2, 3};
    QVERIFY(Filter::parse(json(R"({"a":1,"b":{"gt":1}})"), &error, limits));
    QVERIFY(!Filter::parse(json(R"({"a":1,"b":{"gt":1,"lt":5}})"), &error, limits));
    QVERIFY2(error.contains(u"more than 2 conditions"_s), qPrintable(error));
    QVERIFY(!Filter::parse(json(R"({"a":[1,2,3,4]})"), &error, limits));
    QVERIFY2(error.contains(u"more than 3 values"_s), qPrintable(error));
}

void tst_Filter::malformedFilterIsBadRequestAtSubscribe()
{
    const auto parsed = parseSubscribeRequest(json(R"({"type":"market_data","filters":{"price":{"approx":1}}})"),
                                              FilterLimits {});
    const auto *error = std::get_if<ProtocolError>(&parsed);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::BadRequest);
    QVERIFY(error->message.contains(u"unknown operator"_s));
}

QTEST_GUILESS_MAIN(tst_Filter)
#include "tst_filter.moc"
