#include "Protocol.h"

#include <array>
#include <utility>

namespace QuantPush {
namespace {

template<typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, const char16_t *>, N>;

constexpr NameTable<MessageType, 27> messageTypeNames {{
    {MessageType::Auth, u"auth"},
    {MessageType::Subscribe, u"subscribe"},
    {MessageType::Unsubscribe, u"unsubscribe"},
    {MessageType::Ack, u"ack"},
    {MessageType::Ping, u"ping"},
    {MessageType::Publish, u"publish"},
    {MessageType::Stats, u"stats"},
    {MessageType::Connections, u"connections"},
    {MessageType::Disconnect, u"disconnect"},
    {MessageType::Welcome, u"welcome"},
    {MessageType::AuthOk, u"auth_ok"},
    {MessageType::Subscribed, u"subscribed"},
    {MessageType::Unsubscribed, u"unsubscribed"},
    {MessageType::Pong, u"pong"},
    {MessageType::Published, u"published"},
    {MessageType::Disconnected, u"disconnected"},
    {MessageType::Error, u"error"},
    {MessageType::Batch, u"batch"},
    {MessageType::Gap, u"gap"},
    {MessageType::TradingSignal, u"trading_signal"},
    {MessageType::StrategyStatus, u"strategy_status"},
    {MessageType::MarketData, u"market_data"},
    {MessageType::SystemMonitor, u"system_monitor"},
    {MessageType::OrderUpdate, u"order_update"},
    {MessageType::PositionUpdate, u"position_update"},
    {MessageType::RiskAlert, u"risk_alert"},
    {MessageType::PerformanceMetrics, u"performance_metrics"},
}};

constexpr NameTable<SubscriptionType, SubscriptionTypeCount> channelNames {{
    {SubscriptionType::TradingSignals, u"trading_signals"},
    {SubscriptionType::StrategyStatus, u"strategy_status"},
    {SubscriptionType::MarketData, u"market_data"},
    {SubscriptionType::SystemMonitor, u"system_monitor"},
    {SubscriptionType::OrderUpdates, u"order_updates"},
    {SubscriptionType::PositionUpdates, u"position_updates"},
    {SubscriptionType::RiskAlerts, u"risk_alerts"},
    {SubscriptionType::PerformanceMetrics, u"performance_metrics"},
}};

constexpr NameTable<BroadcastStrategy, 4> strategyNames {{
    {BroadcastStrategy::Immediate, u"immediate"},
    {BroadcastStrategy::Batched, u"batched"},
    {BroadcastStrategy::PriorityQueue, u"priority_queue"},
    {BroadcastStrategy::RateLimited, u"rate_limited"},
}};

constexpr NameTable<ErrorCode, 10> errorNames {{
    {ErrorCode::BadRequest, u"bad_request"},
    {ErrorCode::UnknownType, u"unknown_type"},
    {ErrorCode::Unauthorized, u"unauthorized"},
    {ErrorCode::Forbidden, u"forbidden"},
    {ErrorCode::NotFound, u"not_found"},
    {ErrorCode::TooLarge, u"too_large"},
    {ErrorCode::RateLimited, u"rate_limited"},
    {ErrorCode::LimitExceeded, u"limit_exceeded"},
    {ErrorCode::Internal, u"internal"},
    {ErrorCode::BrokerUnavailable, u"broker_unavailable"},
}};

constexpr NameTable<ConnectionStatus, 5> statusNames {{
    {ConnectionStatus::Handshaking, u"handshaking"},
    {ConnectionStatus::Connected, u"connected"},
    {ConnectionStatus::Authenticated, u"authenticated"},
    {ConnectionStatus::Closing, u"closing"},
    {ConnectionStatus::Closed, u"closed"},
}};

template<typename Enum, std::size_t N>
QString nameOf(const NameTable<Enum, N> &table, Enum value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const NameTable<Enum, N> &table, QStringView name)
{
    for (const auto &[e, wire] : table) {
        if (name == QStringView(wire))
            return e;
    }
    return std::nullopt;
}

} // namespace

QString wireName(MessageType type) { return nameOf(messageTypeNames, type); }
QString wireName(SubscriptionType channel) { return nameOf(channelNames, channel); }
QString wireName(BroadcastStrategy strategy) { return nameOf(strategyNames, strategy); }
QString wireName(ErrorCode code) { return nameOf(errorNames, code); }
QString wireName(ConnectionStatus status) { return nameOf(statusNames, status); }

std::optional<MessageType> messageTypeFromWire(QStringView name) { return valueOf(messageTypeNames, name); }
std::optional<SubscriptionType> subscriptionTypeFromWire(QStringView name) { return valueOf(channelNames, name); }
std::optional<BroadcastStrategy> broadcastStrategyFromWire(QStringView name) { return valueOf(strategyNames, name); }
std::optional<ErrorCode> errorCodeFromWire(QStringView name) { return valueOf(errorNames, name); }

MessageType pushTypeOf(SubscriptionType channel)
{
    switch (channel) {
    case SubscriptionType::TradingSignals: return MessageType::TradingSignal;
    case SubscriptionType::StrategyStatus: return MessageType::StrategyStatus;
    case SubscriptionType::MarketData: return MessageType::MarketData;
    case SubscriptionType::SystemMonitor: return MessageType::SystemMonitor;
    case SubscriptionType::OrderUpdates: return MessageType::OrderUpdate;
    case SubscriptionType::PositionUpdates: return MessageType::PositionUpdate;
    case SubscriptionType::RiskAlerts: return MessageType::RiskAlert;
    case SubscriptionType::PerformanceMetrics: return MessageType::PerformanceMetrics;
    }
    Q_UNREACHABLE();
    return MessageType::Error;
}

bool isPushType(MessageType type)
{
    return type >= MessageType::TradingSignal;
}

bool isClientRequest(MessageType type)
{
    return type <= MessageType::Disconnect;
}

bool isAdminRequest(MessageType type)
{
    return type == MessageType::Publish || type == MessageType::Stats
        || type == MessageType::Connections || type == MessageType::Disconnect;
}

int httpStatusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest: return 400;
    case ErrorCode::UnknownType: return 400;
    case ErrorCode::Unauthorized: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::TooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::LimitExceeded: return 429;
    case ErrorCode::Internal: return 500;
    case ErrorCode::BrokerUnavailable: return 503;
    }
    return 500;
}

QList<SubscriptionType> allSubscriptionTypes()
{
    QList<SubscriptionType> all;
    for (const auto &[channel, name] : channelNames)
        all.append(channel);
    return all;
}

} // namespace QuantPush
