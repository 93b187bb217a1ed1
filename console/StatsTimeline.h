#pragma once

#include "StatsSnapshot.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <optional>

namespace QuantPush {

// The dashboard's history: one point per wall-clock second, whichever way
// the stats arrived (polled reply or system_monitor push). A second stats
// body within the same second replaces that second's point instead of
// adding one, which is how polls and pushes are de-duplicated.
class StatsTimeline : public QObject
{
    Q_OBJECT

public:
    struct Rate
    {
        double publishedPerSec = 0;
        double deliveredPerSec = 0;
    };

    struct Point
    {
        qint64 timeMs = 0; // start of the wall-clock second
        StatsSnapshot stats;
        QHash<QString, Rate> channelRates; // derived from the previous point's counters
    };

    // How long a system_monitor process sample stands in for missing
    // stats.process figures before the tile falls back to "—".
    static constexpr qint64 ProcessSampleMaxAgeMs = 5000;

    explicit StatsTimeline(QObject *parent = nullptr);

    void setCapacitySeconds(int seconds);
    void addSnapshot(const StatsSnapshot &snapshot, qint64 nowMs);
    void addProcessSample(std::optional<double> cpuPercent, std::optional<qint64> rssBytes, qint64 nowMs);
    void clear();

    const QList<Point> &points() const { return m_points; }
    std::optional<Point> latest() const;
    // stats.process when the server reports it, else a recent demo sample.
    std::optional<double> cpuPercent(qint64 nowMs) const;
    std::optional<qint64> rssBytes(qint64 nowMs) const;

Q_SIGNALS:
    void updated();

private:
    static QHash<QString, Rate> ratesBetween(const StatsSnapshot &before, const StatsSnapshot &after);
    void trim();

    QList<Point> m_points;
    int m_capacitySeconds = 16 * 60; // the widest window (15 min) plus a margin
    std::optional<double> m_sampleCpu;
    std::optional<qint64> m_sampleRss;
    qint64 m_sampleAtMs = 0;
};

} // namespace QuantPush
