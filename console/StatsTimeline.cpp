#include "StatsTimeline.h"

namespace QuantPush {

StatsTimeline::StatsTimeline(QObject *parent)
    : QObject(parent)
{
}

void StatsTimeline::setCapacitySeconds(int seconds)
{
    m_capacitySeconds = qMax(60, seconds);
    trim();
}

void StatsTimeline::addSnapshot(const StatsSnapshot &snapshot, qint64 nowMs)
{
    const qint64 second = nowMs / 1000 * 1000;
    const bool sameSecond = !m_points.isEmpty() && m_points.constLast().timeMs == second;
    if (sameSecond)
        m_points.removeLast();
    Point point {second, snapshot, {}};
    if (!m_points.isEmpty())
        point.channelRates = ratesBetween(m_points.constLast().stats, snapshot);
    m_points.append(point);
    trim();
    Q_EMIT updated();
}

void StatsTimeline::addProcessSample(std::optional<double> cpuPercent, std::optional<qint64> rssBytes, qint64 nowMs)
{
    m_sampleCpu = cpuPercent;
    m_sampleRss = rssBytes;
    m_sampleAtMs = nowMs;
}

void StatsTimeline::clear()
{
    m_points.clear();
    m_sampleCpu.reset();
    m_sampleRss.reset();
    Q_EMIT updated();
}

std::optional<StatsTimeline::Point> StatsTimeline::latest() const
{
    if (m_points.isEmpty())
        return std::nullopt;
    return m_points.constLast();
}

std::optional<double> StatsTimeline::cpuPercent(qint64 nowMs) const
{
    if (!m_points.isEmpty() && m_points.constLast().stats.cpuPercent)
        return m_points.constLast().stats.cpuPercent;
    if (nowMs - m_sampleAtMs <= ProcessSampleMaxAgeMs)
        return m_sampleCpu;
    return std::nullopt;
}

std::optional<qint64> StatsTimeline::rssBytes(qint64 nowMs) const
{
    if (!m_points.isEmpty() && m_points.constLast().stats.rssBytes)
        return m_points.constLast().stats.rssBytes;
    if (nowMs - m_sampleAtMs <= ProcessSampleMaxAgeMs)
        return m_sampleRss;
    return std::nullopt;
}

// Per-channel rates are not in the stats body; they come from the counter
// difference over the server's own uptime, so network jitter in when the
// replies arrive does not distort them.
QHash<QString, StatsTimeline::Rate> StatsTimeline::ratesBetween(const StatsSnapshot &before, const StatsSnapshot &after)
{
    QHash<QString, Rate> rates;
    const double seconds = after.uptimeSec - before.uptimeSec;
    if (seconds <= 0.05) // a server restart or a duplicate body: no meaningful rate
        return rates;
    for (auto it = after.channels.constBegin(); it != after.channels.constEnd(); ++it) {
        const auto previous = before.channels.constFind(it.key());
        if (previous == before.channels.constEnd())
            continue;
        const qint64 published = it->published - previous->published;
        const qint64 delivered = it->delivered - previous->delivered;
        if (published < 0 || delivered < 0)
            continue;
        rates.insert(it.key(), Rate {double(published) / seconds, double(delivered) / seconds});
    }
    return rates;
}

void StatsTimeline::trim()
{
    if (m_points.isEmpty())
        return;
    const qint64 oldest = m_points.constLast().timeMs - qint64(m_capacitySeconds) * 1000;
    qsizetype drop = 0;
    while (drop < m_points.size() && m_points.at(drop).timeMs < oldest)
        ++drop;
    if (drop > 0)
        m_points.remove(0, drop);
}

} // namespace QuantPush
