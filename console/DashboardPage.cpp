#include "DashboardPage.h"

#include "ConsoleSettings.h"
#include "Formatting.h"
#include "StatTile.h"
#include "StatsTimeline.h"
#include "TimeSeriesChart.h"
#include "WireNames.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

// Calm, distinguishable colours that survive a grey-scale print.
const QColor Blue(0x2f, 0x6f, 0xb0);
const QColor Orange(0xd9, 0x82, 0x2b);
const QColor Green(0x3a, 0x9a, 0x5b);
const QColor Red(0xc0, 0x39, 0x2b);
const QColor Purple(0x7b, 0x4f, 0x9d);

// A slide of the time axis when no new point arrived (server silent or
// connection lost): the gap then shows on the chart instead of being hidden.
constexpr int ClockIntervalMs = 1000;
constexpr qint64 MinimumSpanMs = 30 * 1000;

} // namespace

DashboardPage::DashboardPage(StatsTimeline *timeline, QWidget *parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_clockTimer(new QTimer(this))
    , m_windowLabel(new QLabel(this))
    , m_windowCombo(new QComboBox(this))
    , m_channelLabel(new QLabel(this))
    , m_channelCombo(new QComboBox(this))
    , m_updatedLabel(new QLabel(this))
    , m_connectionsChart(new TimeSeriesChart({Blue}, this))
    , m_throughputChart(new TimeSeriesChart({Blue, Orange}, this)) // published (in), delivered (out)
    , m_latencyChart(new TimeSeriesChart({Green, Red}, this))      // p50, p99
    , m_bandwidthChart(new TimeSeriesChart({Blue, Orange}, this))  // bytes in, bytes out
    , m_queueChart(new TimeSeriesChart({Red, Purple}, this))       // queued frames, pending messages
{
    for (int i = 0; i < TileCount; ++i)
        m_tiles.append(new StatTile(this));
    for (const int minutes : {1, 5, 15})
        m_windowCombo->addItem(QString(), minutes);
    setWindowMinutes(ConsoleSettings::chartWindowMinutes());
    m_channelCombo->addItem(QString(), QString());
    const QStringList channels = Wire::channels();
    for (const QString &channel : channels)
        m_channelCombo->addItem(channel, channel);

    // Scales that never magnify noise: whole connections, a few messages, a tenth of a millisecond.
    m_connectionsChart->setMinimumTop(5);
    m_throughputChart->setMinimumTop(10);
    m_latencyChart->setMinimumTop(0.1);
    m_bandwidthChart->setMinimumTop(1024);
    m_queueChart->setMinimumTop(5);
    buildLayout();
    retranslate();

    connect(m_timeline, &StatsTimeline::updated, this, &DashboardPage::refresh);
    connect(m_windowCombo, &QComboBox::currentIndexChanged, this, [this] {
        ConsoleSettings::setChartWindowMinutes(windowMinutes());
        refresh();
    });
    connect(m_channelCombo, &QComboBox::currentIndexChanged, this, [this] {
        retranslate(); // the throughput title names the channel
        refresh();
    });
    connect(m_clockTimer, &QTimer::timeout, this, [this] {
        if (QDateTime::currentMSecsSinceEpoch() - m_lastRefreshMs > ClockIntervalMs * 3 / 2)
            refresh();
    });
    m_clockTimer->start(ClockIntervalMs);
    refresh();
}

void DashboardPage::buildLayout()
{
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_windowLabel);
    controls->addWidget(m_windowCombo);
    controls->addSpacing(16);
    controls->addWidget(m_channelLabel);
    controls->addWidget(m_channelCombo);
    controls->addStretch(1);
    controls->addWidget(m_updatedLabel);

    auto *tiles = new QHBoxLayout;
    tiles->setSpacing(8);
    for (StatTile *tile : std::as_const(m_tiles))
        tiles->addWidget(tile);

    auto *charts = new QGridLayout;
    charts->setSpacing(8);
    charts->addWidget(m_connectionsChart, 0, 0);
    charts->addWidget(m_latencyChart, 0, 1);
    charts->addWidget(m_queueChart, 0, 2);
    charts->addWidget(m_throughputChart, 1, 0, 1, 2);
    charts->addWidget(m_bandwidthChart, 1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(tiles);
    layout->addLayout(charts, 1);
}

StatTile *DashboardPage::tile(int index) const { return m_tiles.at(index); }

void DashboardPage::setWindowMinutes(int minutes)
{
    const int index = m_windowCombo->findData(minutes);
    if (index >= 0)
        m_windowCombo->setCurrentIndex(index);
}

int DashboardPage::windowMinutes() const { return m_windowCombo->currentData().toInt(); }

QString DashboardPage::selectedChannel() const { return m_channelCombo->currentData().toString(); }

void DashboardPage::setChannel(const QString &channel)
{
    const int index = m_channelCombo->findData(channel);
    if (index >= 0)
        m_channelCombo->setCurrentIndex(index);
}

void DashboardPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refresh(); // number formats follow the language
    }
    QWidget::changeEvent(event);
}

