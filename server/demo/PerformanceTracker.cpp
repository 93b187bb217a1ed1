#include "demo/PerformanceTracker.h"

#include <cmath>

namespace QuantPush {

PerformanceTracker::PerformanceTracker(int window)
    : m_window(qMax(2, window))
{
}

void PerformanceTracker::recordFill(double realizedPnl, bool reducing)
{
    ++m_trades;
    if (!reducing)
        return;
    ++m_closedTrades;
    if (realizedPnl > 0)
        ++m_wins;
}

void PerformanceTracker::recordEquity(double equity)
{
    m_equity = equity;
    m_equities.append(equity);
    if (m_equities.size() > m_window + 1)
        m_equities.removeFirst();
    // Equity starts at 0 (no trades), so the first peak is 0, not the first sample.
    m_peak = qMax(m_peak, equity);
    m_maxDrawdown = qMax(m_maxDrawdown, m_peak - equity);
}

double PerformanceTracker::sharpe() const
{
    const qsizetype n = m_equities.size() - 1;
    if (n < 2)
        return 0;
    double sum = 0;
    for (qsizetype i = 1; i <= n; ++i)
        sum += m_equities.at(i) - m_equities.at(i - 1);
    const double mean = sum / double(n);
    double squares = 0;
    for (qsizetype i = 1; i <= n; ++i) {
        const double delta = m_equities.at(i) - m_equities.at(i - 1) - mean;
        squares += delta * delta;
    }
    const double deviation = std::sqrt(squares / double(n - 1));
    return deviation > 1e-12 ? mean / deviation : 0.0;
}

double PerformanceTracker::winRate() const
{
    return m_closedTrades > 0 ? double(m_wins) / double(m_closedTrades) : 0.0;
}

} // namespace QuantPush
