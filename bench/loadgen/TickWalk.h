#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace loadgen {

// Market-tick payloads with realistic digits, the same shape as the server's
// demo feed (server/demo/MarketTick): symbol, price, bid, ask, volume,
// change_pct, ts_ms and key (= symbol, for rate-limited coalescing). Each
// of ten symbols follows a geometric random walk; prices carry about seven
// significant digits, so compression sees what a real feed gives it.
class TickWalk
{
public:
    explicit TickWalk(std::uint32_t seed = 1);
    // The next tick (symbols in turn) as a JSON object.
    std::string next();

private:
    struct Instrument
    {
        std::string symbol;
        double start = 0;
        double price = 0;
        double sigma = 0;
        int decimals = 2;
    };

    double gaussian();

    std::vector<Instrument> m_instruments;
    std::mt19937_64 m_rng;
    std::size_t m_next = 0;
};

} // namespace loadgen
