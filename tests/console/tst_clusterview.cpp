// The console's view of the nodes (Statistics page, "Nodes"), fed the stats
// bodies a server sends: none from an older server, one node with the local
// broker, every node alive with Redis, and Redis lost. The body shapes are
// the server's own (RedisBroker::describe, LocalBroker::describe), checked
// against real nodes in tst_cluster.

#include "StatisticsPage.h"
#include "StatsSnapshot.h"
#include "StatsTimeline.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace QuantPush {

class TestClusterView : public QObject
{
    Q_OBJECT

private slots:
    void olderServerSaysNotReported();
    void singleNodeIsOneRow();
    void redisListsEveryNodeAndMarksTheConsolesOwn();
    void redisLostSaysPublishesAreRefused();

private:
    static QJsonObject body(const QJsonObject &broker, int connections);
    // Feeds `body` to a fresh timeline and returns the node table's rows,
    // "node | connections | heartbeat", in the view's (sorted) order.
    QStringList show(const QJsonObject &body);

    StatsTimeline *m_timeline = nullptr;
    StatisticsPage *m_page = nullptr;
};

QJsonObject TestClusterView::body(const QJsonObject &broker, int connections)
{
    QJsonObject stats {{u"uptime_s"_s, 10}, {u"connections"_s, QJsonObject {{u"current"_s, connections}}}};
    if (!broker.isEmpty()) {
        stats.insert(u"node_id"_s, broker.value(u"node_id"_s));
        stats.insert(u"broker"_s, broker);
    }
    return stats;
}

QStringList TestClusterView::show(const QJsonObject &statsBody)
{
    delete m_page;
    delete m_timeline;
    m_timeline = new StatsTimeline;
    m_page = new StatisticsPage(m_timeline);
    const std::optional<StatsSnapshot> snapshot = StatsSnapshot::fromJson(statsBody);
    if (!snapshot)
        return {u"not a stats body"_s};
    m_timeline->addSnapshot(*snapshot, QDateTime::currentMSecsSinceEpoch());
    const QAbstractItemModel *model = m_page->table(StatisticsPage::NodeTable)->model();
    QStringList rows;
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells.append(model->index(row, column).data().toString());
        rows.append(cells.join(u" | "_s));
    }
    return rows;
}

void TestClusterView::olderServerSaysNotReported()
{
    QVERIFY(!StatsSnapshot::fromJson(body({}, 3))->broker);
    QCOMPARE(show(body({}, 3)), QStringList());
    QCOMPARE(m_page->tableTitle(StatisticsPage::NodeTable), StatisticsPage::tr("Nodes: not reported by this server"));
}

void TestClusterView::singleNodeIsOneRow()
{
    const QJsonObject local {{u"type"_s, u"local"_s}, {u"node_id"_s, u"local"_s}};
    QCOMPARE(show(body(local, 7)), QStringList {u"local (this console's) | 7 | —"_s});
    QVERIFY(m_page->tableTitle(StatisticsPage::NodeTable).contains(u"one node"_s));
}

void TestClusterView::redisListsEveryNodeAndMarksTheConsolesOwn()
{
    const auto node = [](const QString &id, int connections, double ageMs) {
        return QJsonObject {{u"node_id"_s, id}, {u"connections"_s, connections},
                            {u"last_beat_ms"_s, 1.7e12}, {u"beat_age_ms"_s, ageMs}};
    };
    QJsonObject redis {
        {u"type"_s, u"redis"_s}, {u"node_id"_s, u"ws-b"_s}, {u"available"_s, true}, {u"nodes_alive"_s, 3},
        {u"cluster_connections"_s, 1234},
        {u"nodes"_s, QJsonArray {node(u"ws-c"_s, 200, 2400), node(u"ws-a"_s, 1000, 400), node(u"ws-b"_s, 34, 0)}},
    };
    const QStringList rows = show(body(redis, 34));
    QCOMPARE(rows.size(), 3);
    // By node id; the console's own node named as such; ages in seconds.
    QVERIFY2(rows.at(0).startsWith(u"ws-a | "_s) && rows.at(0).contains(u"0.4"_s), qPrintable(rows.join(u'\n')));
    QVERIFY2(rows.at(1).startsWith(u"ws-b (this console's) | 34 | "_s), qPrintable(rows.at(1)));
    QVERIFY2(rows.at(2).startsWith(u"ws-c | 200 | "_s) && rows.at(2).contains(u"2.4"_s), qPrintable(rows.at(2)));
    const QString title = m_page->tableTitle(StatisticsPage::NodeTable);
    QVERIFY2(title.contains(u"3 alive"_s) && title.contains(QLocale().toString(1234)), qPrintable(title));

    // The search box narrows the node table like the others.
    m_page->searchBox()->setText(u"ws-c"_s);
    QCOMPARE(m_page->table(StatisticsPage::NodeTable)->model()->rowCount(), 1);

    // A server without beat_age_ms: the column says nothing rather than 0.
    redis.insert(u"nodes"_s, QJsonArray {QJsonObject {{u"node_id"_s, u"ws-b"_s}, {u"connections"_s, 34}}});
    QCOMPARE(show(body(redis, 34)), QStringList {u"ws-b (this console's) | 34 | —"_s});
}

void TestClusterView::redisLostSaysPublishesAreRefused()
{
    const QJsonObject lost {
        {u"type"_s, u"redis"_s}, {u"node_id"_s, u"ws-a"_s}, {u"available"_s, false},
        {u"unavailable_reason"_s, u"Connection refused"_s}, {u"nodes_alive"_s, 1}, {u"cluster_connections"_s, 5},
        {u"nodes"_s, QJsonArray {QJsonObject {{u"node_id"_s, u"ws-a"_s}, {u"connections"_s, 5}, {u"beat_age_ms"_s, 9000}}}},
    };
    const std::optional<StatsSnapshot> snapshot = StatsSnapshot::fromJson(body(lost, 5));
    QVERIFY(snapshot && snapshot->broker);
    QVERIFY(!snapshot->broker->available);
    QCOMPARE(show(body(lost, 5)).size(), 1);
    const QString title = m_page->tableTitle(StatisticsPage::NodeTable);
    QVERIFY2(title.contains(u"Connection refused"_s) && title.contains(u"refused"_s), qPrintable(title));
    QVERIFY(!title.contains(u"alive"_s));
}

} // namespace QuantPush

QTEST_MAIN(QuantPush::TestClusterView)
#include "tst_clusterview.moc"
