#include "demo/DemoFeed.h"

#include "demo/DemoKeys.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

Q_LOGGING_CATEGORY(lcDemo, "quantpush.demo")

constexpr int ShortWindow = 10;
constexpr int LongWindow = 40;
constexpr int SharpeWindow = 30;          // performance samples
constexpr double MinOrderNotional = 2000; // USDT; sizes are log-uniform up to 10x this
constexpr double OrderNotionalLimit = 15000;
constexpr double PositionNotionalLimit = 50000;
// Above this share of the position limit new orders reduce the position, so
// the demo's exposure stays bounded however long it runs.
constexpr double ReduceAbove = 0.8;
constexpr int MaxWorkingOrders = 4;
constexpr double FollowSignalOdds = 0.7;
constexpr double PauseOdds = 0.1;
constexpr double ResumeOdds = 0.4;
constexpr int RiskWarningPriority = 7;
constexpr int RiskCriticalPriority = 9;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

double money(double amount) { return RandomWalk::roundTo(amount, 2); }

} // namespace

DemoFeed::DemoFeed(const DemoConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_walk(config.symbols)
    , m_strategy(ShortWindow, LongWindow)
    , m_performance(SharpeWindow)
{
    m_tickTimer = makeTimer(&DemoFeed::onTick);
    m_orderTimer = makeTimer(&DemoFeed::onOrderTimer);
    m_statusTimer = makeTimer(&DemoFeed::publishStrategyStatus);
    m_systemTimer = makeTimer(&DemoFeed::publishSystemMonitor);
    m_performanceTimer = makeTimer(&DemoFeed::publishPerformance);
    // A different market on every run unless a test pins the seed.
    setSeed(QRandomGenerator::global()->generate());
}

DemoFeed::~DemoFeed() = default;

QTimer *DemoFeed::makeTimer(void (DemoFeed::*onTimeout)())
{
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, onTimeout);
    return timer;
}

void DemoFeed::setSeed(quint32 seed)
{
    m_rng.seed(seed);
    // A distinct stream for prices, so adding a random choice elsewhere does
    // not change the market of a seeded run.
    m_walk.setSeed(seed ^ 0x9e3779b9u);
    resetSimulation();
}

void DemoFeed::resetSimulation()
{
    m_strategy = MomentumStrategy(ShortWindow, LongWindow);
    m_broker = PaperBroker();
    m_performance = PerformanceTracker(SharpeWindow);
    m_marks.clear();
    m_lastSignal.clear();
    m_state = StrategyState::WarmingUp;
}

void DemoFeed::start()
{
    if (m_running)
        return;
    m_running = true;
    m_uptime.start();
    const auto arm = [](QTimer *timer, int intervalMs) {
        if (intervalMs > 0)
            timer->start(intervalMs);
    };
    arm(m_tickTimer, m_config.tickIntervalMs);
    arm(m_orderTimer, m_config.orderIntervalMs);
    arm(m_statusTimer, m_config.strategyStatusIntervalMs);
    arm(m_systemTimer, m_config.systemMonitorIntervalMs);
    arm(m_performanceTimer, m_config.performanceIntervalMs);
    qCInfo(lcDemo) << "demo feed started:" << m_config.symbols.size() << "symbols,"
                   << m_config.accounts.size() << "accounts, ticks every" << m_config.tickIntervalMs << "ms";
}

void DemoFeed::stop()
{
    if (!m_running)
        return;
    m_running = false;
    for (QTimer *timer : {m_tickTimer, m_orderTimer, m_statusTimer, m_systemTimer, m_performanceTimer})
        timer->stop();
    qCInfo(lcDemo) << "demo feed stopped";
}

QString DemoFeed::stateName(StrategyState state)
{
    switch (state) {
    case StrategyState::WarmingUp: return u"warming_up"_s;
    case StrategyState::Running: return u"running"_s;
    case StrategyState::Paused: return u"paused"_s;
    }
    return {};
}

const QString &DemoFeed::pick(const QStringList &list)
{
    return list.at(qsizetype(m_rng.bounded(quint32(list.size()))));
}

void DemoFeed::publish(SubscriptionType channel, const QJsonObject &payload, int priority)
{
    PublishRequest request;
    request.channel = channel;
    request.payload = payload;
    request.priority = priority;
    Q_EMIT publishRequested(request);
}

