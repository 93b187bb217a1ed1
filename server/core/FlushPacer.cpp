#include "FlushPacer.h"

#include <algorithm>

namespace QuantPush {

void FlushPacer::setIntervalMs(qint64 intervalMs)
{
    m_settings.intervalMs = std::max<qint64>(0, intervalMs);
    if (m_settings.intervalMs == 0)
        m_engaged = false;
}

void FlushPacer::reset()
{
    *this = FlushPacer(m_settings);
}

bool FlushPacer::sampleDue(qint64 nowMs) const
{
    return m_settings.intervalMs > 0 && (!m_haveSample || nowMs - m_sampleMs >= m_settings.sampleMs);
}

bool FlushPacer::observe(qint64 nowMs, qint64 waitNs)
{
    if (!m_haveSample || nowMs <= m_sampleMs || waitNs < m_sampleWaitNs) {
        // The first reading (or one that went backwards) only starts a window.
        m_haveSample = true;
        m_sampleMs = nowMs;
        m_sampleWaitNs = waitNs;
        return false;
    }
    m_lastShare = double(waitNs - m_sampleWaitNs) / (double(nowMs - m_sampleMs) * 1e6);
    m_sampleMs = nowMs;
    m_sampleWaitNs = waitNs;
    const bool wasEngaged = m_engaged;
    decide(nowMs);
    return m_engaged != wasEngaged;
}

void FlushPacer::decide(qint64 nowMs)
{
    if (m_settings.intervalMs <= 0) {
        m_engaged = false;
        m_windowsOver = 0;
        return;
    }
    m_windowsOver = m_lastShare >= m_settings.engageShare ? m_windowsOver + 1 : 0;
    if (!m_engaged && m_windowsOver >= m_settings.engageWindows) {
        // Back soon after letting go: the load outlasted the dwell.
        const bool soon = m_releasedAtMs >= 0 && nowMs - m_releasedAtMs < 2 * m_dwellMs;
        m_dwellMs = soon ? std::min(2 * m_dwellMs, m_settings.maxDwellMs) : m_settings.dwellMs;
        m_engaged = true;
        m_engagedAtMs = nowMs;
        ++m_engagements;
    } else if (m_engaged && nowMs - m_engagedAtMs >= m_dwellMs && m_lastShare < m_settings.releaseShare) {
        m_engaged = false;
        m_releasedAtMs = nowMs;
    }
}

qint64 FlushPacer::holdMs(qint64 nowMs) const
{
    if (!m_engaged || m_lastFlushMs < 0)
        return 0;
    return std::max<qint64>(0, m_lastFlushMs + m_settings.intervalMs - nowMs);
}

} // namespace QuantPush
