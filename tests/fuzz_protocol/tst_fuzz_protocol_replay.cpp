// The protocol fuzz target's replay (FuzzReplay: the committed seed corpus
// and every input a fuzzing run ever crashed on, regressions/), and the
// regressions that fuzzing found, spelled out.
#include "FuzzReplay.h"

#include "protocol/Message.h"
#include "protocol/Requests.h"

#include <QtTest/QTest>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

class tst_FuzzProtocolReplay : public FuzzReplay
{
    Q_OBJECT

private Q_SLOTS:
    void hugeNumbersAreRefusedCleanly_data();
    void hugeNumbersAreRefusedCleanly();
};

// Regression: numbers beyond qint64 in "id", "since", "seq" and "priority"
// were converted with qint64(double), undefined behaviour that UBSan flagged
// (float-cast-overflow) in the first fuzzing run.
void tst_FuzzProtocolReplay::hugeNumbersAreRefusedCleanly_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expectedError"); // empty: decodes
    for (const char *number : {"1e300", "-1e300", "9.3e18", "-9.3e18", "1.8446744073709552e19"}) {
        const QByteArray n(number);
        QTest::addRow("id %s", number) << QByteArray(R"({"type":"ping","id":)" + n + "}") << u"bad_request"_s;
        QTest::addRow("since %s", number)
            << QByteArray(R"({"type":"subscribe","data":{"type":"market_data","since":)" + n + "}}") << u"subscribe"_s;
        QTest::addRow("ack seq %s", number)
            << QByteArray(R"({"type":"ack","data":{"channel":"order_updates","seq":)" + n + "}}") << u"ack"_s;
        QTest::addRow("priority %s", number)
            << QByteArray(R"({"type":"publish","data":{"type":"risk_alerts","payload":{},"priority":)" + n + "}}")
            << u"publish"_s;
    }
}

void tst_FuzzProtocolReplay::hugeNumbersAreRefusedCleanly()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expectedError);
    const DecodeResult decoded = Message::unserialize(frame);
    if (expectedError == u"bad_request"_s) {
        const auto *failure = std::get_if<DecodeFailure>(&decoded);
        QVERIFY(failure);
        QCOMPARE(failure->error.code, ErrorCode::BadRequest);
        return;
    }
    const auto *message = std::get_if<Message>(&decoded);
    QVERIFY(message);
    const FilterLimits limits;
    if (expectedError == u"subscribe"_s)
        QVERIFY(std::holds_alternative<ProtocolError>(parseSubscribeRequest(message->data(), limits)));
    else if (expectedError == u"ack"_s)
        QVERIFY(std::holds_alternative<ProtocolError>(parseAckRequest(message->data())));
    else
        QVERIFY(std::holds_alternative<ProtocolError>(parsePublishRequest(message->data(), limits)));
}

QTEST_GUILESS_MAIN(tst_FuzzProtocolReplay)
#include "tst_fuzz_protocol_replay.moc"
