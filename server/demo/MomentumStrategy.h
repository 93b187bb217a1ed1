#pragma once

#include "demo/TradeSignal.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace QuantPush {

// Moving-average crossover: a buy when the short average crosses above the
// long one, a sell when it crosses below. Strength is the distance between
// the averages in standard errors of the short average (derived from the long
// window's price deviation), so it means the same for a 65000 and a 0.6
// instrument.
class MomentumStrategy
{
public:
    explicit MomentumStrategy(int shortWindow = 10, int longWindow = 40);

    // Feeds one price; returns a signal when this tick makes a crossover.
    std::optional<TradeSignal> onTick(const QString &symbol, double price, qint64 tsMs = 0);

    QString name() const; // momentum_ma_<short>_<long>
    // True once `symbol` has a full long window (it can signal).
    bool isWarm(const QString &symbol) const;
    int warmSymbolCount() const;
    int signalCount() const { return m_signalCount; }

    // Strong → high: 0 → 0, 1 → 9, monotone in between.
    static int priorityForStrength(double strength);

private:
    struct Series
    {
        QList<double> prices; // the last longWindow prices, oldest first
        int lastSign = 0;     // sign of (short MA - long MA) at the last non-tie
    };

    double average(const QList<double> &prices, int window) const;
    static double standardDeviation(const QList<double> &prices, double mean);
    TradeSignal makeSignal(const QString &symbol, Side side, double price, double shortMa,
                           double longMa, double sigma) const;

    int m_shortWindow;
    int m_longWindow;
    QHash<QString, Series> m_series;
    int m_signalCount = 0;
};

} // namespace QuantPush
