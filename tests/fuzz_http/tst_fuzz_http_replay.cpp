// Runs the HTTP head fuzz target's function over its committed seed corpus
// in the normal build, with any compiler: a violated invariant aborts.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

class tst_FuzzHttpReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replay_data();
    void replay();
};

void tst_FuzzHttpReplay::replay_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(QUANTPUSH_FUZZ_CORPUS));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        QTest::addRow("%s", qPrintable(name)) << dir.filePath(name);
    QVERIFY(dir.entryList(QDir::Files).size() >= 5);
}

void tst_FuzzHttpReplay::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size())), 0);
}

QTEST_GUILESS_MAIN(tst_FuzzHttpReplay)
#include "tst_fuzz_http_replay.moc"
