#pragma once

#include <array>
#include <cstdint>

namespace loadgen {

// Latencies in microseconds, in log-linear buckets (HdrHistogram's idea):
// exact below 64 µs, then 32 buckets per power of two, so a percentile is
// off by at most about 3 % and a run of any length costs a few kilobytes.
// The maximum is kept exactly.
class LatencyHistogram
{
public:
    void record(std::int64_t micros);
    std::uint64_t count() const { return m_count; }
    std::uint64_t negatives() const { return m_negatives; }
    std::int64_t max() const { return m_max; }
    // The upper bound of the bucket holding the q-quantile (0 < q <= 1),
    // never above the exact maximum; 0 for an empty histogram.
    std::int64_t quantile(double q) const;

private:
    static constexpr int LinearLimit = 64;   // 2^6: exact buckets below
    static constexpr int SubBucketBits = 5;  // 32 sub-buckets per octave
    static constexpr int MaxExponent = 47;   // ~4.5 years in µs
    static constexpr int BucketCount = LinearLimit + (MaxExponent - 6 + 1) * (1 << SubBucketBits);

    static int indexOf(std::int64_t micros);
    static std::int64_t upperBoundOf(int index);

    std::array<std::uint64_t, BucketCount> m_buckets {};
    std::uint64_t m_count = 0;
    std::uint64_t m_negatives = 0;
    std::int64_t m_max = 0;
};

} // namespace loadgen
