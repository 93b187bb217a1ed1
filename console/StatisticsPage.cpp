#include "StatisticsPage.h"

#include "Formatting.h"
#include "StatsTimeline.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

// Numbers sort as numbers: the display text is formatted, the sort role is not.
QStandardItem *numberItem(double value, const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setData(value, Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QStandardItem *textItem(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setData(text, Qt::UserRole);
    return item;
}

} // namespace

StatisticsPage::StatisticsPage(StatsTimeline *timeline, QWidget *parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_search(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_chart(new QChart)
    , m_chartView(new QChartView(m_chart, this))
    , m_openSet(new QBarSet(QString()))
    , m_closedSet(new QBarSet(QString()))
    , m_categories(new QBarCategoryAxis)
    , m_counts(new QValueAxis)
{
    m_search->setClearButtonEnabled(true);
    auto *series = new QBarSeries;
    m_openSet->setColor(QColor(0x2f, 0x6f, 0xb0));
    m_closedSet->setColor(QColor(0xd9, 0x82, 0x2b));
    series->append(m_openSet);
    series->append(m_closedSet);
    m_chart->addSeries(series);
    m_chart->addAxis(m_categories, Qt::AlignBottom);
    m_chart->addAxis(m_counts, Qt::AlignLeft);
    series->attachAxis(m_categories);
    series->attachAxis(m_counts);
    m_counts->setLabelFormat(u"%d"_s);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);

    const int columns[TableCount] = {2, 2, 2, 3, 7};
    for (int t = 0; t < TableCount; ++t) {
        auto *model = new QStandardItemModel(0, columns[t], this);
        auto *proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(model);
        proxy->setSortRole(Qt::UserRole);
        proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy->setFilterKeyColumn(0);
        auto *view = new QTableView(this);
        view->setModel(proxy);
        view->setSortingEnabled(true);
        const bool byName = t == ChannelTable || t == NodeTable;
        view->sortByColumn(byName ? 0 : 1, byName ? Qt::AscendingOrder : Qt::DescendingOrder);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->setAlternatingRowColors(true);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(t != ChannelTable);
        if (t == ChannelTable)
            view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
        if (t == NodeTable) // "ws-a (this console's)" on one line
            view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
        m_models.append(model);
        m_proxies.append(proxy);
        m_views.append(view);
        m_titles.append(new QLabel(this));
    }
    // Its title carries the cluster's state, which may be long.
    m_titles[NodeTable]->setWordWrap(true);
    buildLayout();
    retranslate();

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (QSortFilterProxyModel *proxy : std::as_const(m_proxies))
            proxy->setFilterFixedString(text.trimmed());
    });
    connect(m_timeline, &StatsTimeline::updated, this, &StatisticsPage::refresh);
    refresh();
}

QTableView *StatisticsPage::table(Table table) const { return m_views.at(table); }

QString StatisticsPage::tableTitle(Table table) const { return m_titles.at(table)->text(); }

void StatisticsPage::buildLayout()
{
    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addSpacing(16);
    top->addWidget(m_summary);

    auto *tables = new QGridLayout;
    tables->setSpacing(8);
    for (int t = NetworkTable; t <= NodeTable; ++t) {
        tables->addWidget(m_titles.at(t), 0, t, Qt::AlignBottom); // in line when one wraps
        tables->addWidget(m_views.at(t), 1, t);
    }

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_chartView, 3);
    layout->addLayout(tables, 3);
    layout->addWidget(m_titles.at(ChannelTable));
    layout->addWidget(m_views.at(ChannelTable), 3);
}

void StatisticsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refresh();
    }
    QWidget::changeEvent(event);
}

void StatisticsPage::retranslate()
{
    m_search->setPlaceholderText(tr("Search networks, roles, users, nodes and channels…"));
    m_chart->setTitle(tr("How long connections last"));
    m_openSet->setLabel(tr("Open now (age)"));
    m_closedSet->setLabel(tr("Closed since start (duration)"));
    m_counts->setTitleText(tr("Connections"));
    m_titles[NetworkTable]->setText(tr("By network"));
    m_titles[RoleTable]->setText(tr("By role"));
    m_titles[UserTable]->setText(tr("By user"));
    m_titles[NodeTable]->setText(tr("Nodes"));
    m_titles[ChannelTable]->setText(tr("Channels: live latency and pending messages"));
    m_models[NetworkTable]->setHorizontalHeaderLabels({tr("Network"), tr("Connections")});
    m_models[RoleTable]->setHorizontalHeaderLabels({tr("Role"), tr("Connections")});
    m_models[UserTable]->setHorizontalHeaderLabels({tr("User"), tr("Connections")});
    m_models[NodeTable]->setHorizontalHeaderLabels({tr("Node"), tr("Connections"), tr("Last heartbeat")});
    m_models[ChannelTable]->setHorizontalHeaderLabels({tr("Channel"), tr("Subscriptions"), tr("Pending"),
                                                       tr("p50, 10 s"), tr("p99, 10 s"), tr("p99, 1 min"),
                                                       tr("p99, 5 min")});
}

