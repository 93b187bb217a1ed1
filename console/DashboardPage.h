#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTimer;

namespace QuantPush {

class StatTile;
class StatsTimeline;
class TimeSeriesChart;

// Live server figures: tiles for the current values and five charts
// (connections, latency p50/p99 over the server's last 10 s, queues,
// throughput in and out, bandwidth in and out) over a rolling window of 1,
// 5 or 15 minutes. The channel selector narrows throughput, latency and
// pending messages to one channel. Latency is always the server's recent
// window, never the lifetime figure (which would hide every spike after an
// hour of uptime). Redraws when the timeline gains a point, at most once a
// second; nothing here waits on the network.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    explicit DashboardPage(StatsTimeline *timeline, QWidget *parent = nullptr);

    void setWindowMinutes(int minutes);
    int windowMinutes() const;
    // Tests read the charts through these.
    TimeSeriesChart *connectionsChart() const { return m_connectionsChart; }
    TimeSeriesChart *throughputChart() const { return m_throughputChart; }
    TimeSeriesChart *latencyChart() const { return m_latencyChart; }
    TimeSeriesChart *bandwidthChart() const { return m_bandwidthChart; }
    TimeSeriesChart *queueChart() const { return m_queueChart; }
    StatTile *tile(int index) const;
    // "" for all channels.
    void setChannel(const QString &channel);

    enum TileIndex {
        ConnectionsTile, PeakTile, RateTile, LatencyTile, ErrorsTile, BandwidthTile, QueueTile, CpuTile, MemoryTile,
        TileCount
    };

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    void refresh();
    void refreshTiles(qint64 nowMs);
    void refreshCharts(qint64 nowMs);
    QString selectedChannel() const;

    StatsTimeline *m_timeline;
    QTimer *m_clockTimer;
    qint64 m_lastRefreshMs = 0;
    QLabel *m_windowLabel;
    QComboBox *m_windowCombo;
    QLabel *m_channelLabel;
    QComboBox *m_channelCombo;
    QLabel *m_updatedLabel;
    QList<StatTile *> m_tiles;
    TimeSeriesChart *m_connectionsChart;
    TimeSeriesChart *m_throughputChart;
    TimeSeriesChart *m_latencyChart;
    TimeSeriesChart *m_bandwidthChart;
    TimeSeriesChart *m_queueChart;
};

} // namespace QuantPush
