#pragma once

#include "demo/MarketTick.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStringList>

namespace QuantPush {

// A geometric random walk per symbol: each step multiplies the price by
// exp(sigma * N(0,1)), so prices stay positive and moves scale with the price.
// Seedable, so a test can replay exactly the same market.
class RandomWalk
{
public:
    explicit RandomWalk(const QStringList &symbols, quint32 seed = 1);

    // Restarts every symbol at its start price with a fresh generator.
    void setSeed(quint32 seed);

    // Advances `symbol` by one step and quotes it. Unknown symbols are added.
    MarketTick step(const QString &symbol);
    // One step of every symbol, in the constructor's order.
    QList<MarketTick> stepAll();

    double price(const QString &symbol) const;
    const QStringList &symbols() const { return m_symbols; }

    // A plausible start price: the majors at their usual level, any other
    // symbol at a stable 1..600 derived from its name.
    static double startPriceOf(const QString &symbol);
    // Decimals a symbol is quoted with: about seven significant digits.
    static int priceDecimals(double price);
    static double roundTo(double value, int decimals);

private:
    struct Instrument
    {
        double start = 0;
        double price = 0;
        double sigma = 0; // per step
        int decimals = 2;
    };

    Instrument makeInstrument(const QString &symbol);
    double gaussian();

    QStringList m_symbols;
    QHash<QString, Instrument> m_instruments;
    QRandomGenerator m_rng;
};

} // namespace QuantPush
