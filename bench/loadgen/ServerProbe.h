#pragma once

#include <cstdint>

namespace loadgen {

// The server's CPU seconds, run-queue wait and peak RSS over the publishing and the drain,
// for --server-pid; RSS is sampled every 100 ms (reading /proc costs the
// generator a few microseconds).
class ServerProbe
{
public:
    explicit ServerProbe(int pid) : m_pid(pid) {}
    void begin();
    // Samples RSS when 100 ms have passed since the last sample.
    void poll(std::int64_t nowUs)
    {
        if (m_pid > 0 && nowUs >= m_nextSampleUs)
            sample(nowUs);
    }
    void end();
    // Negative when not measured (no --server-pid, or the process is gone).
    double cpuSeconds() const { return m_cpu; }
    // Seconds its threads waited for a CPU (runQueueWaitSecondsOf).
    double runQueueWaitSeconds() const { return m_wait; }
    long rssPeakKb() const { return m_rssPeak; }

private:
    void sample(std::int64_t nowUs);

    int m_pid = 0;
    std::int64_t m_nextSampleUs = 0;
    double m_cpuBefore = -1;
    double m_cpu = -1;
    double m_waitBefore = -1;
    double m_wait = -1;
    long m_rssPeak = -1;
};

} // namespace loadgen