// --- market data and signals ------------------------------------------------

void DemoFeed::onTick()
{
    for (const MarketTick &tick : m_walk.stepAll()) {
        m_marks.insert(tick.symbol, tick.price);
        publish(SubscriptionType::MarketData, tick.toJson());
        // The strategy keeps learning while paused; it just does not speak.
        const std::optional<TradeSignal> signal = m_strategy.onTick(tick.symbol, tick.price, tick.tsMs);
        if (signal)
            publishSignal(*signal);
    }
}

void DemoFeed::publishSignal(const TradeSignal &signal)
{
    if (m_state == StrategyState::Paused)
        return;
    m_lastSignal.insert(signal.symbol, signal.side);
    publish(SubscriptionType::TradingSignals, signal.toJson(), signal.priority);
}

// --- orders, positions, risk -------------------------------------------------

void DemoFeed::onOrderTimer()
{
    if (m_config.accounts.isEmpty() || m_walk.symbols().isEmpty())
        return;
    // One order_update per interval: either a new order or the next step of
    // a working one; keeping a few working gives partial fills time to show.
    const int working = m_broker.workingOrderCount();
    if (working == 0 || (working < MaxWorkingOrders && m_rng.generateDouble() < 0.4))
        placeOrder();
    else
        advanceOrder();
}

void DemoFeed::placeOrder()
{
    const QString account = pick(m_config.accounts);
    const QString symbol = pick(m_walk.symbols());
    const double price = m_walk.price(symbol);
    const Order order = m_broker.place(account, symbol, chooseSide(account, symbol), chooseQty(price), price, nowMs());
    publish(SubscriptionType::OrderUpdates, order.toJson());
    maybePublishRiskAlert(order);
}

Side DemoFeed::chooseSide(const QString &account, const QString &symbol)
{
    const Position position = m_broker.position(account, symbol);
    if (std::abs(position.qty) * m_walk.price(symbol) > ReduceAbove * PositionNotionalLimit)
        return position.qty > 0 ? Side::Sell : Side::Buy;
    const auto view = m_lastSignal.constFind(symbol);
    if (view != m_lastSignal.cend() && m_rng.generateDouble() < FollowSignalOdds)
        return *view;
    return m_rng.bounded(2) == 0 ? Side::Buy : Side::Sell;
}

double DemoFeed::chooseQty(double price)
{
    const double notional = MinOrderNotional * std::pow(10.0, m_rng.generateDouble());
    const int decimals = PaperBroker::qtyDecimals(price);
    return qMax(std::pow(10.0, -decimals), RandomWalk::roundTo(notional / price, decimals));
}

void DemoFeed::advanceOrder()
{
    const std::optional<PaperBroker::Step> step = m_broker.advanceOldest(m_rng, nowMs());
    if (!step)
        return;
    publish(SubscriptionType::OrderUpdates, step->order.toJson());
    if (step->fill)
        m_performance.recordFill(step->fill->realizedPnl, step->fill->reducing);
    if (step->position) {
        const double mark = m_marks.value(step->position->symbol, m_walk.price(step->position->symbol));
        publish(SubscriptionType::PositionUpdates, step->position->toJson(mark, nowMs()));
    }
}

void DemoFeed::maybePublishRiskAlert(const Order &order)
{
    if (m_rng.generateDouble() >= m_config.riskAlertProbability)
        return;
    // Real exposure against fixed limits; the rule reported is the one
    // closest to (or furthest past) its limit.
    const Position position = m_broker.position(order.account, order.symbol);
    const double orderNotional = order.qty * order.price;
    const double projectedNotional = std::abs(position.qty + sideSign(order.side) * order.qty) * order.price;
    const bool positionRule = projectedNotional / PositionNotionalLimit >= orderNotional / OrderNotionalLimit;
    const QString rule = positionRule ? u"position_limit"_s : u"order_notional"_s;
    const double value = positionRule ? projectedNotional : orderNotional;
    const double limit = positionRule ? PositionNotionalLimit : OrderNotionalLimit;
    const bool critical = value >= limit;
    const QString message = u"%1 %2 notional %3 USDT is %4% of the %5 USDT limit"_s
                                .arg(order.symbol, positionRule ? u"position"_s : u"order"_s)
                                .arg(value, 0, 'f', 2)
                                .arg(100.0 * value / limit, 0, 'f', 1)
                                .arg(limit, 0, 'f', 0);
    qCDebug(lcDemo) << "risk alert" << order.account << message;

    const QJsonObject alert {
        {DemoKey::Account, order.account},
        {DemoKey::Symbol, order.symbol},
        {DemoKey::OrderId, order.id},
        {DemoKey::Level, critical ? u"critical"_s : u"warning"_s},
        {DemoKey::Rule, rule},
        {DemoKey::Message, message},
        {DemoKey::Value, money(value)},
        {DemoKey::Limit, limit},
        {DemoKey::TsMs, nowMs()},
        {DemoKey::CoalesceKey, QString(order.account + u':' + rule)},
    };
    publish(SubscriptionType::RiskAlerts, alert, critical ? RiskCriticalPriority : RiskWarningPriority);
}

