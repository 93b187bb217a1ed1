#include "TimeSeriesChart.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

namespace QuantPush {

TimeSeriesChart::TimeSeriesChart(const QList<QColor> &seriesColors, QWidget *parent)
    : QChartView(parent)
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis(m_chart))
    , m_valueAxis(new QValueAxis(m_chart))
{
    m_chart->setTheme(QChart::ChartThemeLight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignTop);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_chart->legend()->setFont(small);
    QFont titleFont = font();
    titleFont.setWeight(QFont::DemiBold);
    m_chart->setTitleFont(titleFont);

    m_timeAxis->setFormat(u"HH:mm:ss"_s);
    m_timeAxis->setTickCount(7);
    m_timeAxis->setLabelsFont(small);
    m_valueAxis->setTickCount(5);
    m_valueAxis->setLabelsFont(small);
    m_valueAxis->setRange(0, m_minimumTop);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    for (const QColor &color : seriesColors)
        addSeries(color);

    setChart(m_chart); // last (see the class comment); the view owns the chart from here
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
}

void TimeSeriesChart::addSeries(const QColor &color)
{
    auto *series = new QLineSeries(m_chart);
    QPen pen(color);
    pen.setWidthF(1.6);
    series->setPen(pen);
    m_chart->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    m_series.append(series);
}

void TimeSeriesChart::setSeriesName(int index, const QString &name) { m_series.at(index)->setName(name); }

void TimeSeriesChart::setSeriesVisible(int index, bool visible)
{
    QLineSeries *series = m_series.at(index);
    series->setVisible(visible);
    const QList<QLegendMarker *> markers = m_chart->legend()->markers(series);
    for (QLegendMarker *marker : markers)
        marker->setVisible(visible);
}

void TimeSeriesChart::setMinimumTop(double top)
{
    m_minimumTop = top > 0 ? top : 1.0;
    rescaleValues();
}

void TimeSeriesChart::setChartTitle(const QString &title) { m_chart->setTitle(title); }

void TimeSeriesChart::setPoints(int index, const QList<QPointF> &points) { m_series.at(index)->replace(points); }

QLineSeries *TimeSeriesChart::series(int index) const { return m_series.at(index); }

void TimeSeriesChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_timeAxis->setFormat(toMs - fromMs > 10 * 60 * 1000 ? u"HH:mm"_s : u"HH:mm:ss"_s);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    rescaleValues();
}

double TimeSeriesChart::niceCeiling(double value)
{
    if (value <= 0 || !std::isfinite(value))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= value * (1 - 1e-9))
            return step * magnitude;
    }
    return 10 * magnitude;
}

void TimeSeriesChart::rescaleValues()
{
    double top = 0;
    for (const QLineSeries *series : std::as_const(m_series)) {
        if (!series->isVisible())
            continue;
        const QList<QPointF> points = series->points();
        for (const QPointF &point : points)
            top = std::max(top, point.y());
    }
    // Headroom so the line never sits on the frame.
    const double ceiling = niceCeiling(std::max(top * 1.15, m_minimumTop));
    // Ticks on round steps: 1 and 5 split in five, 2 in four, 2.5 in five.
    const double mantissa = ceiling / std::pow(10.0, std::floor(std::log10(ceiling)));
    const int ticks = std::abs(mantissa - 2.0) < 1e-6 ? 5 : 6;
    const double step = ceiling / (ticks - 1);
    const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    m_valueAxis->setRange(0, ceiling);
    m_valueAxis->setTickCount(ticks);
    m_valueAxis->setLabelFormat(u"%."_s + QString::number(decimals) + u"f"_s);
}

} // namespace QuantPush
