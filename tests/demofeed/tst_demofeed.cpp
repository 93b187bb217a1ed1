#include "demo/DemoFeed.h"
#include "demo/MomentumStrategy.h"
#include "demo/ProcessSampler.h"
#include "demo/RandomWalk.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <QFile>
#include <QThread>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;

Q_DECLARE_METATYPE(QuantPush::Side)

namespace {

// Feeds `count` prices moving linearly from `from` to `to`; returns the
// signals they produced.
QList<TradeSignal> feedLine(MomentumStrategy &strategy, const QString &symbol, double from, double to, int count)
{
    QList<TradeSignal> found;
    for (int i = 0; i < count; ++i) {
        const double price = from + (to - from) * double(i) / double(qMax(1, count - 1));
        if (const auto signal = strategy.onTick(symbol, price))
            found.append(*signal);
    }
    return found;
}

// A full long window trending one way, then a single jump the other way.
std::optional<TradeSignal> crossoverAfterJump(double jump)
{
    MomentumStrategy strategy(10, 40);
    const QList<TradeSignal> warmup = feedLine(strategy, u"TESTUSDT"_s, 110.0, 100.0, 40);
    if (!warmup.isEmpty())
        return std::nullopt;
    return strategy.onTick(u"TESTUSDT"_s, 100.0 + jump);
}

PublishRequest requestAt(const QSignalSpy &spy, qsizetype i)
{
    return spy.at(i).at(0).value<PublishRequest>();
}

void burnCpu(int ms)
{
    QElapsedTimer timer;
    timer.start();
    volatile double sink = 0;
    while (timer.elapsed() < ms) {
        for (int i = 0; i < 10000; ++i)
            sink = sink + std::sqrt(double(i));
    }
}

DemoConfig fastConfig()
{
    DemoConfig config;
    config.enabled = true;
    config.symbols = {u"BTCUSDT"_s, u"ETHUSDT"_s, u"SOLUSDT"_s, u"DEMOUSDT"_s};
    config.accounts = {u"TEST-ALPHA"_s, u"TEST-BETA"_s};
    config.tickIntervalMs = 5;
    config.strategyStatusIntervalMs = 40;
    config.systemMonitorIntervalMs = 40;
    config.performanceIntervalMs = 40;
    config.orderIntervalMs = 10;
    config.riskAlertProbability = 1.0;
    return config;
}

} // namespace

class TestDemoFeed : public QObject
{
    Q_OBJECT

private slots:
    void randomWalkIsDeterministicPerSeed();
    void randomWalkQuotes_data();
    void randomWalkQuotes();

    void momentumCrossover_data();
    void momentumCrossover();
    void priorityMonotoneInStrength_data();
    void priorityMonotoneInStrength();
    void strongerCrossoverRanksHigher_data();
    void strongerCrossoverRanksHigher();

    void processSamplerReadsProc();
    void processSamplerCountsOpenFds();
    void processSamplerCountsRunQueueWait();

    void feedPublishesAllChannels();
    void feedOrdersStayInConfiguredAccounts();
    void feedPublishesPositionAfterFill();
    void feedStopsPublishing();
};

void TestDemoFeed::randomWalkIsDeterministicPerSeed()
{
    const QStringList symbols {u"BTCUSDT"_s, u"ETHUSDT"_s, u"SOLUSDT"_s};
    RandomWalk a(symbols, 7);
    RandomWalk b(symbols, 7);
    RandomWalk c(symbols, 8);
    bool differs = false;
    for (int i = 0; i < 200; ++i) {
        const QList<MarketTick> ta = a.stepAll();
        const QList<MarketTick> tb = b.stepAll();
        const QList<MarketTick> tc = c.stepAll();
        QCOMPARE(ta.size(), 3);
        for (qsizetype j = 0; j < ta.size(); ++j) {
            QCOMPARE(ta[j].symbol, tb[j].symbol);
            QCOMPARE(ta[j].price, tb[j].price);
            QCOMPARE(ta[j].bid, tb[j].bid);
            QCOMPARE(ta[j].ask, tb[j].ask);
            QCOMPARE(ta[j].volume, tb[j].volume);
            QCOMPARE(ta[j].changePct, tb[j].changePct);
            differs = differs || ta[j].price != tc[j].price;
        }
    }
    QVERIFY2(differs, "another seed must give another market");

    // Reseeding replays from the start prices.
    a.setSeed(7);
    RandomWalk fresh(symbols, 7);
    QCOMPARE(a.step(u"ETHUSDT"_s).price, fresh.step(u"ETHUSDT"_s).price);
}

