// Runs the fuzz target's function over the committed seed corpus and every
// input a fuzzing run ever crashed on (regressions/), in the normal build,
// with any compiler. A violated invariant traps, which fails this test.
#include "protocol/Message.h"
#include "protocol/Requests.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

#include <cstdint>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

class tst_FuzzProtocolReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
    void hugeNumbersAreRefusedCleanly_data();
    void hugeNumbersAreRefusedCleanly();
};

void tst_FuzzProtocolReplay::replay_data()
{
    QTest::addColumn<QString>("path");
    int rows = 0;
    for (const QString &folder : {QStringLiteral(QUANTPUSH_FUZZ_CORPUS), QStringLiteral(QUANTPUSH_FUZZ_REGRESSIONS)}) {
        const QDir dir(folder);
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
            QTest::addRow("%s/%s", qPrintable(dir.dirName()), qPrintable(name)) << dir.filePath(name);
            ++rows;
        }
    }
    QVERIFY(rows > 10);
}

void tst_FuzzProtocolReplay::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size())), 0);
}

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
