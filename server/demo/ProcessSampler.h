#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
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
        // Seconds this process's threads have been runnable but waiting for
        // a CPU (run-queue wait), summed, as of each thread's last sample: a
        // counter that never goes back when a thread ends (what it waited
        // after its last sample is not counted); -1 when the kernel does not
        // keep it (no /proc/<tid>/schedstat, or only zeros in it). High while
        // p99 is high: the host is oversubscribed, not the server slow.
        double cpuWaitSecondsTotal = -1;
        // The same over the interval since the previous figure, in percent
        // of wall time (summed over threads, so it may exceed 100); -1 when
        // unknown or when less than MinWaitIntervalMs passed (a wait is
        // added when its thread next runs: over a short interval one lump
        // would read as a huge rate).
        double cpuWaitPercent = -1;
    };

    static constexpr qint64 MinWaitIntervalMs = 200;

    ProcessSampler();

    Sample sample();

    // Descriptors open in this process: from /proc/self/fd's size where the
    // kernel reports it (6.2+), else by listing (countOpenFdsByListing).
    static int countOpenFds();
    static int countOpenFdsByListing();

private:
    // CPU time in clock ticks (utime + stime), or -1 when unreadable.
    static qint64 readCpuTicks(int *threads);
    static qint64 readRssBytes();
    static std::array<double, 3> readLoadAverage();
    // Adds what each thread waited since the previous call; false when
    // no thread's schedstat could be read.
    bool accumulateRunQueueWait();

    double cpuPercentSince(qint64 cpuTicks);

    QElapsedTimer m_clock;
    qint64 m_lastCpuTicks = -1;
    qint64 m_lastElapsedNs = 0;
    // Per thread id, its schedstat wait at the previous sample (ns): the
    // total only ever grows, also when a thread ends and its file goes.
    QHash<int, quint64> m_waitNsByThread;
    quint64 m_waitNsTotal = 0;
    quint64 m_lastWaitNsTotal = 0;
    qint64 m_lastWaitElapsedNs = -1;
};

} // namespace QuantPush
