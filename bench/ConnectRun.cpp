#include "ConnectRun.h"

#include "BenchUtil.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtWebSockets/QWebSocket>

#include <memory>

using namespace Qt::Literals::StringLiterals;

ConnectRun::ConnectRun(const Options &options, QObject *parent)
    : QObject(parent), m_options(options)
{
}

void ConnectRun::start()
{
    m_serverRssBeforeKb = Bench::rssKb(m_options.serverPid);
    m_serverCpuBefore = Bench::cpuSeconds(m_options.serverPid);
    m_benchCpuBefore = Bench::cpuSeconds(QCoreApplication::applicationPid());
    m_clock.start();
    openMore();
}

void ConnectRun::openMore()
{
    while (m_opened < m_options.clients && m_opened - m_subscribed - m_failed < m_options.concurrency) {
        ++m_opened;
        auto subscribed = std::make_shared<bool>(false);
        QWebSocket *socket = Bench::openSubscriber(this, m_options.url, m_options.channel, [this, subscribed] {
            *subscribed = true;
            ++m_subscribed;
            settled();
        }, [](const QString &) {});
        // A connection refused or closed before it subscribed (e.g. 1013 at the limit).
        connect(socket, &QWebSocket::disconnected, this, [this, subscribed] {
            if (!*subscribed) {
                *subscribed = true;
                ++m_failed;
                settled();
            }
        });
    }
}

void ConnectRun::settled()
{
    if (m_subscribed + m_failed < m_options.clients) {
        openMore();
        return;
    }
    m_elapsedMs = m_clock.elapsed();
    m_serverCpu = Bench::cpuSeconds(m_options.serverPid) - m_serverCpuBefore;
    m_benchCpu = Bench::cpuSeconds(QCoreApplication::applicationPid()) - m_benchCpuBefore;
    QTimer::singleShot(m_options.settleMs, this, &ConnectRun::report);
}

void ConnectRun::report()
{
    const long rssAfter = Bench::rssKb(m_options.serverPid);
    const double perConnKiB = m_subscribed > 0 && m_options.serverPid > 0
        ? double(rssAfter - m_serverRssBeforeKb) / double(m_subscribed)
        : 0.0;
    Q_EMIT finished(u"mode=connect clients=%1 subscribed=%2 failed=%3 seconds=%4 connects_per_s=%5 "
                    "server_cpu_s=%6 server_rss_before_kb=%7 server_rss_after_kb=%8 rss_per_conn_KiB=%9 bench_cpu_s=%10"_s
                        .arg(m_options.clients).arg(m_subscribed).arg(m_failed)
                        .arg(double(m_elapsedMs) / 1000.0, 0, 'f', 3)
                        .arg(m_elapsedMs > 0 ? double(m_subscribed) * 1000.0 / double(m_elapsedMs) : 0.0, 0, 'f', 0)
                        .arg(m_serverCpu, 0, 'f', 2).arg(m_serverRssBeforeKb).arg(rssAfter)
                        .arg(perConnKiB, 0, 'f', 2).arg(m_benchCpu, 0, 'f', 2));
}
