#pragma once

#include "Histogram.h"

#include <array>
#include <deque>
#include <vector>

namespace QuantPush {

// A latency histogram that also answers for the last few seconds and
// minutes: sample() keeps a copy of the bucket counts once a second, and a
// window is "now minus the reading that many samples ago". The lifetime
// figures never forget a spike; a window shows what is happening now.
class LatencyWindows
{
public:
    // The windows every latency figure is reported over, in seconds.
    static constexpr std::array<int, 3> WindowsSec {10, 60, 300};

    LatencyWindows();

    void observe(double seconds, quint64 times = 1) { m_histogram.observe(seconds, times); }
    // A worker thread's observations since the last absorb (its windows are
    // never sampled: only the server's are).
    void absorb(LatencyWindows &other) { m_histogram.absorb(other.m_histogram); }
    // Once a second (the rate sampler).
    void sample();

    const Histogram &lifetime() const { return m_histogram; }
    // Over the last `windowSec` samples, plus whatever arrived since the last.
    double quantile(int windowSec, double q) const;
    quint64 count(int windowSec) const;

private:
    std::vector<quint64> countsOver(int windowSec) const;

    Histogram m_histogram;
    std::deque<std::vector<quint64>> m_readings; // oldest first
};

} // namespace QuantPush
