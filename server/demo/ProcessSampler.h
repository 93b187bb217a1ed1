#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QtGlobal>

#include <array>

namespace QuantPush {

// Reads this process's resource usage from /proc (Linux). Self-contained
// (QtCore only) so the server's metrics can reuse it. Reading /proc never
// blocks on I/O: the kernel synthesises the files in memory. On a system
// without /proc every field stays at its "unknown" value (0, or -1 for counts).
class ProcessSampler
{
public:
    struct Sample
    {
        double cpuPercent = 0;       // of one core, since the previous sample (or construction)
        double cpuSecondsTotal = 0;  // user + system time since the process started
        qint64 rssBytes = 0;
        int threads = -1;
        int openFds = -1;
        std::array<double, 3> loadAverage {}; // 1, 5 and 15 minutes
    };

    ProcessSampler();

    Sample sample();

private:
    // CPU time in clock ticks (utime + stime), or -1 when unreadable.
    static qint64 readCpuTicks(int *threads);
    static qint64 readRssBytes();
    static int countOpenFds();
    static std::array<double, 3> readLoadAverage();

    double cpuPercentSince(qint64 cpuTicks);

    QElapsedTimer m_clock;
    qint64 m_lastCpuTicks = -1;
    qint64 m_lastElapsedNs = 0;
};

} // namespace QuantPush