void TestDemoFeed::randomWalkQuotes_data()
{
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<double>("start");
    QTest::newRow("BTCUSDT") << u"BTCUSDT"_s << 65000.0;
    QTest::newRow("ETHUSDT") << u"ETHUSDT"_s << 3400.0;
    QTest::newRow("SOLUSDT") << u"SOLUSDT"_s << 150.0;
    QTest::newRow("XRPUSDT") << u"XRPUSDT"_s << 0.62;
    QTest::newRow("unknown symbol") << u"ZZZUSDT"_s << RandomWalk::startPriceOf(u"ZZZUSDT"_s);
}

void TestDemoFeed::randomWalkQuotes()
{
    QFETCH(QString, symbol);
    QFETCH(double, start);
    QVERIFY(start >= 0.1 && start <= 70000);
    if (!symbol.startsWith(u"BTC") && !symbol.startsWith(u"ETH") && !symbol.startsWith(u"XRP"))
        QVERIFY(start >= 1.0 && start <= 600.0);

    RandomWalk walk({symbol}, 42);
    const MarketTick first = walk.step(symbol);
    QVERIFY2(std::abs(first.price / start - 1.0) < 0.01, "the first tick starts near the start price");
    for (int i = 0; i < 2000; ++i) {
        const MarketTick tick = walk.step(symbol);
        QCOMPARE(tick.symbol, symbol);
        QVERIFY(tick.price > 0);
        QVERIFY2(tick.bid < tick.price && tick.price < tick.ask,
                 qPrintable(u"%1 %2 %3"_s.arg(tick.bid).arg(tick.price).arg(tick.ask)));
        QVERIFY(tick.volume > 0);
        QVERIFY(tick.tsMs > 0);
        // change_pct is computed from the unrounded price: equal to 4 decimals.
        QVERIFY(std::abs(tick.changePct - (tick.price / start - 1.0) * 100.0) < 1e-3);
    }
    const QJsonObject json = walk.step(symbol).toJson();
    QCOMPARE(json.value(u"symbol"_s).toString(), symbol);
    QCOMPARE(json.value(u"key"_s).toString(), symbol);
    for (const auto &field : {u"price"_s, u"bid"_s, u"ask"_s, u"volume"_s, u"change_pct"_s, u"ts_ms"_s})
        QVERIFY2(json.value(field).isDouble(), qPrintable(field));
}

void TestDemoFeed::momentumCrossover_data()
{
    QTest::addColumn<double>("trendFrom");
    QTest::addColumn<double>("trendTo");
    QTest::addColumn<double>("reverseTo");
    QTest::addColumn<Side>("expected");
    QTest::newRow("down then up: buy") << 110.0 << 100.0 << 130.0 << Side::Buy;
    QTest::newRow("up then down: sell") << 100.0 << 110.0 << 80.0 << Side::Sell;
    QTest::newRow("small prices, buy") << 0.70 << 0.60 << 0.80 << Side::Buy;
    QTest::newRow("large prices, sell") << 60000.0 << 66000.0 << 55000.0 << Side::Sell;
}

void TestDemoFeed::momentumCrossover()
{
    QFETCH(double, trendFrom);
    QFETCH(double, trendTo);
    QFETCH(double, reverseTo);
    QFETCH(Side, expected);

    MomentumStrategy strategy(10, 40);
    QCOMPARE(strategy.name(), u"momentum_ma_10_40"_s);
    const QString symbol = u"TESTUSDT"_s;
    QVERIFY2(feedLine(strategy, symbol, trendFrom, trendTo, 60).isEmpty(), "a steady trend never crosses");
    QVERIFY(strategy.isWarm(symbol));

    const QList<TradeSignal> found = feedLine(strategy, symbol, trendTo, reverseTo, 30);
    QCOMPARE(found.size(), 1);
    const TradeSignal &signal = found.first();
    QCOMPARE(signal.side, expected);
    QCOMPARE(signal.symbol, symbol);
    QCOMPARE(signal.strategy, u"momentum_ma_10_40"_s);
    QVERIFY(signal.strength >= 0.0 && signal.strength <= 1.0);
    QCOMPARE(signal.priority, MomentumStrategy::priorityForStrength(signal.strength));
    QVERIFY(expected == Side::Buy ? signal.shortMa > signal.longMa : signal.shortMa < signal.longMa);
    QCOMPARE(strategy.signalCount(), 1);

    const QJsonObject json = signal.toJson();
    QCOMPARE(json.value(u"side"_s).toString(), expected == Side::Buy ? u"buy"_s : u"sell"_s);
    QCOMPARE(json.value(u"strategy"_s).toString(), u"momentum_ma_10_40"_s);
    QVERIFY(!json.value(u"reason"_s).toString().isEmpty());
    QCOMPARE(json.value(u"price"_s).toDouble(), signal.price);
}

