#include "ServerProbe.h"

#include "Clock.h"
#include "ProcStats.h"

#include <algorithm>

namespace loadgen {

void ServerProbe::begin()
{
    if (m_pid <= 0)
        return;
    m_cpuBefore = processCpuSecondsOf(m_pid);
    m_waitBefore = runQueueWaitSecondsOf(m_pid);
    sample(monotonicUs());
}

void ServerProbe::end()
{
    if (m_pid <= 0)
        return;
    sample(monotonicUs());
    const double after = processCpuSecondsOf(m_pid);
    if (after >= 0 && m_cpuBefore >= 0)
        m_cpu = after - m_cpuBefore;
    // Threads that ended meanwhile take their wait with them: never below 0.
    const double waitAfter = runQueueWaitSecondsOf(m_pid);
    if (waitAfter >= 0 && m_waitBefore >= 0)
        m_wait = std::max(0.0, waitAfter - m_waitBefore);
}

void ServerProbe::sample(std::int64_t nowUs)
{
    m_nextSampleUs = nowUs + 100000;
    m_rssPeak = std::max(m_rssPeak, residentKbOf(m_pid));
}

} // namespace loadgen
