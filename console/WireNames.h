#pragma once

#include "protocol/StatsKeys.h"

#include <QLatin1StringView>
#include <QStringList>

// Wire names of protocol v1 the console needs. The console is a client like
// any third party (PROTOCOL.md is its contract) and names its requests and
// replies here; the stats body's many keys it shares with the server through
// common/protocol (Wire::Stats below).
namespace QuantPush::Wire {
using namespace Qt::StringLiterals;

inline QStringList channels()
{
    return {u"trading_signals"_s, u"strategy_status"_s, u"market_data"_s,     u"system_monitor"_s,
            u"order_updates"_s,   u"position_updates"_s, u"risk_alerts"_s,    u"performance_metrics"_s};
}

inline QStringList strategies()
{
    return {u"immediate"_s, u"batched"_s, u"priority_queue"_s, u"rate_limited"_s};
}

inline constexpr auto SystemMonitor = "system_monitor"_L1;

namespace Request {
inline constexpr auto Stats = "stats"_L1;
inline constexpr auto Connections = "connections"_L1;
inline constexpr auto Disconnect = "disconnect"_L1;
} // namespace Request

namespace Reply {
inline constexpr auto Stats = "stats"_L1;
inline constexpr auto Connections = "connections"_L1;
inline constexpr auto Published = "published"_L1;
inline constexpr auto Disconnected = "disconnected"_L1;
} // namespace Reply

namespace Key {
inline constexpr auto Kind = "kind"_L1;
inline constexpr auto Stats = "stats"_L1;
inline constexpr auto Alert = "alert"_L1;
inline constexpr auto Process = "process"_L1;
inline constexpr auto Key = "key"_L1;
inline constexpr auto CpuPercent = "cpu_percent"_L1;
inline constexpr auto RssBytes = "rss_bytes"_L1;
inline constexpr auto Seq = "seq"_L1;
inline constexpr auto Recipients = "recipients"_L1;
inline constexpr auto ConnectionId = "connection_id"_L1;
inline constexpr auto Reason = "reason"_L1;
} // namespace Key

// The stats body's keys (GET /websocket/stats, the admin `stats` reply,
// data.stats of a system_monitor push): the one table in common/protocol
// that the server renders with, so the two sides cannot drift apart.
namespace Stats = QuantPush::StatsKey;

} // namespace QuantPush::Wire