void TestDemoFeed::priorityMonotoneInStrength_data()
{
    QTest::addColumn<double>("weaker");
    QTest::addColumn<double>("stronger");
    QTest::newRow("0 / 0.1") << 0.0 << 0.1;
    QTest::newRow("0.1 / 0.3") << 0.1 << 0.3;
    QTest::newRow("0.3 / 0.5") << 0.3 << 0.5;
    QTest::newRow("0.5 / 0.51") << 0.5 << 0.51;
    QTest::newRow("0.5 / 0.8") << 0.5 << 0.8;
    QTest::newRow("0.8 / 1") << 0.8 << 1.0;
    QTest::newRow("equal") << 0.42 << 0.42;
}

void TestDemoFeed::priorityMonotoneInStrength()
{
    QFETCH(double, weaker);
    QFETCH(double, stronger);
    const int low = MomentumStrategy::priorityForStrength(weaker);
    const int high = MomentumStrategy::priorityForStrength(stronger);
    QVERIFY(low >= 0 && high <= 9);
    QVERIFY2(low <= high, qPrintable(u"%1 -> %2, %3 -> %4"_s.arg(weaker).arg(low).arg(stronger).arg(high)));
    QCOMPARE(MomentumStrategy::priorityForStrength(0.0), 0);
    QCOMPARE(MomentumStrategy::priorityForStrength(1.0), 9);
    QCOMPARE(MomentumStrategy::priorityForStrength(-1.0), 0);
    QCOMPARE(MomentumStrategy::priorityForStrength(2.0), 9);
}

void TestDemoFeed::strongerCrossoverRanksHigher_data()
{
    QTest::addColumn<double>("smallJump");
    QTest::addColumn<double>("bigJump");
    QTest::newRow("60 / 100") << 60.0 << 100.0;
    QTest::newRow("100 / 200") << 100.0 << 200.0;
    QTest::newRow("200 / 1000") << 200.0 << 1000.0;
    QTest::newRow("60 / 1000") << 60.0 << 1000.0;
}

void TestDemoFeed::strongerCrossoverRanksHigher()
{
    QFETCH(double, smallJump);
    QFETCH(double, bigJump);
    const std::optional<TradeSignal> small = crossoverAfterJump(smallJump);
    const std::optional<TradeSignal> big = crossoverAfterJump(bigJump);
    QVERIFY(small && big);
    QCOMPARE(small->side, Side::Buy);
    QCOMPARE(big->side, Side::Buy);
    QVERIFY2(small->strength < big->strength,
             qPrintable(u"%1 vs %2"_s.arg(small->strength).arg(big->strength)));
    QVERIFY(small->priority <= big->priority);
}

void TestDemoFeed::processSamplerReadsProc()
{
    ProcessSampler sampler;
    burnCpu(300);
    const ProcessSampler::Sample sample = sampler.sample();
    QVERIFY(sample.rssBytes > 0);
    QVERIFY(sample.cpuPercent >= 0.0);
    // 300 ms of busy loop is well over a clock tick: the burn must show.
    QVERIFY2(sample.cpuPercent > 0.0, qPrintable(QString::number(sample.cpuPercent)));
    QVERIFY(sample.cpuPercent < 100.0 * 64);
    QVERIFY(sample.cpuSecondsTotal > 0.0);
    QVERIFY(sample.threads >= 1);
    QVERIFY(sample.openFds >= 3); // stdin, stdout, stderr at least
    for (const double load : sample.loadAverage)
        QVERIFY(load >= 0.0);

    const ProcessSampler::Sample idle = sampler.sample();
    QVERIFY(idle.cpuPercent >= 0.0);
}

void TestDemoFeed::processSamplerCountsOpenFds()
{
    // The cheap count (the fd directory's size, Linux 6.2+) and the listing
    // agree, and both follow descriptors opening and closing.
    const int before = ProcessSampler::countOpenFds();
    QCOMPARE(before, ProcessSampler::countOpenFdsByListing());
    std::vector<int> fds;
    for (int i = 0; i < 40; ++i) {
        int pair[2];
        QCOMPARE(::pipe(pair), 0);
        fds.insert(fds.end(), {pair[0], pair[1]});
    }
    QCOMPARE(ProcessSampler::countOpenFds(), before + 80);
    QCOMPARE(ProcessSampler::countOpenFdsByListing(), before + 80);
    for (const int fd : fds)
        ::close(fd);
    QCOMPARE(ProcessSampler::countOpenFds(), before);
}

