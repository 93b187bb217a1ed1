#include "ServerProcess.h"

#include "TestServer.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

int startServerProcess(QProcess &process, const QString &binary, const QStringList &arguments, int timeoutMs,
                       QByteArray *output)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList withWorkers = arguments;
    if (!arguments.contains(u"--worker-threads"_s))
        withWorkers << u"--worker-threads"_s << QString::number(testWorkerThreads());
    process.start(binary, withWorkers);
    if (!process.waitForStarted(timeoutMs))
        return -1;
    static const QRegularExpression listening(u"listening on ws://127\\.0\\.0\\.1:(\\d+)/ws"_s);
    QByteArray printed;
    int port = -1;
    (void)QTest::qWaitFor([&] {
        printed += process.readAll();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(printed));
        if (match.hasMatch())
            port = match.captured(1).toInt();
        return port > 0 || process.state() == QProcess::NotRunning;
    }, timeoutMs);
    if (output)
        output->append(printed);
    return port;
}

} // namespace QuantPush::Testing
