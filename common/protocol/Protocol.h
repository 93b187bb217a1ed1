#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

// The wire vocabulary of PROTOCOL.md, version 1: every enum here maps to its
// wire name in exactly one place (Protocol.cpp).
namespace QuantPush {

inline constexpr int ProtocolVersion = 1;

enum class MessageType {
    // client → server
    Auth, Subscribe, Unsubscribe, Ack, Ping, Publish, Stats, Connections, Disconnect,
    // server → client replies and notices
    Welcome, AuthOk, Subscribed, Unsubscribed, Pong, Published, Disconnected, Error, Batch, Gap,
    // pushes (one per channel)
    TradingSignal, StrategyStatus, MarketData, SystemMonitor, OrderUpdate, PositionUpdate,
    RiskAlert, PerformanceMetrics,
};

// A channel is what a client subscribes to ("subscription type" in PROTOCOL.md).
enum class SubscriptionType {
    TradingSignals, StrategyStatus, MarketData, SystemMonitor,
    OrderUpdates, PositionUpdates, RiskAlerts, PerformanceMetrics,
};
inline constexpr int SubscriptionTypeCount = 8;

enum class BroadcastStrategy { Immediate, Batched, PriorityQueue, RateLimited };

enum class ConnectionStatus { Handshaking, Connected, Authenticated, Closing, Closed };

enum class ErrorCode {
    BadRequest, UnknownType, Unauthorized, Forbidden, NotFound, TooLarge, RateLimited,
    LimitExceeded, Internal, BrokerUnavailable,
};
inline constexpr int ErrorCodeCount = 10;

// WebSocket close codes used by the server (PROTOCOL.md "Errors and close codes").
namespace CloseCode {
inline constexpr int Normal = 1000;
inline constexpr int GoingAway = 1001;
inline constexpr int PolicyViolation = 1008;
inline constexpr int TooLarge = 1009;
inline constexpr int TryAgainLater = 1013;
inline constexpr int Unauthorized = 4001;
inline constexpr int Forbidden = 4003;
inline constexpr int SlowConsumer = 4008;
inline constexpr int RateLimited = 4029;
} // namespace CloseCode

QString wireName(MessageType type);
QString wireName(SubscriptionType channel);
QString wireName(BroadcastStrategy strategy);
QString wireName(ErrorCode code);
QString wireName(ConnectionStatus status);

std::optional<MessageType> messageTypeFromWire(QStringView name);
std::optional<SubscriptionType> subscriptionTypeFromWire(QStringView name);
std::optional<BroadcastStrategy> broadcastStrategyFromWire(QStringView name);
std::optional<ErrorCode> errorCodeFromWire(QStringView name);

// The push `type` carried by messages of a channel (trading_signals → trading_signal).
MessageType pushTypeOf(SubscriptionType channel);
bool isPushType(MessageType type);
// Requests a client may send; everything else inbound is `unknown_type`.
bool isClientRequest(MessageType type);
bool isAdminRequest(MessageType type);

// The HTTP status that stands for an error code on the REST API.
int httpStatusOf(ErrorCode code);

QList<SubscriptionType> allSubscriptionTypes();

} // namespace QuantPush
