#pragma once

#include <QtCore/QList>

namespace QuantPush {

// Performance statistics of the demo's own trading, computed from its fills
// and its marked-to-market equity (realised + unrealised PnL), never invented.
class PerformanceTracker
{
public:
    // `window`: how many equity samples the rolling Sharpe ratio looks back.
    explicit PerformanceTracker(int window = 30);

    void recordFill(double realizedPnl, bool reducing);
    // One equity observation, taken at a regular interval by the caller.
    void recordEquity(double equity);

    double equity() const { return m_equity; }
    // Mean over standard deviation of the PnL change per sample interval,
    // over the rolling window; not annualised (the interval is configurable,
    // so any annualisation factor would be arbitrary). 0 until it can be computed.
    double sharpe() const;
    int sharpeSamples() const { return int(qMax<qsizetype>(0, m_equities.size() - 1)); }
    // Share of position-reducing fills that realised a profit.
    double winRate() const;
    // Largest peak-to-trough fall of equity seen so far, as a positive amount.
    double maxDrawdown() const { return m_maxDrawdown; }
    int trades() const { return m_trades; }
    int closedTrades() const { return m_closedTrades; }

private:
    int m_window;
    QList<double> m_equities; // the last window + 1 samples
    double m_equity = 0;
    double m_peak = 0;
    double m_maxDrawdown = 0;
    int m_trades = 0;
    int m_closedTrades = 0;
    int m_wins = 0;
};

} // namespace QuantPush
