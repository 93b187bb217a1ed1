#include "Histogram.h"

#include <algorithm>

namespace QuantPush {

Histogram::Histogram(QList<double> upperBounds)
    : m_bounds(std::move(upperBounds)), m_counts(std::size_t(m_bounds.size()) + 1, 0)
{
}

Histogram Histogram::latencySeconds()
{
    return Histogram({0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
}

Histogram Histogram::durationSeconds()
{
    return Histogram({1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600});
}

void Histogram::observe(double value, quint64 times)
{
    const auto it = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value);
    m_counts[std::size_t(it - m_bounds.cbegin())] += times;
    m_count += times;
    m_sum += value * double(times);
    m_max = std::max(m_max, value);
}

double Histogram::quantile(double q) const
{
    return quantileOf(m_bounds, m_counts, m_max, q);
}

double Histogram::quantileOf(const QList<double> &upperBounds, const std::vector<quint64> &counts, double max,
                             double q)
{
    quint64 total = 0;
    for (quint64 count : counts)
        total += count;
    if (total == 0)
        return 0;
    const double rank = q * double(total);
    quint64 seen = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0)
            continue;
        if (double(seen + counts[i]) >= rank) {
            const double lower = i == 0 ? 0.0 : upperBounds[qsizetype(i - 1)];
            const double upper = i < std::size_t(upperBounds.size()) ? upperBounds[qsizetype(i)] : max;
            const double within = (rank - double(seen)) / double(counts[i]);
            return std::min(max, lower + (std::min(upper, max) - lower) * within);
        }
        seen += counts[i];
    }
    return max;
}

void Histogram::absorb(Histogram &other)
{
    if (other.m_count == 0 || other.m_counts.size() != m_counts.size())
        return;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        m_counts[i] += other.m_counts[i];
        other.m_counts[i] = 0;
    }
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
    other.m_count = 0;
    other.m_sum = 0;
    other.m_max = 0;
}

} // namespace QuantPush