void StatisticsPage::refresh()
{
    const std::optional<StatsTimeline::Point> latest = m_timeline->latest();
    if (!latest) {
        m_summary->setText(tr("Waiting for the first statistics…"));
        return;
    }
    const StatsSnapshot &stats = latest->stats;
    m_summary->setText(tr("%n connection(s) open, updated %1", nullptr, int(stats.connections))
                           .arg(Format::clockTime(latest->timeMs)));
    const QHash<QString, qint64> *counts[] = {&stats.byNetwork, &stats.byRole, &stats.byUser};
    for (int t = NetworkTable; t <= UserTable; ++t) {
        QStandardItemModel *model = m_models[t];
        model->removeRows(0, model->rowCount());
        for (auto it = counts[t]->constBegin(); it != counts[t]->constEnd(); ++it) {
            // "-" is how the server counts connections not authenticated yet.
            const QString name = it.key() == u"-"_s ? tr("(not authenticated)") : it.key();
            model->appendRow({textItem(name), numberItem(double(it.value()), Format::count(it.value()))});
        }
    }
    refreshDurations(stats);
    refreshChannels(stats);
    refreshNodes(stats);
    for (QSortFilterProxyModel *proxy : std::as_const(m_proxies))
        proxy->invalidate();
}

void StatisticsPage::refreshDurations(const StatsSnapshot &stats)
{
    const std::optional<StatsSnapshot::Histogram> &open = stats.openDurations;
    const std::optional<StatsSnapshot::Histogram> &closed = stats.closedDurations;
    const StatsSnapshot::Histogram *shape = open ? &*open : closed ? &*closed : nullptr;
    m_openSet->remove(0, m_openSet->count());
    m_closedSet->remove(0, m_closedSet->count());
    if (!shape)
        return;
    QStringList labels;
    double previous = 0;
    for (double bound : shape->upperBounds) {
        const auto span = [this](double seconds) {
            if (seconds < 60)
                return tr("%1 s").arg(seconds);
            if (seconds < 3600)
                return tr("%1 min").arg(seconds / 60);
            return tr("%1 h").arg(seconds / 3600);
        };
        labels.append(std::isinf(bound) ? tr("> %1").arg(span(previous)) : tr("≤ %1").arg(span(bound)));
        previous = bound;
    }
    m_categories->setCategories(labels);
    qint64 top = 1;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const qint64 o = open && i < open->counts.size() ? open->counts.at(i) : 0;
        const qint64 c = closed && i < closed->counts.size() ? closed->counts.at(i) : 0;
        m_openSet->append(double(o));
        m_closedSet->append(double(c));
        top = std::max({top, o, c});
    }
    // Whole connections on the axis: one tick per count while few, else
    // Qt's nice numbers.
    const qint64 axisTop = top + 1;
    m_counts->setRange(0, double(axisTop));
    if (axisTop <= 10)
        m_counts->setTickCount(int(axisTop) + 1);
    else
        m_counts->applyNiceNumbers();
}

void StatisticsPage::refreshChannels(const StatsSnapshot &stats)
{
    QStandardItemModel *model = m_models[ChannelTable];
    model->removeRows(0, model->rowCount());
    for (auto it = stats.channels.constBegin(); it != stats.channels.constEnd(); ++it) {
        const StatsSnapshot::ChannelCounters &c = it.value();
        QList<QStandardItem *> row {textItem(it.key()),
                                    numberItem(double(c.subscriptions), Format::count(c.subscriptions)),
                                    numberItem(double(c.pending), Format::count(c.pending))};
        const auto latencyItem = [](const std::optional<StatsSnapshot::Latency> &latency, bool p50) {
            if (!latency || latency->count == 0)
                return numberItem(-1, u"—"_s);
            const double ms = p50 ? latency->p50Ms : latency->p99Ms;
            return numberItem(ms, Format::milliseconds(ms));
        };
        row.append(latencyItem(c.latency[StatsSnapshot::TenSeconds], true));
        row.append(latencyItem(c.latency[StatsSnapshot::TenSeconds], false));
        row.append(latencyItem(c.latency[StatsSnapshot::OneMinute], false));
        row.append(latencyItem(c.latency[StatsSnapshot::FiveMinutes], false));
        model->appendRow(row);
    }
}

void StatisticsPage::refreshNodes(const StatsSnapshot &stats)
{
    QStandardItemModel *model = m_models[NodeTable];
    model->removeRows(0, model->rowCount());
    QLabel *title = m_titles[NodeTable];
    title->setStyleSheet(QString());
    if (!stats.broker) {
        title->setText(tr("Nodes: not reported by this server"));
        return;
    }
    const StatsSnapshot::Broker &broker = *stats.broker;
    const auto nodeItem = [&](const QString &nodeId) {
        // The console's own node is the one that sent these stats.
        return textItem(nodeId == broker.nodeId ? tr("%1 (this console's)").arg(nodeId) : nodeId);
    };
    if (broker.type != u"redis"_s) {
        title->setText(tr("Nodes: one node, nothing shared (no broker)"));
        model->appendRow({nodeItem(broker.nodeId), numberItem(double(stats.connections), Format::count(stats.connections)),
                          numberItem(-1, u"—"_s)});
        return;
    }
    for (const StatsSnapshot::ClusterNode &node : broker.nodes) {
        QStandardItem *beat = node.beatAgeMs
            ? numberItem(*node.beatAgeMs, tr("%1 s ago").arg(QLocale().toString(*node.beatAgeMs / 1000.0, 'f', 1)))
            : numberItem(-1, u"—"_s);
        model->appendRow({nodeItem(node.nodeId), numberItem(double(node.connections), Format::count(node.connections)),
                          beat});
    }
    if (broker.available) {
        title->setText(tr("Nodes on Redis: %n alive; connections in all: %1", nullptr, int(broker.nodes.size()))
                           .arg(Format::count(broker.clusterConnections)));
    } else {
        // Publishes are refused until Redis is back; the list is the last one read.
        title->setText(tr("Redis unavailable (%1): publishes are refused; nodes as last seen")
                           .arg(broker.unavailableReason));
        title->setStyleSheet(u"color: #c0392b; font-weight: bold;"_s);
    }
}

} // namespace QuantPush