void TestDemoFeed::processSamplerCountsRunQueueWait()
{
    // The kernel keeps it when this thread's own on-CPU time reads above 0.
    QFile own(u"/proc/self/schedstat"_s);
    if (!own.open(QIODevice::ReadOnly) || own.readAll().split(' ').value(0).toULongLong() == 0)
        QSKIP("this kernel keeps no schedstat");
    ProcessSampler sampler;
    const double before = sampler.sample().cpuWaitSecondsTotal;
    QVERIFY2(before >= 0.0, qPrintable(QString::number(before)));
    // Twice as many spinning threads as cores: each waits for a CPU about
    // half of the time, which the counter must show while they live.
    std::atomic<bool> stop {false};
    std::vector<std::thread> spinners;
    const int count = 2 * std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < count; ++i) {
        spinners.emplace_back([&stop] {
            while (!stop.load(std::memory_order_relaxed)) { }
        });
    }
    QThread::msleep(qMax<qint64>(300, ProcessSampler::MinWaitIntervalMs + 100));
    const ProcessSampler::Sample duringSample = sampler.sample();
    const double during = duringSample.cpuWaitSecondsTotal;
    stop = true;
    for (std::thread &spinner : spinners)
        spinner.join();
    QVERIFY2(during > before, qPrintable(u"%1 -> %2"_s.arg(before).arg(during)));
    // Over the interval: well above 0 % of wall time with the cores oversubscribed.
    QVERIFY2(duringSample.cpuWaitPercent > 0.0, qPrintable(QString::number(duringSample.cpuWaitPercent)));
    // Threads that ended take their files with them; the counter keeps their wait.
    const double after = sampler.sample().cpuWaitSecondsTotal;
    QVERIFY2(after >= during, qPrintable(u"%1 -> %2"_s.arg(during).arg(after)));
}

void TestDemoFeed::feedPublishesAllChannels()
{
    DemoFeed feed(fastConfig());
    feed.setSeed(2024);
    QSignalSpy spy(&feed, &DemoFeed::publishRequested);
    QVERIFY(spy.isValid());
    feed.start();
    QVERIFY(feed.isRunning());

    QSet<SubscriptionType> seen;
    qsizetype inspected = 0;
    const auto collect = [&] {
        for (; inspected < spy.size(); ++inspected)
            seen.insert(requestAt(spy, inspected).channel);
        return seen.size();
    };
    QTRY_COMPARE_WITH_TIMEOUT(collect(), qsizetype(SubscriptionTypeCount), 3000);

    for (qsizetype i = 0; i < spy.size(); ++i) {
        const PublishRequest request = requestAt(spy, i);
        const QJsonObject &data = request.payload;
        QVERIFY(request.priority >= 0 && request.priority <= 9);
        QVERIFY(!request.strategy);
        switch (request.channel) {
        case SubscriptionType::MarketData:
            QCOMPARE(data.value(u"key"_s), data.value(u"symbol"_s));
            break;
        case SubscriptionType::TradingSignals:
            QVERIFY(data.value(u"side"_s) == u"buy"_s || data.value(u"side"_s) == u"sell"_s);
            QCOMPARE(request.priority, MomentumStrategy::priorityForStrength(data.value(u"strength"_s).toDouble()));
            break;
        case SubscriptionType::SystemMonitor:
            QCOMPARE(data.value(u"key"_s).toString(), u"process"_s);
            QVERIFY(data.value(u"rss_bytes"_s).toDouble() > 0);
            QVERIFY(data.value(u"cpu_percent"_s).toDouble() >= 0);
            QCOMPARE(data.value(u"load_avg"_s).toArray().size(), 3);
            break;
        case SubscriptionType::StrategyStatus: {
            const QString state = data.value(u"state"_s).toString();
            QVERIFY2(state == u"running"_s || state == u"paused"_s || state == u"warming_up"_s, qPrintable(state));
            QCOMPARE(data.value(u"strategy"_s).toString(), u"momentum_ma_10_40"_s);
            break;
        }
        case SubscriptionType::PerformanceMetrics:
            for (const auto &field : {u"pnl"_s, u"sharpe"_s, u"win_rate"_s, u"max_drawdown"_s, u"trades"_s})
                QVERIFY2(data.value(field).isDouble(), qPrintable(field));
            QVERIFY(data.value(u"max_drawdown"_s).toDouble() >= 0);
            break;
        case SubscriptionType::RiskAlerts: {
            const QString level = data.value(u"level"_s).toString();
            QVERIFY(level == u"warning"_s || level == u"critical"_s);
            QVERIFY(data.value(u"value"_s).toDouble() > 0 && data.value(u"limit"_s).toDouble() > 0);
            QVERIFY(!data.value(u"rule"_s).toString().isEmpty());
            break;
        }
        case SubscriptionType::OrderUpdates:
        case SubscriptionType::PositionUpdates:
            QVERIFY(data.contains(u"account"_s) && data.contains(u"symbol"_s) && data.contains(u"key"_s));
            break;
        }
    }
}

