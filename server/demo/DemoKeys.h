#pragma once

#include "protocol/JsonKeys.h"

#include <QtCore/QString>

// JSON keys of the demo payloads, named once. `account` and `key` come from
// the protocol's own table (protocol/JsonKeys.h) because filters and
// coalescing depend on them.
namespace QuantPush::DemoKey {
using namespace Qt::Literals::StringLiterals;

inline constexpr QLatin1StringView Account = Key::Account;
inline constexpr QLatin1StringView CoalesceKey = Key::Key;

inline constexpr QLatin1StringView Symbol = "symbol"_L1;
inline constexpr QLatin1StringView Price = "price"_L1;
inline constexpr QLatin1StringView Bid = "bid"_L1;
inline constexpr QLatin1StringView Ask = "ask"_L1;
inline constexpr QLatin1StringView Volume = "volume"_L1;
inline constexpr QLatin1StringView ChangePct = "change_pct"_L1;
inline constexpr QLatin1StringView TsMs = "ts_ms"_L1;

inline constexpr QLatin1StringView Side = "side"_L1;
inline constexpr QLatin1StringView Strength = "strength"_L1;
inline constexpr QLatin1StringView Strategy = "strategy"_L1;
inline constexpr QLatin1StringView Reason = "reason"_L1;
inline constexpr QLatin1StringView ShortMa = "short_ma"_L1;
inline constexpr QLatin1StringView LongMa = "long_ma"_L1;

inline constexpr QLatin1StringView State = "state"_L1;
inline constexpr QLatin1StringView Positions = "positions"_L1;
inline constexpr QLatin1StringView Pnl = "pnl"_L1;
inline constexpr QLatin1StringView Signals = "signals"_L1;
inline constexpr QLatin1StringView Symbols = "symbols"_L1;
inline constexpr QLatin1StringView UptimeSec = "uptime_s"_L1;

inline constexpr QLatin1StringView OrderId = "order_id"_L1;
inline constexpr QLatin1StringView Qty = "qty"_L1;
inline constexpr QLatin1StringView Status = "status"_L1;
inline constexpr QLatin1StringView FilledQty = "filled_qty"_L1;
inline constexpr QLatin1StringView RemainingQty = "remaining_qty"_L1;

inline constexpr QLatin1StringView AvgPrice = "avg_price"_L1;
inline constexpr QLatin1StringView MarkPrice = "mark_price"_L1;
inline constexpr QLatin1StringView UnrealizedPnl = "unrealized_pnl"_L1;
inline constexpr QLatin1StringView RealizedPnl = "realized_pnl"_L1;

inline constexpr QLatin1StringView CpuPercent = "cpu_percent"_L1;
inline constexpr QLatin1StringView RssBytes = "rss_bytes"_L1;
inline constexpr QLatin1StringView Threads = "threads"_L1;
inline constexpr QLatin1StringView OpenFds = "open_fds"_L1;
inline constexpr QLatin1StringView LoadAvg = "load_avg"_L1;
inline constexpr QLatin1StringView Pid = "pid"_L1;

inline constexpr QLatin1StringView Sharpe = "sharpe"_L1;
inline constexpr QLatin1StringView SharpeWindow = "sharpe_window"_L1;
inline constexpr QLatin1StringView WinRate = "win_rate"_L1;
inline constexpr QLatin1StringView MaxDrawdown = "max_drawdown"_L1;
inline constexpr QLatin1StringView Trades = "trades"_L1;
inline constexpr QLatin1StringView ClosedTrades = "closed_trades"_L1;

inline constexpr QLatin1StringView Level = "level"_L1;
inline constexpr QLatin1StringView Rule = "rule"_L1;
inline constexpr QLatin1StringView Message = "message"_L1;
inline constexpr QLatin1StringView Value = "value"_L1;
inline constexpr QLatin1StringView Limit = "limit"_L1;

} // namespace QuantPush::DemoKey