// --- status, system, performance ---------------------------------------------

void DemoFeed::updateStrategyState()
{
    const StrategyState before = m_state;
    if (m_strategy.warmSymbolCount() < m_walk.symbols().size())
        m_state = StrategyState::WarmingUp;
    else if (m_state == StrategyState::WarmingUp)
        m_state = StrategyState::Running;
    // An operator pausing and resuming now and then, so dashboards see it change.
    else if (m_state == StrategyState::Running && m_rng.generateDouble() < PauseOdds)
        m_state = StrategyState::Paused;
    else if (m_state == StrategyState::Paused && m_rng.generateDouble() < ResumeOdds)
        m_state = StrategyState::Running;
    if (m_state != before)
        qCDebug(lcDemo) << "strategy" << stateName(before) << "->" << stateName(m_state);
}

void DemoFeed::publishStrategyStatus()
{
    updateStrategyState();
    const QString name = m_strategy.name();
    const QJsonObject status {
        {DemoKey::Strategy, name},
        {DemoKey::State, stateName(m_state)},
        {DemoKey::Positions, m_broker.openPositionCount()},
        {DemoKey::Pnl, money(m_broker.equity(m_marks))},
        {DemoKey::RealizedPnl, money(m_broker.realizedPnl())},
        {DemoKey::Signals, m_strategy.signalCount()},
        {DemoKey::Symbols, QJsonArray::fromStringList(m_walk.symbols())},
        {DemoKey::UptimeSec, m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0},
        {DemoKey::TsMs, nowMs()},
        {DemoKey::CoalesceKey, name},
    };
    publish(SubscriptionType::StrategyStatus, status);
}

void DemoFeed::publishSystemMonitor()
{
    const ProcessSampler::Sample sample = m_sampler.sample();
    QJsonArray load;
    for (const double average : sample.loadAverage)
        load.append(average);
    const QJsonObject monitor {
        {DemoKey::CpuPercent, money(sample.cpuPercent)},
        {DemoKey::RssBytes, sample.rssBytes},
        {DemoKey::Threads, sample.threads},
        {DemoKey::OpenFds, sample.openFds},
        {DemoKey::LoadAvg, load},
        {DemoKey::Pid, QCoreApplication::applicationPid()},
        {DemoKey::TsMs, nowMs()},
        {DemoKey::CoalesceKey, u"process"_s},
    };
    publish(SubscriptionType::SystemMonitor, monitor);
}

void DemoFeed::publishPerformance()
{
    m_performance.recordEquity(m_broker.equity(m_marks));
    const QString name = m_strategy.name();
    const QJsonObject metrics {
        {DemoKey::Strategy, name},
        {DemoKey::Pnl, money(m_performance.equity())},
        {DemoKey::RealizedPnl, money(m_broker.realizedPnl())},
        {DemoKey::Sharpe, RandomWalk::roundTo(m_performance.sharpe(), 4)},
        {DemoKey::SharpeWindow, m_performance.sharpeSamples()},
        {DemoKey::WinRate, RandomWalk::roundTo(m_performance.winRate(), 4)},
        {DemoKey::MaxDrawdown, money(m_performance.maxDrawdown())},
        {DemoKey::Trades, m_performance.trades()},
        {DemoKey::ClosedTrades, m_performance.closedTrades()},
        {DemoKey::TsMs, nowMs()},
        {DemoKey::CoalesceKey, name},
    };
    publish(SubscriptionType::PerformanceMetrics, metrics);
}

} // namespace QuantPush
