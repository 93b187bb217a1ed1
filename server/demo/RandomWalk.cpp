#include "demo/RandomWalk.h"

#include <QDateTime>

#include <cmath>
#include <numbers>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

// Roughly realistic per-step volatility for a 100 ms tick: ~8 bps.
constexpr double BaseSigma = 0.0008;

// FNV-1a: stable across runs, unlike qHash (randomly seeded per process).
quint32 stableHash(const QString &text)
{
    quint32 hash = 2166136261u;
    for (const QChar c : text) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return hash;
}

} // namespace

RandomWalk::RandomWalk(const QStringList &symbols, quint32 seed)
    : m_symbols(symbols)
{
    setSeed(seed);
}

void RandomWalk::setSeed(quint32 seed)
{
    m_rng.seed(seed);
    m_instruments.clear();
    for (const QString &symbol : std::as_const(m_symbols))
        m_instruments.insert(symbol, makeInstrument(symbol));
}

double RandomWalk::startPriceOf(const QString &symbol)
{
    static const QHash<QString, double> majors {
        {u"BTCUSDT"_s, 65000.0}, {u"ETHUSDT"_s, 3400.0}, {u"SOLUSDT"_s, 150.0},
        {u"BNBUSDT"_s, 580.0},   {u"XRPUSDT"_s, 0.62},   {u"DOGEUSDT"_s, 0.15},
        {u"ADAUSDT"_s, 0.45},
    };
    if (const auto it = majors.constFind(symbol); it != majors.cend())
        return it.value();
    return 1.0 + double(stableHash(symbol) % 59900u) / 100.0;
}

int RandomWalk::priceDecimals(double price)
{
    if (price <= 0)
        return 2;
    const int magnitude = int(std::floor(std::log10(price)));
    return qBound(2, 6 - magnitude, 8);
}

double RandomWalk::roundTo(double value, int decimals)
{
    // Dividing an integer by an exact power of ten gives the double nearest
    // the decimal, which QJsonDocument prints without a binary tail.
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

RandomWalk::Instrument RandomWalk::makeInstrument(const QString &symbol)
{
    Instrument instrument;
    instrument.start = startPriceOf(symbol);
    instrument.price = instrument.start;
    instrument.decimals = priceDecimals(instrument.start);
    // Smaller coins are more volatile: 1x..2x the base, stable per symbol.
    instrument.sigma = BaseSigma * (1.0 + double(stableHash(symbol) % 100u) / 100.0);
    return instrument;
}

double RandomWalk::gaussian()
{
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const double u1 = 1.0 - m_rng.generateDouble();
    const double u2 = m_rng.generateDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

MarketTick RandomWalk::step(const QString &symbol)
{
    if (!m_instruments.contains(symbol)) {
        m_symbols.append(symbol);
        m_instruments.insert(symbol, makeInstrument(symbol));
    }
    Instrument &instrument = m_instruments[symbol];
    instrument.price *= std::exp(instrument.sigma * gaussian());

    const int decimals = instrument.decimals;
    const double tickSize = std::pow(10.0, -decimals);
    // Spread of 1..5 bps, at least one tick each side so bid < price < ask.
    const double halfSpread = qMax(tickSize, instrument.price * (1.0 + 4.0 * m_rng.generateDouble()) / 2e4);
    // A lognormal trade size worth about 5,000 USDT.
    const double notional = 5000.0 * std::exp(0.8 * gaussian());

    MarketTick tick;
    tick.symbol = symbol;
    tick.price = roundTo(instrument.price, decimals);
    tick.bid = roundTo(tick.price - halfSpread, decimals);
    tick.ask = roundTo(tick.price + halfSpread, decimals);
    tick.volume = roundTo(notional / tick.price, qBound(0, 7 - decimals, 8));
    tick.changePct = roundTo((instrument.price / instrument.start - 1.0) * 100.0, 4);
    tick.tsMs = QDateTime::currentMSecsSinceEpoch();
    return tick;
}

QList<MarketTick> RandomWalk::stepAll()
{
    QList<MarketTick> ticks;
    ticks.reserve(m_symbols.size());
    for (const QString &symbol : std::as_const(m_symbols))
        ticks.append(step(symbol));
    return ticks;
}

double RandomWalk::price(const QString &symbol) const
{
    const auto it = m_instruments.constFind(symbol);
    return it == m_instruments.cend() ? 0.0 : roundTo(it->price, it->decimals);
}

} // namespace QuantPush
