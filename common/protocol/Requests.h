#pragma once

#include "Filter.h"
#include "Protocol.h"
#include "ProtocolError.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>
#include <variant>

// Typed bodies of the client requests of PROTOCOL.md, each with a parser that
// validates every field and says precisely what is wrong.
namespace QuantPush {

template<typename T>
using Parsed = std::variant<T, ProtocolError>;

struct AuthRequest
{
    QString token;
    QString apiKey;
};

struct SubscribeRequest
{
    SubscriptionType channel = SubscriptionType::TradingSignals;
    Filter filter;
    std::optional<qint64> since;
};

struct UnsubscribeRequest
{
    QString subscriptionId;                   // either this
    std::optional<SubscriptionType> channel;  // or every subscription of a channel
};

struct AckRequest
{
    SubscriptionType channel = SubscriptionType::OrderUpdates;
    qint64 seq = 0;
};

inline constexpr int DefaultPriority = 5;

// Body of an admin `publish` frame and of POST /websocket/broadcast.
struct PublishRequest
{
    SubscriptionType channel = SubscriptionType::TradingSignals;
    QJsonObject payload;
    int priority = DefaultPriority;
    std::optional<BroadcastStrategy> strategy;
    // Narrows the recipients to subscribers whose connection matches
    // (fields: user, role, session_id, remote_address).
    Filter recipientFilter;
    // Count the recipients, publish nothing (docs/protocol.md).
    bool dryRun = false;
};

struct DisconnectRequest
{
    QString connectionId;
    QString reason;
};

Parsed<AuthRequest> parseAuthRequest(const QJsonValue &data);
Parsed<SubscribeRequest> parseSubscribeRequest(const QJsonValue &data, const FilterLimits &limits);
Parsed<UnsubscribeRequest> parseUnsubscribeRequest(const QJsonValue &data);
Parsed<AckRequest> parseAckRequest(const QJsonValue &data);
Parsed<PublishRequest> parsePublishRequest(const QJsonValue &data, const FilterLimits &limits);
Parsed<DisconnectRequest> parseDisconnectRequest(const QJsonValue &data);

} // namespace QuantPush
