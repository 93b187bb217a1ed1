#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>

class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace QuantPush {

// A line chart over wall-clock time for the dashboard: a time axis, a value
// axis that rescales to the visible data with round numbers, and series
// replaced wholesale (QXYSeries::replace) once per update. No animations
// and no OpenGL (it crashes on the offscreen platform in Qt 6.4).
// The series are fixed at construction: in Qt Charts 6.4 a series attached
// after the chart is in a view loses its time axis (no labels, no grid).
class TimeSeriesChart : public QChartView
{
    Q_OBJECT

public:
    // One series per colour, in order.
    explicit TimeSeriesChart(const QList<QColor> &seriesColors, QWidget *parent = nullptr);

    void setSeriesName(int index, const QString &name);
    void setSeriesVisible(int index, bool visible);
    void setChartTitle(const QString &title);
    // The value axis never shows less than 0..top; 5 keeps counts on whole steps.
    void setMinimumTop(double top);
    void setPoints(int index, const QList<QPointF> &points);
    // The visible time span; also rescales the value axis to fit.
    void setTimeRange(qint64 fromMs, qint64 toMs);
    QLineSeries *series(int index) const;
    int seriesCount() const { return int(m_series.size()); }

    // The smallest 1, 2, 2.5 or 5 times a power of ten not below value.
    static double niceCeiling(double value);

private:
    void addSeries(const QColor &color);
    void rescaleValues();

    QChart *m_chart;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QList<QLineSeries *> m_series;
    double m_minimumTop = 1.0;
};

} // namespace QuantPush
