#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QUrl>

// Connection set-up and memory: opens `clients` subscribers as fast as the
// server takes them (at most `concurrency` handshakes in flight), reports
// connects/s from the first open to the last `subscribed`, then, with the
// server's pid, the growth of its RSS per idle subscribed connection.
class ConnectRun : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl url;
        QString channel = QStringLiteral("strategy_status");
        int clients = 10000;
        int concurrency = 256;
        qint64 serverPid = 0;
        int settleMs = 2000; // idle time before the RSS reading
    };

    explicit ConnectRun(const Options &options, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const QString &report);

private:
    void openMore();
    void settled(); // one more client subscribed or failed
    void report();

    Options m_options;
    QElapsedTimer m_clock;
    int m_opened = 0;
    int m_subscribed = 0;
    int m_failed = 0;
    long m_serverRssBeforeKb = 0;
    double m_serverCpuBefore = 0;
    qint64 m_elapsedMs = 0;
    double m_serverCpu = 0;
    // The generator's own CPU: on two shared cores it may be what limits connects/s.
    double m_benchCpuBefore = 0;
    double m_benchCpu = 0;
};