void TestDemoFeed::feedOrdersStayInConfiguredAccounts()
{
    const DemoConfig config = fastConfig();
    DemoFeed feed(config);
    feed.setSeed(7);
    QSignalSpy spy(&feed, &DemoFeed::publishRequested);
    feed.start();

    int orders = 0;
    qsizetype inspected = 0;
    const auto countOrders = [&] {
        for (; inspected < spy.size(); ++inspected) {
            if (requestAt(spy, inspected).channel == SubscriptionType::OrderUpdates)
                ++orders;
        }
        return orders;
    };
    QTRY_VERIFY_WITH_TIMEOUT(countOrders() >= 30, 3000);

    const QStringList statuses {u"new"_s, u"partially_filled"_s, u"filled"_s, u"cancelled"_s};
    for (qsizetype i = 0; i < spy.size(); ++i) {
        const PublishRequest request = requestAt(spy, i);
        const QJsonObject &data = request.payload;
        if (request.channel == SubscriptionType::OrderUpdates) {
            QVERIFY2(config.accounts.contains(data.value(u"account"_s).toString()),
                     qPrintable(data.value(u"account"_s).toString()));
            QVERIFY(config.symbols.contains(data.value(u"symbol"_s).toString()));
            QVERIFY(statuses.contains(data.value(u"status"_s).toString()));
            QVERIFY(data.value(u"filled_qty"_s).toDouble() <= data.value(u"qty"_s).toDouble());
            QCOMPARE(data.value(u"key"_s), data.value(u"order_id"_s));
        } else if (request.channel == SubscriptionType::PositionUpdates
                   || request.channel == SubscriptionType::RiskAlerts) {
            QVERIFY(config.accounts.contains(data.value(u"account"_s).toString()));
        }
    }
}

void TestDemoFeed::feedPublishesPositionAfterFill()
{
    DemoFeed feed(fastConfig());
    feed.setSeed(99);
    QSignalSpy spy(&feed, &DemoFeed::publishRequested);
    feed.start();

    qsizetype inspected = 0;
    qsizetype positionAt = -1;
    const auto findPosition = [&] {
        for (; positionAt < 0 && inspected < spy.size(); ++inspected) {
            if (requestAt(spy, inspected).channel == SubscriptionType::PositionUpdates)
                positionAt = inspected;
        }
        return positionAt >= 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(findPosition(), 3000);
    feed.stop();

    // The position update directly follows the order update whose fill moved it.
    QVERIFY(positionAt > 0);
    const PublishRequest fill = requestAt(spy, positionAt - 1);
    const QJsonObject order = fill.payload;
    const QJsonObject position = requestAt(spy, positionAt).payload;
    QCOMPARE(fill.channel, SubscriptionType::OrderUpdates);
    const QString status = order.value(u"status"_s).toString();
    QVERIFY2(status == u"filled"_s || status == u"partially_filled"_s, qPrintable(status));
    QCOMPARE(position.value(u"account"_s), order.value(u"account"_s));
    QCOMPARE(position.value(u"symbol"_s), order.value(u"symbol"_s));
    // The first fill of a fresh book opens the position at the order's price.
    const double sign = order.value(u"side"_s).toString() == u"buy"_s ? 1.0 : -1.0;
    QCOMPARE(position.value(u"qty"_s).toDouble(), sign * order.value(u"filled_qty"_s).toDouble());
    QCOMPARE(position.value(u"avg_price"_s).toDouble(), order.value(u"price"_s).toDouble());
    QVERIFY(position.value(u"unrealized_pnl"_s).isDouble());
    QCOMPARE(position.value(u"key"_s).toString(),
             position.value(u"account"_s).toString() + u':' + position.value(u"symbol"_s).toString());
}

void TestDemoFeed::feedStopsPublishing()
{
    DemoFeed feed(fastConfig());
    QSignalSpy spy(&feed, &DemoFeed::publishRequested);
    feed.start();
    QTRY_VERIFY(spy.size() > 0);
    feed.stop();
    QVERIFY(!feed.isRunning());
    const qsizetype afterStop = spy.size();
    QTest::qWait(100);
    QCOMPARE(spy.size(), afterStop);
}

QTEST_GUILESS_MAIN(TestDemoFeed)
#include "tst_demofeed.moc"
