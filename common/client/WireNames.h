#pragma once

#include <QtCore/QString>

// The wire names of protocol v1 the client speaks, named once for the client
// library (it does not depend on the server's libraries, see CMakeLists.txt).
namespace QuantPush::ClientWire {
using namespace Qt::Literals::StringLiterals;

namespace Key {
inline constexpr auto Type = "type"_L1;
inline constexpr auto Id = "id"_L1;
inline constexpr auto Data = "data"_L1;
inline constexpr auto Channel = "channel"_L1;
inline constexpr auto Seq = "seq"_L1;
inline constexpr auto Ts = "ts"_L1;
inline constexpr auto Redelivered = "redelivered"_L1;
inline constexpr auto Token = "token"_L1;
inline constexpr auto ApiKey = "api_key"_L1;
inline constexpr auto SessionId = "session_id"_L1;
inline constexpr auto User = "user"_L1;
inline constexpr auto Role = "role"_L1;
inline constexpr auto Filters = "filters"_L1;
inline constexpr auto Since = "since"_L1;
inline constexpr auto SubscriptionId = "subscription_id"_L1;
inline constexpr auto Recovered = "recovered"_L1;
inline constexpr auto Code = "code"_L1;
inline constexpr auto Message = "message"_L1;
inline constexpr auto From = "from"_L1;
inline constexpr auto To = "to"_L1;
inline constexpr auto Payload = "payload"_L1;
inline constexpr auto Priority = "priority"_L1;
inline constexpr auto Strategy = "strategy"_L1;
inline constexpr auto Accounts = "accounts"_L1;
inline constexpr auto DryRun = "dry_run"_L1;
inline constexpr auto Reconnection = "reconnection"_L1;
inline constexpr auto Enabled = "enabled"_L1;
inline constexpr auto MaxAttempts = "max_attempts"_L1;
inline constexpr auto InitialDelayMs = "initial_delay_ms"_L1;
inline constexpr auto MaxDelayMs = "max_delay_ms"_L1;
inline constexpr auto BackoffMultiplier = "backoff_multiplier"_L1;
inline constexpr auto JitterEnabled = "jitter_enabled"_L1;
inline constexpr auto Compression = "compression"_L1;
} // namespace Key

namespace FrameType {
inline constexpr auto Welcome = "welcome"_L1;
inline constexpr auto Auth = "auth"_L1;
inline constexpr auto AuthOk = "auth_ok"_L1;
inline constexpr auto Subscribe = "subscribe"_L1;
inline constexpr auto Subscribed = "subscribed"_L1;
inline constexpr auto Unsubscribe = "unsubscribe"_L1;
inline constexpr auto Unsubscribed = "unsubscribed"_L1;
inline constexpr auto Ack = "ack"_L1;
inline constexpr auto Ping = "ping"_L1;
inline constexpr auto Pong = "pong"_L1;
inline constexpr auto Publish = "publish"_L1;
inline constexpr auto Error = "error"_L1;
inline constexpr auto Gap = "gap"_L1;
inline constexpr auto Batch = "batch"_L1;
} // namespace FrameType

} // namespace QuantPush::ClientWire
