// A connection's replays from history are budgeted (review, session 26: a
// client looping subscribe {since: 0} / unsubscribe under the inbound rate
// limit pulled 140 MB/s of market_data history from two connections). The
// budget saves up a resume of every channel's whole history at once; past
// it a subscribe with `since` is refused with rate_limited and nothing is
// replayed, other connections resume as before, and the budget refills
// (limits.replay_messages_per_sec) as the server's clock moves on.
#include "Clock.h"
#include "TestServer.h"
#include "WebSocketManager.h"
#include "WsTestClient.h"

#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int History = 20;

ServerConfig budgetConfig()
{
    ServerConfig config = testConfig();
    for (ChannelConfig &channel : config.channels)
        channel.historySize = History; // burst: 8 channels x 20 = 160 messages
    config.limits.replayMessagesPerSec = 10;
    config.limits.inboundMessagesPerSec = 1000;
    config.limits.inboundBurst = 1000;
    return config;
}

QJsonObject resumeFromStart()
{
    return {{u"type"_s, u"strategy_status"_s}, {u"since"_s, 0}};
}

QString errorCode(const QJsonObject &reply)
{
    return reply.value(u"data"_s).toObject().value(u"code"_s).toString();
}

} // namespace

class tst_ReplayBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resumesPastTheBudgetAreRefused();
};

void tst_ReplayBudget::resumesPastTheBudgetAreRefused()
{
    FakeClock clock;
    auto server = startServer(budgetConfig(), &clock);
    QVERIFY(server);
    for (int i = 0; i < History; ++i)
        server->broadcastStrategyStatus({{u"strategy_id"_s, u"s1"_s}, {u"n"_s, i}});

    WsTestClient looper;
    QVERIFY(looper.open(webSocketUrl(*server)));
    // 160 messages saved up: eight whole resumes of 20.
    for (int round = 1; round <= 8; ++round) {
        const auto reply = looper.subscribe(resumeFromStart());
        QVERIFY(reply);
        QCOMPARE(reply->value(u"type"_s).toString(), u"subscribed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(looper.pushesOn(u"strategy_status"_s).size(), round * History, 10000);
        QVERIFY(looper.request({{u"type"_s, u"unsubscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, u"strategy_status"_s}}}}));
    }
    const auto refused = looper.subscribe(resumeFromStart());
    QVERIFY(refused);
    QCOMPARE(refused->value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(errorCode(*refused), u"rate_limited"_s);
    QVERIFY(refused->value(u"data"_s).toObject().value(u"message"_s).toString().contains(u"replay_messages_per_sec"_s));
    QVERIFY(!looper.isClosed());

    // Another connection has a budget of its own.
    WsTestClient other;
    QVERIFY(other.open(webSocketUrl(*server)));
    const auto resumed = other.subscribe(resumeFromStart());
    QVERIFY(resumed);
    QCOMPARE(resumed->value(u"type"_s).toString(), u"subscribed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(other.pushesOn(u"strategy_status"_s).size(), History, 10000);

    // Two seconds refill 20: one more resume fits.
    clock.advance(2000);
    const auto again = looper.subscribe(resumeFromStart());
    QVERIFY(again);
    QCOMPARE(again->value(u"type"_s).toString(), u"subscribed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(looper.pushesOn(u"strategy_status"_s).size(), 9 * History, 10000);
    // A subscribe without since replays nothing and costs nothing.
    QVERIFY(looper.request({{u"type"_s, u"unsubscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, u"strategy_status"_s}}}}));
    const auto live = looper.subscribe({{u"type"_s, u"strategy_status"_s}});
    QVERIFY(live);
    QCOMPARE(live->value(u"type"_s).toString(), u"subscribed"_s);
}

QTEST_MAIN(tst_ReplayBudget)
#include "tst_replaybudget.moc"