void DashboardPage::retranslate()
{
    m_windowLabel->setText(tr("Window:"));
    m_windowCombo->setItemText(0, tr("1 minute"));
    m_windowCombo->setItemText(1, tr("5 minutes"));
    m_windowCombo->setItemText(2, tr("15 minutes"));
    m_channelLabel->setText(tr("Channel:"));
    m_channelCombo->setItemText(0, tr("All channels"));

    m_tiles[ConnectionsTile]->setCaption(tr("Connections"));
    m_tiles[PeakTile]->setCaption(tr("Peak connections"));
    m_tiles[RateTile]->setCaption(tr("Messages out / s"));
    m_tiles[LatencyTile]->setCaption(tr("Latency p99 (10 s)"));
    m_tiles[ErrorsTile]->setCaption(tr("Errors / s"));
    m_tiles[BandwidthTile]->setCaption(tr("Bandwidth out / s"));
    m_tiles[QueueTile]->setCaption(tr("Queued frames"));
    m_tiles[CpuTile]->setCaption(tr("Server CPU"));
    m_tiles[MemoryTile]->setCaption(tr("Server memory"));

    m_connectionsChart->setChartTitle(tr("Connections"));
    m_connectionsChart->setSeriesName(0, tr("Open connections"));
    const QString channel = selectedChannel();
    m_throughputChart->setChartTitle(channel.isEmpty() ? tr("Throughput (messages per second)")
                                                       : tr("Throughput of %1 (messages per second)").arg(channel));
    m_throughputChart->setSeriesName(0, tr("Published (in)"));
    m_throughputChart->setSeriesName(1, tr("Delivered (out)"));
    m_latencyChart->setChartTitle(channel.isEmpty() ? tr("Delivery latency, last 10 s (ms)")
                                                    : tr("Delivery latency of %1, last 10 s (ms)").arg(channel));
    m_latencyChart->setSeriesName(0, tr("p50"));
    m_latencyChart->setSeriesName(1, tr("p99"));
    m_bandwidthChart->setChartTitle(tr("Bandwidth (bytes per second)"));
    m_bandwidthChart->setSeriesName(0, tr("In"));
    m_bandwidthChart->setSeriesName(1, tr("Out"));
    m_queueChart->setChartTitle(channel.isEmpty() ? tr("Queues") : tr("Queues (pending: %1)").arg(channel));
    m_queueChart->setSeriesName(0, tr("Queued frames"));
    m_queueChart->setSeriesName(1, tr("Pending messages"));
}

void DashboardPage::refresh()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_lastRefreshMs = now;
    refreshTiles(now);
    refreshCharts(now);
}

void DashboardPage::refreshTiles(qint64 nowMs)
{
    const std::optional<StatsTimeline::Point> latest = m_timeline->latest();
    if (!latest) {
        for (StatTile *tile : std::as_const(m_tiles))
            tile->setUnavailable();
        m_updatedLabel->setText(tr("Waiting for the first statistics…"));
        return;
    }
    const StatsSnapshot &s = latest->stats;
    m_updatedLabel->setText(tr("Updated %1 · server up %2 h %3 min")
                                .arg(Format::clockTime(latest->timeMs))
                                .arg(qint64(s.uptimeSec) / 3600)
                                .arg(qint64(s.uptimeSec) % 3600 / 60));
    m_tiles[ConnectionsTile]->setValue(Format::count(s.connections));
    m_tiles[ConnectionsTile]->setDetail(tr("%n subscription(s)", nullptr, int(s.subscriptions)));
    m_tiles[PeakTile]->setValue(Format::count(s.peakConnections));
    m_tiles[PeakTile]->setDetail(tr("%1 since start").arg(Format::count(s.totalConnections)));
    m_tiles[RateTile]->setValue(Format::rate(s.deliveredPerSec));
    m_tiles[RateTile]->setDetail(tr("in: %1 / s").arg(Format::rate(s.publishedPerSec)));
    const std::optional<StatsSnapshot::Latency> live = s.latency[StatsSnapshot::TenSeconds];
    const std::optional<StatsSnapshot::Latency> minute = s.latency[StatsSnapshot::OneMinute];
    if (!live) {
        m_tiles[LatencyTile]->setUnavailable();
        m_tiles[LatencyTile]->setDetail(tr("not reported"));
    } else if (live->count == 0) {
        m_tiles[LatencyTile]->setUnavailable();
        m_tiles[LatencyTile]->setDetail(tr("no deliveries in the last 10 s"));
    } else {
        m_tiles[LatencyTile]->setValue(Format::milliseconds(live->p99Ms));
        m_tiles[LatencyTile]->setDetail(
            minute ? tr("p50: %1 · 1 min p99: %2").arg(Format::milliseconds(live->p50Ms), Format::milliseconds(minute->p99Ms))
                   : tr("p50: %1").arg(Format::milliseconds(live->p50Ms)));
    }
    m_tiles[ErrorsTile]->setValue(Format::rate(s.errorsPerSec));
    m_tiles[ErrorsTile]->setDetail(QString());
    if (s.bytesOutPerSec) {
        m_tiles[BandwidthTile]->setValue(Format::bytes(qint64(*s.bytesOutPerSec)));
        m_tiles[BandwidthTile]->setDetail(tr("in: %1 / s").arg(Format::bytes(qint64(s.bytesInPerSec.value_or(0)))));
    } else {
        m_tiles[BandwidthTile]->setUnavailable();
        m_tiles[BandwidthTile]->setDetail(tr("not reported"));
    }
    if (s.queuedFrames) {
        m_tiles[QueueTile]->setValue(Format::count(*s.queuedFrames));
        m_tiles[QueueTile]->setDetail(tr("%n message(s) pending", nullptr, int(s.pendingMessages.value_or(0))));
    } else {
        m_tiles[QueueTile]->setUnavailable();
        m_tiles[QueueTile]->setDetail(tr("not reported"));
    }

    if (const auto cpu = m_timeline->cpuPercent(nowMs)) {
        m_tiles[CpuTile]->setValue(Format::percent(*cpu));
        // Waiting for a CPU is what a busy host does to latency: shown
        // beside the server's own use, so the two are not confused.
        if (const auto wait = s.cpuWaitPercent)
            m_tiles[CpuTile]->setDetail(tr("of one core · waiting for a CPU: %1").arg(Format::percent(*wait)));
        else
            m_tiles[CpuTile]->setDetail(tr("of one core"));
    } else {
        m_tiles[CpuTile]->setUnavailable();
        m_tiles[CpuTile]->setDetail(tr("not reported"));
    }
    if (const auto rss = m_timeline->rssBytes(nowMs)) {
        m_tiles[MemoryTile]->setValue(Format::bytes(*rss));
        m_tiles[MemoryTile]->setDetail(tr("resident"));
    } else {
        m_tiles[MemoryTile]->setUnavailable();
        m_tiles[MemoryTile]->setDetail(tr("not reported"));
    }
}

