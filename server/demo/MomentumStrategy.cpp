#include "demo/MomentumStrategy.h"

#include "demo/RandomWalk.h"

#include <cmath>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

MomentumStrategy::MomentumStrategy(int shortWindow, int longWindow)
    : m_shortWindow(qMax(1, shortWindow))
    , m_longWindow(qMax(m_shortWindow + 1, longWindow))
{
}

QString MomentumStrategy::name() const
{
    return u"momentum_ma_%1_%2"_s.arg(m_shortWindow).arg(m_longWindow);
}

bool MomentumStrategy::isWarm(const QString &symbol) const
{
    const auto it = m_series.constFind(symbol);
    return it != m_series.cend() && it->prices.size() >= m_longWindow;
}

int MomentumStrategy::warmSymbolCount() const
{
    int warm = 0;
    for (const Series &series : m_series)
        warm += series.prices.size() >= m_longWindow ? 1 : 0;
    return warm;
}

int MomentumStrategy::priorityForStrength(double strength)
{
    return qBound(0, int(std::lround(qBound(0.0, strength, 1.0) * 9.0)), 9);
}

double MomentumStrategy::average(const QList<double> &prices, int window) const
{
    // Summing 40 values per tick is cheaper to trust than a running sum that
    // drifts with rounding over hours of demo.
    double sum = 0;
    for (qsizetype i = prices.size() - window; i < prices.size(); ++i)
        sum += prices.at(i);
    return sum / window;
}

double MomentumStrategy::standardDeviation(const QList<double> &prices, double mean)
{
    double squares = 0;
    for (const double price : prices)
        squares += (price - mean) * (price - mean);
    return std::sqrt(squares / double(prices.size()));
}

std::optional<TradeSignal> MomentumStrategy::onTick(const QString &symbol, double price, qint64 tsMs)
{
    Series &series = m_series[symbol];
    series.prices.append(price);
    if (series.prices.size() > m_longWindow)
        series.prices.removeFirst();
    if (series.prices.size() < m_longWindow)
        return std::nullopt;

    const double shortMa = average(series.prices, m_shortWindow);
    const double longMa = average(series.prices, m_longWindow);
    const int sign = shortMa > longMa ? 1 : (shortMa < longMa ? -1 : 0);
    // A tie is not a cross: keep the previous side so a touch-and-return
    // does not produce two opposite signals.
    if (sign == 0)
        return std::nullopt;
    const int previous = std::exchange(series.lastSign, sign);
    if (previous == 0 || previous == sign)
        return std::nullopt;

    const double sigma = standardDeviation(series.prices, longMa);
    TradeSignal signal = makeSignal(symbol, sign > 0 ? Side::Buy : Side::Sell, price, shortMa, longMa, sigma);
    signal.tsMs = tsMs;
    ++m_signalCount;
    return signal;
}

TradeSignal MomentumStrategy::makeSignal(const QString &symbol, Side side, double price, double shortMa,
                                         double longMa, double sigma) const
{
    // Distance in standard errors of the short average (sigma / sqrt(n)):
    // scale-free, and it spreads real crossovers over the whole 0..1 range
    // (raw sigmas bunch them near 0, since averages that just crossed are
    // close). tanh maps it smoothly onto 0..1.
    const double distance = std::abs(shortMa - longMa);
    const double standardError = sigma / std::sqrt(double(m_shortWindow));
    const double strength = standardError > 0 ? std::tanh(distance / standardError) : (distance > 0 ? 1.0 : 0.0);
    const int decimals = RandomWalk::priceDecimals(price);

    TradeSignal signal;
    signal.symbol = symbol;
    signal.side = side;
    signal.strength = RandomWalk::roundTo(strength, 4);
    signal.priority = priorityForStrength(strength);
    signal.price = price;
    signal.shortMa = RandomWalk::roundTo(shortMa, decimals);
    signal.longMa = RandomWalk::roundTo(longMa, decimals);
    signal.strategy = name();
    signal.reason = u"MA%1 crossed %2 MA%3 (%4 vs %5)"_s
                        .arg(m_shortWindow)
                        .arg(side == Side::Buy ? u"above"_s : u"below"_s)
                        .arg(m_longWindow)
                        .arg(signal.shortMa, 0, 'f', decimals)
                        .arg(signal.longMa, 0, 'f', decimals);
    return signal;
}

} // namespace QuantPush
