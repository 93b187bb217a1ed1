#pragma once

#include "config/ServerConfig.h"
#include "demo/MomentumStrategy.h"
#include "demo/PaperBroker.h"
#include "demo/PerformanceTracker.h"
#include "demo/ProcessSampler.h"
#include "demo/RandomWalk.h"
#include "protocol/Requests.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QRandomGenerator>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace QuantPush {

// A simulated trading desk that feeds all eight channels with data that hangs
// together: a random-walk market drives a moving-average strategy, whose
// signals steer paper orders, whose fills move positions, whose PnL feeds the
// performance metrics; system_monitor reports this very process.
//
// It knows nothing about the server: its only output is publishRequested(),
// which the server connects to its publish API (the same path as an admin
// `publish`), so the demo exercises the real broadcast strategies.
class DemoFeed : public QObject
{
    Q_OBJECT

public:
    explicit DemoFeed(const DemoConfig &config, QObject *parent = nullptr);
    ~DemoFeed() override;

    // Makes a run reproducible: restarts the market and the simulation and
    // reseeds every random choice. Intended before start().
    void setSeed(quint32 seed);
    // Starts one timer per channel group; an interval <= 0 leaves it off.
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    const DemoConfig &config() const { return m_config; }

Q_SIGNALS:
    void publishRequested(const QuantPush::PublishRequest &request);

private:
    enum class StrategyState { WarmingUp, Running, Paused };
    static QString stateName(StrategyState state);

    QTimer *makeTimer(void (DemoFeed::*onTimeout)());
    void resetSimulation();

    void onTick();
    void publishSignal(const TradeSignal &signal);
    void onOrderTimer();
    void placeOrder();
    void advanceOrder();
    Side chooseSide(const QString &account, const QString &symbol);
    double chooseQty(double price);
    void maybePublishRiskAlert(const Order &order);
    void publishStrategyStatus();
    void updateStrategyState();
    void publishSystemMonitor();
    void publishPerformance();

    void publish(SubscriptionType channel, const QJsonObject &payload, int priority = DefaultPriority);
    const QString &pick(const QStringList &list);

    DemoConfig m_config;
    QRandomGenerator m_rng;
    RandomWalk m_walk;
    MomentumStrategy m_strategy;
    PaperBroker m_broker;
    PerformanceTracker m_performance;
    ProcessSampler m_sampler;
    QHash<QString, double> m_marks;      // last traded price per symbol
    QHash<QString, Side> m_lastSignal;   // the strategy's current view per symbol
    StrategyState m_state = StrategyState::WarmingUp;
    QElapsedTimer m_uptime;
    bool m_running = false;

    QTimer *m_tickTimer = nullptr;
    QTimer *m_orderTimer = nullptr;
    QTimer *m_statusTimer = nullptr;
    QTimer *m_systemTimer = nullptr;
    QTimer *m_performanceTimer = nullptr;
};

} // namespace QuantPush
