// AccessLog (issue 12, item 4): access lines are queued by the message
// handler and written by a thread of its own in batches, on a short timer and
// at destruction; a full queue drops lines and says how many.
#include "AccessLog.h"
#include "Logging.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

// Everything the access log passes on, as the handler it replaced sees it.
QStringList g_passedOn;

void capturingHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_passedOn.append(message);
}

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

constexpr int OneHourMs = 3600 * 1000;

} // namespace

class tst_AccessLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void linesArriveOnTheTimer();
    void shutdownWritesTheLastBatch();
    void fullQueueDropsAndCounts();
    void unopenableFileNamesTheKey();

private:
    QTemporaryDir m_dir;
    QString m_path;
    QtMessageHandler m_original = nullptr;
};

void tst_AccessLog::init()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(u"%1.log"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    g_passedOn.clear();
    m_original = qInstallMessageHandler(capturingHandler);
}

void tst_AccessLog::cleanup()
{
    qInstallMessageHandler(m_original);
}

void tst_AccessLog::linesArriveOnTheTimer()
{
    AccessLog log(20);
    QString error;
    QVERIFY2(log.open(m_path, &error), qPrintable(error));
    qCInfo(lcAccess).noquote() << "connect 127.0.0.1:5000 session 1 origin -";
    qCInfo(lcServer).noquote() << "not an access line";
    qCWarning(lcAccess).noquote() << "auth failed 127.0.0.1:5000 session 1";
    QTRY_VERIFY_WITH_TIMEOUT(contents(m_path).contains(" warning auth failed 127.0.0.1:5000 session 1\n"), 10000);
    const QByteArray written = contents(m_path);
    QVERIFY2(written.contains(" info connect 127.0.0.1:5000 session 1 origin -\n"), written.constData());
    QVERIFY(written.indexOf("connect 127.0.0.1") < written.indexOf("auth failed"));
    QVERIFY(!written.contains("not an access line"));
    // Every message still reaches the handler that was there before.
    QCOMPARE(g_passedOn.size(), 3);
    QCOMPARE(g_passedOn.at(1), u"not an access line"_s);
    QCOMPARE(log.droppedLines(), quint64(0));
}

void tst_AccessLog::shutdownWritesTheLastBatch()
{
    auto log = std::make_unique<AccessLog>(OneHourMs);
    QString error;
    QVERIFY2(log->open(m_path, &error), qPrintable(error));
    for (int i = 0; i < 1000; ++i)
        qCInfo(lcAccess).noquote() << "disconnect session" << i;
    // Queued, not written line by line: nothing is due for an hour.
    QTest::qWait(50);
    QCOMPARE(contents(m_path).size(), 0);
    log.reset();
    const QList<QByteArray> lines = contents(m_path).split('\n');
    QCOMPARE(lines.size(), 1001); // the last line ends with '\n' too
    for (int i = 0; i < 1000; ++i)
        QVERIFY2(lines.at(i).endsWith(QByteArray(" info disconnect session " + QByteArray::number(i))), lines.at(i).constData());
    // The handler is gone with the log: later lines go only where they went before.
    qCInfo(lcAccess).noquote() << "after";
    QCOMPARE(contents(m_path).count('\n'), 1000);
    QCOMPARE(g_passedOn.last(), u"after"_s);
}

void tst_AccessLog::fullQueueDropsAndCounts()
{
    constexpr int Lines = 1000;
    constexpr qsizetype Bound = 10000;
    auto log = std::make_unique<AccessLog>(OneHourMs, Bound);
    QString error;
    QVERIFY2(log->open(m_path, &error), qPrintable(error));
    for (int i = 0; i < Lines; ++i)
        qCInfo(lcAccess).noquote() << "connect 127.0.0.1:5000 session" << i << "origin -";
    const quint64 dropped = log->droppedLines();
    QVERIFY(dropped > 0);
    QVERIFY(dropped < quint64(Lines));
    log.reset();
    const QByteArray written = contents(m_path);
    QVERIFY(written.size() <= Bound + 200); // the kept lines and the notice
    const int kept = int(written.count(" info connect "));
    QCOMPARE(quint64(kept) + dropped, quint64(Lines));
    // The first lines are kept, the rest dropped: the log stays in order.
    QVERIFY(written.contains(" session 0 origin -\n"));
    QVERIFY(written.contains(QByteArray(" session " + QByteArray::number(kept - 1) + " origin -\n")));
    QVERIFY(!written.contains(QByteArray(" session " + QByteArray::number(kept) + " origin -\n")));
    const QByteArray notice = QByteArray::number(dropped) + " access-log lines dropped";
    QVERIFY2(written.contains(QByteArray(" warning " + notice)), written.right(300).constData());
    // Dropped from the file only: every line still went to the previous handler, and the notice too.
    QCOMPARE(g_passedOn.size(), Lines + 1);
    QVERIFY(g_passedOn.last().startsWith(QString::fromLatin1(notice)));
}

void tst_AccessLog::unopenableFileNamesTheKey()
{
    AccessLog log;
    QString error;
    QVERIFY(!log.open(m_dir.filePath(u"no/such/dir/access.log"_s), &error));
    QVERIFY2(error.startsWith(u"logging.access_log_file: cannot open "_s), qPrintable(error));
    QVERIFY(!log.isOpen());
    qCInfo(lcAccess).noquote() << "still logged";
    QCOMPARE(g_passedOn.last(), u"still logged"_s);
}

QTEST_GUILESS_MAIN(tst_AccessLog)
#include "tst_accesslog.moc"
