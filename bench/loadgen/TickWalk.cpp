#include "TickWalk.h"

#include "Clock.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loadgen {

namespace {

int priceDecimals(double price)
{
    const int magnitude = int(std::floor(std::log10(price)));
    return std::clamp(6 - magnitude, 2, 8);
}

void appendNumber(std::string &out, double value, int decimals)
{
    char buffer[48];
    const int n = std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string_view text(buffer, std::size_t(n));
    // Trailing zeros dropped, as a JSON serialiser of the double would.
    if (text.find('.') != std::string_view::npos) {
        while (text.back() == '0')
            text.remove_suffix(1);
        if (text.back() == '.')
            text.remove_suffix(1);
    }
    out.append(text);
}

} // namespace

TickWalk::TickWalk(std::uint32_t seed) : m_rng(seed)
{
    const std::pair<const char *, double> symbols[] = {
        {"BTCUSDT", 65000.0}, {"ETHUSDT", 3400.0}, {"SOLUSDT", 150.0},  {"BNBUSDT", 580.0},  {"XRPUSDT", 0.62},
        {"ADAUSDT", 0.45},    {"DOGEUSDT", 0.15},  {"AVAXUSDT", 36.2}, {"DOTUSDT", 7.15},   {"LINKUSDT", 17.8},
    };
    int i = 0;
    for (const auto &[symbol, price] : symbols) {
        // ~8 bps a step, smaller coins up to twice as volatile.
        m_instruments.push_back({symbol, price, price, 0.0008 * (1.0 + 0.1 * i++), priceDecimals(price)});
    }
}

double TickWalk::gaussian()
{
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double u1 = 1.0 - uniform(m_rng);
    const double u2 = uniform(m_rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

std::string TickWalk::next()
{
    Instrument &instrument = m_instruments[m_next++ % m_instruments.size()];
    instrument.price *= std::exp(instrument.sigma * gaussian());
    const double tick = std::pow(10.0, -instrument.decimals);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    // Spread of 1..5 bps, at least one tick each side.
    const double halfSpread = std::max(tick, instrument.price * (1.0 + 4.0 * uniform(m_rng)) / 2e4);
    const double notional = 5000.0 * std::exp(0.8 * gaussian());
    const double scale = std::pow(10.0, instrument.decimals);
    const double price = std::round(instrument.price * scale) / scale;

    std::string out;
    out.reserve(160);
    out += "{\"symbol\":\"" + instrument.symbol + "\",\"price\":";
    appendNumber(out, price, instrument.decimals);
    out += ",\"bid\":";
    appendNumber(out, price - halfSpread, instrument.decimals);
    out += ",\"ask\":";
    appendNumber(out, price + halfSpread, instrument.decimals);
    out += ",\"volume\":";
    appendNumber(out, notional / price, std::clamp(7 - instrument.decimals, 0, 8));
    out += ",\"change_pct\":";
    appendNumber(out, (instrument.price / instrument.start - 1.0) * 100.0, 4);
    out += ",\"ts_ms\":" + std::to_string(realtimeUs() / 1000) + ",\"key\":\"" + instrument.symbol + "\"}";
    return out;
}

} // namespace loadgen
