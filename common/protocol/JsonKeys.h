#pragma once

#include <QtCore/QString>

// Every JSON key of the wire protocol, named once.
namespace QuantPush::Key {
using namespace Qt::Literals::StringLiterals;

inline constexpr QLatin1StringView Type = "type"_L1;
inline constexpr QLatin1StringView Id = "id"_L1;
inline constexpr QLatin1StringView Data = "data"_L1;
inline constexpr QLatin1StringView Channel = "channel"_L1;
inline constexpr QLatin1StringView Seq = "seq"_L1;
inline constexpr QLatin1StringView Ts = "ts"_L1;
inline constexpr QLatin1StringView Redelivered = "redelivered"_L1;

inline constexpr QLatin1StringView Token = "token"_L1;
inline constexpr QLatin1StringView ApiKey = "api_key"_L1;
inline constexpr QLatin1StringView User = "user"_L1;
inline constexpr QLatin1StringView Role = "role"_L1;
inline constexpr QLatin1StringView SessionId = "session_id"_L1;
inline constexpr QLatin1StringView Server = "server"_L1;
inline constexpr QLatin1StringView Protocol = "protocol"_L1;
inline constexpr QLatin1StringView AuthRequired = "auth_required"_L1;
inline constexpr QLatin1StringView HeartbeatInterval = "heartbeat_interval"_L1;
inline constexpr QLatin1StringView Compression = "compression"_L1;
// welcome.data.reconnection: the server's advice (websocket.reconnection).
inline constexpr QLatin1StringView Reconnection = "reconnection"_L1;
inline constexpr QLatin1StringView Enabled = "enabled"_L1;
inline constexpr QLatin1StringView MaxAttempts = "max_attempts"_L1;
inline constexpr QLatin1StringView InitialDelayMs = "initial_delay_ms"_L1;
inline constexpr QLatin1StringView MaxDelayMs = "max_delay_ms"_L1;
inline constexpr QLatin1StringView BackoffMultiplier = "backoff_multiplier"_L1;
inline constexpr QLatin1StringView JitterEnabled = "jitter_enabled"_L1;

inline constexpr QLatin1StringView Filters = "filters"_L1;
inline constexpr QLatin1StringView Since = "since"_L1;
inline constexpr QLatin1StringView SubscriptionId = "subscription_id"_L1;
inline constexpr QLatin1StringView Recovered = "recovered"_L1;

inline constexpr QLatin1StringView Payload = "payload"_L1;
inline constexpr QLatin1StringView Priority = "priority"_L1;
inline constexpr QLatin1StringView Strategy = "strategy"_L1;
inline constexpr QLatin1StringView Recipients = "recipients"_L1;
inline constexpr QLatin1StringView DryRun = "dry_run"_L1;
inline constexpr QLatin1StringView ConnectionId = "connection_id"_L1;
inline constexpr QLatin1StringView Reason = "reason"_L1;

inline constexpr QLatin1StringView Code = "code"_L1;
inline constexpr QLatin1StringView Message = "message"_L1;
inline constexpr QLatin1StringView From = "from"_L1;
inline constexpr QLatin1StringView To = "to"_L1;

inline constexpr QLatin1StringView Key = "key"_L1;
inline constexpr QLatin1StringView Account = "account"_L1;

} // namespace QuantPush::Key
