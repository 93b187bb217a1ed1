#pragma once

#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QValueAxis;

namespace QuantPush {

class StatsTimeline;
struct StatsSnapshot;

// Connection statistics from the latest stats body: how long connections
// last (a histogram of the open ones' ages and of the closed ones'
// durations), who is connected by network prefix, role and user, and each
// channel's live latency (10 s, 1 min, 5 min) and pending messages, and the
// nodes: this one alone, or with Redis every node alive, its connections and
// how long ago it last beat. Every table sorts by a click on its header; the
// search box narrows them all.
class StatisticsPage : public QWidget
{
    Q_OBJECT

public:
    explicit StatisticsPage(StatsTimeline *timeline, QWidget *parent = nullptr);

    enum Table { NetworkTable, RoleTable, UserTable, NodeTable, ChannelTable, TableCount };
    // Tests and screenshots read them through these.
    QTableView *table(Table table) const;
    QString tableTitle(Table table) const;
    QLineEdit *searchBox() const { return m_search; }
    QBarSet *openDurations() const { return m_openSet; }
    QBarSet *closedDurations() const { return m_closedSet; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    void refresh();
    void refreshDurations(const StatsSnapshot &stats);
    void refreshChannels(const StatsSnapshot &stats);
    void refreshNodes(const StatsSnapshot &stats);

    StatsTimeline *m_timeline;
    QLineEdit *m_search;
    QLabel *m_summary;
    QChart *m_chart;
    QChartView *m_chartView;
    QBarSet *m_openSet;
    QBarSet *m_closedSet;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_counts;
    QList<QLabel *> m_titles;
    QList<QStandardItemModel *> m_models;
    QList<QSortFilterProxyModel *> m_proxies;
    QList<QTableView *> m_views;
};

} // namespace QuantPush