void DashboardPage::refreshCharts(qint64 nowMs)
{
    const qint64 windowMs = qint64(windowMinutes()) * 60 * 1000;
    const QList<StatsTimeline::Point> &points = m_timeline->points();
    // Until the history covers the window, the axis spans what there is (at
    // least MinimumSpanMs), so a fresh console shows filled charts instead
    // of a line squeezed against the right edge.
    qint64 span = windowMs;
    if (!points.isEmpty())
        span = qBound(MinimumSpanMs, nowMs - points.constFirst().timeMs, windowMs);
    const qint64 from = nowMs - span;
    const QString channel = selectedChannel();
    QList<QPointF> connections, published, delivered, p50, p99, bytesIn, bytesOut, queued, pending;
    for (const StatsTimeline::Point &point : points) {
        if (point.timeMs < from)
            continue;
        const double x = double(point.timeMs);
        const StatsSnapshot &s = point.stats;
        connections.append({x, double(s.connections)});
        if (channel.isEmpty()) {
            published.append({x, s.publishedPerSec});
            delivered.append({x, s.deliveredPerSec});
        } else if (const auto rate = point.channelRates.constFind(channel); rate != point.channelRates.constEnd()) {
            published.append({x, rate->publishedPerSec});
            delivered.append({x, rate->deliveredPerSec});
        }
        // The server's last 10 s, overall or of the channel; a second with
        // no delivery in the window has no latency to plot.
        std::optional<StatsSnapshot::Latency> latency = s.latency[StatsSnapshot::TenSeconds];
        qint64 channelPending = s.pendingMessages.value_or(0);
        if (!channel.isEmpty()) {
            const auto counters = s.channels.constFind(channel);
            latency = counters != s.channels.constEnd() ? counters->latency[StatsSnapshot::TenSeconds] : std::nullopt;
            channelPending = counters != s.channels.constEnd() ? counters->pending : 0;
        }
        if (latency && latency->count > 0) {
            p50.append({x, latency->p50Ms});
            p99.append({x, latency->p99Ms});
        }
        if (s.bytesInPerSec && s.bytesOutPerSec) {
            bytesIn.append({x, *s.bytesInPerSec});
            bytesOut.append({x, *s.bytesOutPerSec});
        }
        if (s.queuedFrames)
            queued.append({x, double(*s.queuedFrames)});
        if (s.pendingMessages)
            pending.append({x, double(channelPending)});
    }
    m_connectionsChart->setPoints(0, connections);
    m_throughputChart->setPoints(0, published);
    m_throughputChart->setPoints(1, delivered);
    m_latencyChart->setPoints(0, p50);
    m_latencyChart->setPoints(1, p99);
    m_bandwidthChart->setPoints(0, bytesIn);
    m_bandwidthChart->setPoints(1, bytesOut);
    m_queueChart->setPoints(0, queued);
    m_queueChart->setPoints(1, pending);
    for (TimeSeriesChart *chart : {m_connectionsChart, m_throughputChart, m_latencyChart, m_bandwidthChart, m_queueChart})
        chart->setTimeRange(from, nowMs);
}

} // namespace QuantPush
