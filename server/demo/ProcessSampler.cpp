#include "demo/ProcessSampler.h"

#include <QFile>
#include <QList>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

QByteArray readProcFile(const QString &path)
{
    QFile file(path);
    // /proc files report size 0, so read until EOF rather than by size.
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

long clockTicksPerSecond()
{
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    return ticks > 0 ? ticks : 100;
}

} // namespace

ProcessSampler::ProcessSampler()
{
    // The first sample() then reports the average since construction.
    m_clock.start();
    m_lastCpuTicks = readCpuTicks(nullptr);
}

ProcessSampler::Sample ProcessSampler::sample()
{
    Sample s;
    const qint64 cpuTicks = readCpuTicks(&s.threads);
    s.cpuPercent = cpuPercentSince(cpuTicks);
    s.cpuSecondsTotal = cpuTicks >= 0 ? double(cpuTicks) / double(clockTicksPerSecond()) : 0.0;
    s.rssBytes = readRssBytes();
    s.openFds = countOpenFds();
    s.loadAverage = readLoadAverage();
    if (accumulateRunQueueWait()) {
        s.cpuWaitSecondsTotal = double(m_waitNsTotal) / 1e9;
        const qint64 nowNs = m_clock.nsecsElapsed();
        if (m_lastWaitElapsedNs < 0) { // the first figure: the percentage's baseline
            m_lastWaitNsTotal = m_waitNsTotal;
            m_lastWaitElapsedNs = nowNs;
        } else if (nowNs - m_lastWaitElapsedNs >= MinWaitIntervalMs * 1000000) {
            s.cpuWaitPercent =
                100.0 * double(m_waitNsTotal - m_lastWaitNsTotal) / double(nowNs - m_lastWaitElapsedNs);
            m_lastWaitNsTotal = m_waitNsTotal;
            m_lastWaitElapsedNs = nowNs;
        }
    }
    return s;
}

double ProcessSampler::cpuPercentSince(qint64 cpuTicks)
{
    const qint64 nowNs = m_clock.nsecsElapsed();
    const qint64 elapsedNs = nowNs - m_lastElapsedNs;
    double percent = 0;
    if (cpuTicks >= 0 && m_lastCpuTicks >= 0 && elapsedNs > 0) {
        const double cpuSec = double(cpuTicks - m_lastCpuTicks) / double(clockTicksPerSecond());
        percent = qMax(0.0, 100.0 * cpuSec / (double(elapsedNs) / 1e9));
    }
    m_lastCpuTicks = cpuTicks;
    m_lastElapsedNs = nowNs;
    return percent;
}

qint64 ProcessSampler::readCpuTicks(int *threads)
{
    const QByteArray stat = readProcFile(u"/proc/self/stat"_s);
    // The command name (field 2) is in parentheses and may contain spaces, so
    // fields are counted from the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After ')': field 3 (state) is index 0, so field N is index N - 3.
    constexpr int UtimeIndex = 14 - 3;
    constexpr int StimeIndex = 15 - 3;
    constexpr int ThreadsIndex = 20 - 3;
    if (fields.size() <= ThreadsIndex)
        return -1;
    if (threads)
        *threads = fields.at(ThreadsIndex).toInt();
    return fields.at(UtimeIndex).toLongLong() + fields.at(StimeIndex).toLongLong();
}

qint64 ProcessSampler::readRssBytes()
{
    // statm: size resident shared text lib data dt, in pages.
    const QList<QByteArray> fields = readProcFile(u"/proc/self/statm"_s).split(' ');
    if (fields.size() < 2)
        return 0;
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return fields.at(1).toLongLong() * (pageSize > 0 ? pageSize : 4096);
}

int ProcessSampler::countOpenFds()
{
    // Linux 6.2 and later report a /proc/PID/fd directory's entry count as
    // its size: one stat instead of a listing, which with 10,000
    // connections walked 10,000 entries every second (3 % of the server's
    // CPU while clients connected, docs/benchmarks.md session 25). Older
    // kernels say 0 there, and get the listing.
    struct stat fdDir {};
    if (::stat("/proc/self/fd", &fdDir) == 0 && fdDir.st_size > 0)
        return int(fdDir.st_size);
    return countOpenFdsByListing();
}

int ProcessSampler::countOpenFdsByListing()
{
    // Counted with readdir rather than a QDir listing: with 20,000
    // connections a listing built 20,000 strings every sample (each second),
    // megabytes of short-lived heap at the server's largest.
    DIR *fdDir = ::opendir("/proc/self/fd");
    if (!fdDir)
        return -1;
    int entries = 0;
    while (const dirent *entry = ::readdir(fdDir)) {
        if (entry->d_name[0] != '.')
            ++entries;
    }
    ::closedir(fdDir);
    // Listing the directory opens one descriptor of its own, which is counted.
    return qMax(0, entries - 1);
}

bool ProcessSampler::accumulateRunQueueWait()
{
    // /proc/self/task/<tid>/schedstat: "<on-cpu ns> <run-queue wait ns>
    // <timeslices>". A handful of threads: one small read each per sample.
    DIR *tasks = ::opendir("/proc/self/task");
    if (!tasks)
        return false;
    bool any = false;
    QHash<int, quint64> seen;
    seen.reserve(m_waitNsByThread.size());
    while (const dirent *entry = ::readdir(tasks)) {
        if (entry->d_name[0] == '.')
            continue;
        const QList<QByteArray> fields =
            readProcFile(u"/proc/self/task/%1/schedstat"_s.arg(QString::fromLatin1(entry->d_name))).split(' ');
        bool ok = false;
        const quint64 waitNs = fields.size() >= 2 ? fields.at(1).toULongLong(&ok) : 0;
        if (!ok)
            continue;
        // A kernel that keeps no schedstat prints zeros: this thread, at
        // least, has run.
        if (fields.at(0).toULongLong() > 0)
            any = true;
        const int tid = int(std::strtol(entry->d_name, nullptr, 10));
        const quint64 before = m_waitNsByThread.value(tid, 0);
        if (waitNs > before)
            m_waitNsTotal += waitNs - before;
        seen.insert(tid, waitNs);
    }
    ::closedir(tasks);
    m_waitNsByThread = std::move(seen);
    return any;
}

std::array<double, 3> ProcessSampler::readLoadAverage()
{
    const QList<QByteArray> fields = readProcFile(u"/proc/loadavg"_s).split(' ');
    std::array<double, 3> load {};
    for (std::size_t i = 0; i < load.size() && qsizetype(i) < fields.size(); ++i)
        load[i] = fields.at(qsizetype(i)).toDouble();
    return load;
}

} // namespace QuantPush
