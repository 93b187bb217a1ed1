// The console tells the truth about now: live latency, targeted broadcasts,
// connection statistics. A real server in the same process (127.0.0.1,
// port 0), the real MainWindow on the offscreen platform.

#include "BroadcastComposer.h"
#include "BroadcastHistoryModel.h"
#include "ConsoleController.h"
#include "DashboardPage.h"
#include "JsonEditor.h"
#include "LanguageManager.h"
#include "MainWindow.h"
#include "StatTile.h"
#include "StatisticsPage.h"
#include "TimeSeriesChart.h"

#include "TestServer.h"
#include "auth/JwtSigner.h"

#include <QBarSet>
#include <QComboBox>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <memory>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Secret = QByteArrayLiteral("tst_consolelive-secret-0123456789abcdef");

QString signToken(const QString &user, const QString &role)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return QString::fromLatin1(JwtSigner::sign({{u"sub"_s, user}, {u"role"_s, role}, {u"exp"_s, now + 3600}}, Secret));
}

QByteArray maskedTextFrame(const QByteArray &payload)
{
    // Client frames must be masked; a zero mask key leaves the payload as is.
    QByteArray frame;
    frame.append(char(0x81));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8));
        frame.append(char(payload.size() & 0xff));
    }
    frame.append(QByteArray(4, '\0'));
    frame.append(payload);
    return frame;
}

// A subscriber on a bare TCP socket that can stop reading: while paused,
// nothing is taken from the kernel, its window closes, and the server's
// frames for it wait in its session queue.
class StallingReader : public QObject
{
public:
    StallingReader(quint16 port, const QString &token)
    {
        m_socket.setReadBufferSize(4096);
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
            if (m_paused)
                return;
            const QByteArray data = m_socket.readAll();
            bytesRead += data.size();
            if (!m_upgraded && data.startsWith("HTTP/1.1 101")) {
                m_upgraded = true;
                m_socket.write(maskedTextFrame(R"({"type":"subscribe","id":"s1","data":{"type":"market_data"}})"));
            }
        });
        connect(&m_socket, &QTcpSocket::connected, this, [this, token] {
            // A small fixed receive buffer (no autotuning): the stall backs up
            // into the server after a few hundred KiB, not many MiB.
            m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
            m_socket.write("GET /ws?token=" + token.toLatin1()
                           + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        });
        m_socket.connectToHost(u"127.0.0.1"_s, port);
    }
    void pause() { m_paused = true; }
    void resume()
    {
        m_paused = false;
        m_socket.setReadBufferSize(0);
        bytesRead += m_socket.readAll().size();
    }
    qint64 bytesRead = 0;

private:
    QTcpSocket m_socket;
    bool m_paused = false;
    bool m_upgraded = false;
};

// A protocol client on QWebSocket that records pushes per channel.
class Subscriber : public QObject
{
public:
    Subscriber(const QUrl &url, const QString &token, const QString &channel)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this, channel](const QString &text) {
            const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = frame.value("type"_L1).toString();
            if (type == "welcome"_L1)
                sessionId = frame.value("data"_L1).toObject().value("session_id"_L1).toString();
            else if (type == "subscribed"_L1)
                subscribed = true;
            else if (frame.value("channel"_L1).toString() == channel)
                pushes.append(frame.value("data"_L1).toObject());
        });
        connect(&m_socket, &QWebSocket::connected, this, [this, channel] {
            m_socket.sendTextMessage(u"{\"type\":\"subscribe\",\"data\":{\"type\":\"%1\"}}"_s.arg(channel));
        });
        QUrl withToken = url;
        withToken.setQuery(u"token="_s + token);
        m_socket.open(withToken);
    }
    QString sessionId;
    bool subscribed = false;
    QList<QJsonObject> pushes;

private:
    QWebSocket m_socket;
};

// "1,204 ms" -> 1204 (the English formats of Format::milliseconds).
double tileMilliseconds(const StatTile *tile)
{
    QString text = tile->value();
    text.remove(u","_s).remove(u" ms"_s);
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? value : -1;
}

double lastY(const QLineSeries *series)
{
    return series->count() > 0 ? series->at(series->count() - 1).y() : -1;
}

} // namespace

class TestConsoleLive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void latencySpikeRisesAndFallsBack();
    void composerTargetsARoleWithAPreview();
    void statisticsPageListsWhoIsConnected();

private:
    QUrl url() const { return webSocketUrl(*m_server); }

    std::unique_ptr<WebSocketManager> m_server;
    std::unique_ptr<LanguageManager> m_languages;
    std::unique_ptr<ConsoleController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void TestConsoleLive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"QuantPushTest"_s);
    QCoreApplication::setApplicationName(u"tst_consolelive"_s);
    QSettings().clear();

    ServerConfig config = testConfig();
    config.websocket.authRequired = true;
    config.auth.jwtSecret = QString::fromLatin1(Secret);
    // A stalled reader queues frames after a few KiB instead of megabytes.
    config.limits.maxPendingBytes = 16 * 1024;
    m_server = startServer(config);
    QVERIFY(m_server);

    m_languages = std::make_unique<LanguageManager>();
    m_languages->apply(u"en"_s);
    m_controller = std::make_unique<ConsoleController>();
    m_window = std::make_unique<MainWindow>(m_controller.get(), m_languages.get());
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    ServerProfile profile;
    profile.url = url();
    profile.credential = ServerProfile::Credential::Token;
    profile.secret = signToken(u"console"_s, u"admin"_s);
    m_controller->connectTo(profile);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isConnected(), 10000);
}

