#include "LatencyHistogram.h"

#include <algorithm>
#include <cmath>

namespace loadgen {

int LatencyHistogram::indexOf(std::int64_t micros)
{
    if (micros < LinearLimit)
        return int(micros);
    const int exponent = std::min(63 - __builtin_clzll(std::uint64_t(micros)), MaxExponent);
    const std::uint64_t clamped = std::min<std::uint64_t>(std::uint64_t(micros), (std::uint64_t(2) << exponent) - 1);
    const int sub = int((clamped >> (exponent - SubBucketBits)) & ((1 << SubBucketBits) - 1));
    return LinearLimit + (exponent - 6) * (1 << SubBucketBits) + sub;
}

std::int64_t LatencyHistogram::upperBoundOf(int index)
{
    if (index < LinearLimit)
        return index;
    const int exponent = 6 + (index - LinearLimit) / (1 << SubBucketBits);
    const int sub = (index - LinearLimit) % (1 << SubBucketBits);
    const std::int64_t width = std::int64_t(1) << (exponent - SubBucketBits);
    return (std::int64_t(1) << exponent) + std::int64_t(sub + 1) * width - 1;
}

void LatencyHistogram::record(std::int64_t micros)
{
    // A message stamped after it arrived can only mean clock trouble; it is
    // counted (reported as latency_negative=) and recorded as 0.
    if (micros < 0) {
        ++m_negatives;
        micros = 0;
    }
    ++m_buckets[std::size_t(indexOf(micros))];
    ++m_count;
    m_max = std::max(m_max, micros);
}

std::int64_t LatencyHistogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    const auto rank = std::uint64_t(std::max(1.0, std::ceil(q * double(m_count))));
    std::uint64_t seen = 0;
    for (int i = 0; i < BucketCount; ++i) {
        seen += m_buckets[std::size_t(i)];
        if (seen >= rank)
            return std::min(upperBoundOf(i), m_max);
    }
    return m_max;
}

} // namespace loadgen
