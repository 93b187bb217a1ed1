// Runs the frame parser's fuzz function over the committed seed corpus and
// every input a fuzzing run ever crashed on (regressions/), in the normal
// build, with any compiler. A violated invariant aborts, failing this test.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

class tst_FuzzWsFrameReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void tst_FuzzWsFrameReplay::replay_data()
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
    QVERIFY(rows >= 10);
}

void tst_FuzzWsFrameReplay::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size())), 0);
}

QTEST_MAIN(tst_FuzzWsFrameReplay)
#include "tst_fuzz_wsframe_replay.moc"