void TestConsoleLive::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
    if (m_server)
        m_server->stop();
    m_server.reset();
}

void TestConsoleLive::latencySpikeRisesAndFallsBack()
{
    DashboardPage *dashboard = m_window->dashboard();
    m_window->showPage(MainWindow::DashboardPageIndex);
    dashboard->setChannel(QString());
    StatTile *p99Tile = dashboard->tile(DashboardPage::LatencyTile);
    QLineSeries *p99Series = dashboard->latencyChart()->series(1);

    // The batched channel runs: 16 KiB ticks every 10 ms.
    const QString pad(16 * 1024, u'x');
    int ticks = 0;
    QTimer feed;
    feed.setInterval(10);
    connect(&feed, &QTimer::timeout, this, [&] { m_server->broadcastMarketData({{u"i"_s, ++ticks}, {u"pad"_s, pad}}); });
    StallingReader reader(m_server->port(), signToken(u"slow"_s, u"trader"_s));
    feed.start();

    // Healthy first: the live p99 is a batch interval, not seconds.
    QTRY_VERIFY_WITH_TIMEOUT(reader.bytesRead > 100 * 1024, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(tileMilliseconds(p99Tile) > 0 && tileMilliseconds(p99Tile) < 300, 10000);
    const double healthy = tileMilliseconds(p99Tile);

    // The reader stops: its frames queue in the server, then it catches up.
    reader.pause();
    const auto queued = [&] {
        return m_server->statsJson().value(u"queues"_s).toObject().value(u"queued_frames"_s).toInt();
    };
    QTRY_VERIFY_WITH_TIMEOUT(queued() > 0, 30000);
    QTest::qWait(2500); // the stall itself: what the frames wait is the spike
    reader.resume();
    QTRY_COMPARE_WITH_TIMEOUT(queued(), 0, 10000);

    // Within 5 s the tile and the chart show it.
    QTRY_VERIFY2_WITH_TIMEOUT(tileMilliseconds(p99Tile) > 1000, qPrintable(p99Tile->value()), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(lastY(p99Series) > 1000, 5000);

    // And once the spike is out of the server's 10 s window, they come back
    // down, while the lifetime p99 still remembers it.
    QTRY_VERIFY2_WITH_TIMEOUT(tileMilliseconds(p99Tile) > 0 && tileMilliseconds(p99Tile) < 300,
                              qPrintable(p99Tile->value()), 25000);
    QTRY_VERIFY_WITH_TIMEOUT(lastY(p99Series) < 300, 5000);
    const double lifetimeP99 = m_server->statsJson().value(u"latency"_s).toObject().value(u"p99_ms"_s).toDouble();
    QVERIFY2(lifetimeP99 > 1000, qPrintable(u"lifetime p99 %1 ms, healthy %2 ms"_s.arg(lifetimeP99).arg(healthy)));
    feed.stop();
}

void TestConsoleLive::composerTargetsARoleWithAPreview()
{
    Subscriber trader1(url(), signToken(u"tina"_s, u"trader"_s), u"strategy_status"_s);
    Subscriber trader2(url(), signToken(u"tom"_s, u"trader"_s), u"strategy_status"_s);
    Subscriber viewer(url(), signToken(u"vic"_s, u"viewer"_s), u"strategy_status"_s);
    QTRY_VERIFY_WITH_TIMEOUT(trader1.subscribed && trader2.subscribed && viewer.subscribed, 10000);

    BroadcastComposer *composer = m_window->composer();
    m_window->showPage(MainWindow::ComposerPageIndex);
    composer->setChannel(u"strategy_status"_s);
    composer->payloadEditor()->setText(u"{\"strategy\": \"momentum\", \"state\": \"paused\", \"marker\": \"role-1\"}"_s);

    // The picker is fed by the connection table: "trader" appears there.
    composer->targetCombo()->setCurrentIndex(int(BroadcastComposer::Target::Role));
    QTRY_VERIFY_WITH_TIMEOUT(composer->targetValueCombo()->findData(u"viewer"_s) >= 0, 10000);
    const int traderIndex = composer->targetValueCombo()->findData(u"trader"_s);
    QVERIFY(traderIndex >= 0);
    composer->targetValueCombo()->setCurrentIndex(traderIndex);
    QCOMPARE(composer->recipientFilter(), QJsonObject({{u"role"_s, u"trader"_s}}));

    QTRY_VERIFY(composer->previewButton()->isEnabled());
    QTest::mouseClick(composer->previewButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(composer->previewedRecipients(), 2, 5000);
    QVERIFY2(composer->previewText().contains(u"2"_s), qPrintable(composer->previewText()));
    QCOMPARE(m_server->statsJson().value(u"channels"_s).toObject().value(u"strategy_status"_s).toObject()
                 .value(u"seq"_s).toInt(), 0); // the preview published nothing

    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    BroadcastHistoryModel *history = composer->history();
    QTRY_COMPARE_WITH_TIMEOUT(history->entry(0).state, BroadcastHistoryModel::Entry::State::Published, 5000);
    QCOMPARE(history->entry(0).recipients, composer->previewedRecipients());
    QCOMPARE(history->data(history->index(0, BroadcastHistoryModel::Target), Qt::DisplayRole).toString(),
             u"role trader"_s);
    QTRY_COMPARE(trader1.pushes.size(), 1);
    QTRY_COMPARE(trader2.pushes.size(), 1);
    QCOMPARE(trader1.pushes.first().value("marker"_L1).toString(), u"role-1"_s);

    // Then to everyone: the viewer's only message is this one.
    composer->targetCombo()->setCurrentIndex(int(BroadcastComposer::Target::Everyone));
    composer->payloadEditor()->setText(u"{\"marker\": \"all-1\"}"_s);
    QTest::mouseClick(composer->previewButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(composer->previewedRecipients() >= 3, 5000);
    const qint64 everyone = composer->previewedRecipients();
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(history->entry(0).state, BroadcastHistoryModel::Entry::State::Published, 5000);
    QCOMPARE(history->entry(0).recipients, everyone);
    QTRY_COMPARE(viewer.pushes.size(), 1);
    QCOMPARE(viewer.pushes.first().value("marker"_L1).toString(), u"all-1"_s);

    // By session: exactly that connection.
    composer->targetCombo()->setCurrentIndex(int(BroadcastComposer::Target::Session));
    QTRY_VERIFY_WITH_TIMEOUT(composer->targetValueCombo()->findData(trader2.sessionId) >= 0, 10000);
    composer->setTarget(BroadcastComposer::Target::Session, trader2.sessionId);
    composer->payloadEditor()->setText(u"{\"marker\": \"one-1\"}"_s);
    QTest::mouseClick(composer->previewButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(composer->previewedRecipients(), 1, 5000);
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QTRY_COMPARE(trader2.pushes.size(), 3);
    QCOMPARE(trader1.pushes.size(), 2);
}

void TestConsoleLive::statisticsPageListsWhoIsConnected()
{
    Subscriber alice(url(), signToken(u"alice"_s, u"trader"_s), u"performance_metrics"_s);
    Subscriber bob(url(), signToken(u"bob"_s, u"viewer"_s), u"performance_metrics"_s);
    QTRY_VERIFY_WITH_TIMEOUT(alice.subscribed && bob.subscribed, 10000);
    StatisticsPage *page = m_window->statisticsPage();
    m_window->showPage(MainWindow::StatisticsPageIndex);

    QTableView *users = page->table(StatisticsPage::UserTable);
    const auto rowOf = [](QTableView *view, const QString &name) {
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            if (view->model()->index(row, 0).data().toString() == name)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(users, u"alice"_s) >= 0 && rowOf(users, u"bob"_s) >= 0, 10000);
    QCOMPARE(users->model()->index(rowOf(users, u"alice"_s), 1).data().toString(), u"1"_s);

    // The figures are the server's.
    const QJsonObject connections = m_server->statsJson().value(u"connections"_s).toObject();
    QTableView *roles = page->table(StatisticsPage::RoleTable);
    QTRY_COMPARE(roles->model()->rowCount(), int(connections.value(u"by_role"_s).toObject().size()));
    QTableView *networks = page->table(StatisticsPage::NetworkTable);
    QCOMPARE(networks->model()->index(rowOf(networks, u"127.0.0.0/24"_s), 1).data().toString(),
             QString::number(connections.value(u"by_network"_s).toObject().value(u"127.0.0.0/24"_s).toInt()));
    double openTotal = 0;
    for (int i = 0; i < page->openDurations()->count(); ++i)
        openTotal += page->openDurations()->at(i);
    QCOMPARE(int(openTotal), connections.value(u"current"_s).toInt());

    // Sorting by count puts the most connected first; search narrows every table.
    users->sortByColumn(1, Qt::DescendingOrder);
    const int first = users->model()->index(0, 1).data(Qt::UserRole).toInt();
    const int last = users->model()->index(users->model()->rowCount() - 1, 1).data(Qt::UserRole).toInt();
    QVERIFY(first >= last);
    page->searchBox()->setText(u"ALI"_s);
    QCOMPARE(users->model()->rowCount(), 1);
    QCOMPARE(users->model()->index(0, 0).data().toString(), u"alice"_s);
    QCOMPARE(roles->model()->rowCount(), 0);
    page->searchBox()->setText(u"perform"_s);
    QTableView *channels = page->table(StatisticsPage::ChannelTable);
    QCOMPARE(channels->model()->rowCount(), 1);
    QCOMPARE(channels->model()->index(0, 1).data(Qt::UserRole).toInt(), 2); // two subscriptions
    page->searchBox()->clear();
}

QTEST_MAIN(TestConsoleLive)
#include "tst_consolelive.moc"
