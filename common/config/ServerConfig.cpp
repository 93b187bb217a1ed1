#include "ServerConfig.h"

#include "CpuQuota.h"

#include <QtCore/QThread>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

struct CoreBudget
{
    int cores = 1;                   // CPUs the affinity mask allows
    std::optional<double> quota;     // cores' worth the cgroup quota allows
    int threads = 1;                 // the default worker_threads
};

const CoreBudget &coreBudget()
{
    // Read once per process: every WebSocketConfig starts from the default.
    static const CoreBudget budget = [] {
        CoreBudget b;
        b.cores = std::max(1, QThread::idealThreadCount());
        b.quota = CpuQuota::cores();
        int threads = b.cores;
        // Rounded up, as the JVM does: under 1.5 cores' worth one thread
        // could never use the half; two can, and are throttled only when
        // both stay busy past 75 % of a period.
        if (b.quota)
            threads = std::min(threads, std::max(1, int(std::ceil(*b.quota - 1e-6))));
        b.threads = std::clamp(threads, 1, WebSocketConfig::MaxWorkerThreads);
        return b;
    }();
    return budget;
}

} // namespace

int WebSocketConfig::defaultWorkerThreads()
{
    return coreBudget().threads;
}

QString WebSocketConfig::defaultWorkerThreadsBasis()
{
    const CoreBudget &b = coreBudget();
    if (b.quota && b.threads < b.cores) {
        return u"%1, capped by the cgroup's CPU quota of %2 CPU-seconds per second (%3 CPUs usable)"_s
            .arg(b.threads)
            .arg(*b.quota, 0, 'f', 2)
            .arg(b.cores);
    }
    return u"%1, one per core this process may use"_s.arg(b.threads);
}

ServerConfig ServerConfig::defaults()
{
    ServerConfig config;
    // PROTOCOL.md's table of default strategies and acknowledgement.
    config.channel(SubscriptionType::TradingSignals).strategy = BroadcastStrategy::PriorityQueue;
    config.channel(SubscriptionType::MarketData).strategy = BroadcastStrategy::Batched;
    config.channel(SubscriptionType::SystemMonitor).strategy = BroadcastStrategy::RateLimited;
    config.channel(SubscriptionType::PerformanceMetrics).strategy = BroadcastStrategy::RateLimited;
    for (SubscriptionType acked : {SubscriptionType::OrderUpdates, SubscriptionType::PositionUpdates,
                                   SubscriptionType::RiskAlerts}) {
        config.channel(acked).ack = true;
        // Losing an order update silently is worse than closing: the client resumes.
        config.channel(acked).slowConsumer = SlowConsumerPolicy::Close;
    }
    config.channel(SubscriptionType::MarketData).historySize = 10000;

    const QString all = QStringLiteral("*");
    config.roles.insert(QStringLiteral("admin"), RoleConfig {{all}, true, true});
    config.roles.insert(QStringLiteral("trader"), RoleConfig {{all}, false, false, true});
    config.roles.insert(QStringLiteral("viewer"),
                        RoleConfig {{wireName(SubscriptionType::MarketData),
                                     wireName(SubscriptionType::TradingSignals),
                                     wireName(SubscriptionType::StrategyStatus),
                                     wireName(SubscriptionType::PerformanceMetrics),
                                     wireName(SubscriptionType::SystemMonitor)},
                                    false, false});
    return config;
}

} // namespace QuantPush
