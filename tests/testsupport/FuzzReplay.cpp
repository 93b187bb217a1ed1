#include "FuzzReplay.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void FuzzReplay::replay_data()
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
    // An emptied or moved corpus must fail, not pass with nothing replayed.
    QVERIFY2(rows >= QUANTPUSH_FUZZ_MIN_INPUTS, qPrintable(QStringLiteral("only %1 inputs").arg(rows)));
}

void FuzzReplay::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size())), 0);
}
