#include "LatencyWindows.h"

#include <algorithm>
#include <numeric>

namespace QuantPush {

LatencyWindows::LatencyWindows()
    : m_histogram(Histogram::latencySeconds())
{
}

void LatencyWindows::sample()
{
    m_readings.push_back(m_histogram.bucketCounts());
    while (m_readings.size() > std::size_t(WindowsSec.back()))
        m_readings.pop_front();
}

std::vector<quint64> LatencyWindows::countsOver(int windowSec) const
{
    std::vector<quint64> counts = m_histogram.bucketCounts();
    // Fewer samples than the window: everything since start is inside it.
    const std::size_t back = std::size_t(std::max(1, windowSec));
    if (m_readings.size() < back)
        return counts;
    const std::vector<quint64> &start = m_readings[m_readings.size() - back];
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] -= start[i];
    return counts;
}

double LatencyWindows::quantile(int windowSec, double q) const
{
    return Histogram::quantileOf(m_histogram.upperBounds(), countsOver(windowSec), m_histogram.max(), q);
}

quint64 LatencyWindows::count(int windowSec) const
{
    const std::vector<quint64> counts = countsOver(windowSec);
    return std::accumulate(counts.cbegin(), counts.cend(), quint64(0));
}

} // namespace QuantPush
