#include "ServerConfig.h"

#include <QtCore/QThread>

#include <algorithm>

namespace QuantPush {

int WebSocketConfig::defaultWorkerThreads()
{
    return std::clamp(QThread::idealThreadCount(), 1, MaxWorkerThreads);
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
