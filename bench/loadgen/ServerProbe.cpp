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
}

void ServerProbe::sample(std::int64_t nowUs)
{
    m_nextSampleUs = nowUs + 100000;
    m_rssPeak = std::max(m_rssPeak, residentKbOf(m_pid));
}

} // namespace loadgen
