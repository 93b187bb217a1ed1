#pragma once

#include <QtCore/QList>

#include <vector>

namespace QuantPush {

// A cumulative-bucket histogram in the Prometheus sense, plus the exact max,
// so percentiles are estimated within one bucket's resolution.
class Histogram
{
public:
    explicit Histogram(QList<double> upperBounds);

    // Latency-style buckets from 10 µs to 10 s, in seconds.
    static Histogram latencySeconds();
    // Connection durations from 1 s to 1 day, in seconds.
    static Histogram durationSeconds();

    // `times` equal observations at once (one fan-out's recipients).
    void observe(double value, quint64 times = 1);
    // Adds `other`'s observations (same buckets) to this one and empties it:
    // a worker thread's histogram summed into the server's.
    void absorb(Histogram &other);

    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }
    double max() const { return m_max; }
    const QList<double> &upperBounds() const { return m_bounds; }
    // Non-cumulative counts per bucket; the last is the +Inf overflow.
    const std::vector<quint64> &bucketCounts() const { return m_counts; }
    // Linear interpolation inside the bucket holding the q-th observation.
    double quantile(double q) const;
    // The same estimate over any bucket counts shaped like bucketCounts()
    // (a window: the difference of two readings); `max` caps the estimate.
    static double quantileOf(const QList<double> &upperBounds, const std::vector<quint64> &counts, double max,
                             double q);

private:
    QList<double> m_bounds;
    std::vector<quint64> m_counts;
    quint64 m_count = 0;
    double m_sum = 0;
    double m_max = 0;
};

} // namespace QuantPush
