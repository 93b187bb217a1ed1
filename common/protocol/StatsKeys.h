#pragma once

#include <QtCore/QString>

// Every JSON key of the stats body (GET /websocket/stats, the admin `stats`
// reply, data.stats of a system_monitor push), named once: Metrics renders
// with these and the console parses with them (console/WireNames.h,
// Wire::Stats).
namespace QuantPush::StatsKey {
using namespace Qt::Literals::StringLiterals;

// Top level.
inline constexpr QLatin1StringView UptimeS = "uptime_s"_L1;
inline constexpr QLatin1StringView Connections = "connections"_L1;
inline constexpr QLatin1StringView Subscriptions = "subscriptions"_L1;
inline constexpr QLatin1StringView Messages = "messages"_L1;
inline constexpr QLatin1StringView Errors = "errors"_L1;
inline constexpr QLatin1StringView ErrorsPerSec = "errors_per_sec"_L1;
inline constexpr QLatin1StringView AuthFailures = "auth_failures"_L1;
inline constexpr QLatin1StringView SlowConsumerCloses = "slow_consumer_closes"_L1;
inline constexpr QLatin1StringView Latency = "latency"_L1;
inline constexpr QLatin1StringView Throughput = "throughput"_L1;
inline constexpr QLatin1StringView Compression = "compression"_L1;
inline constexpr QLatin1StringView Bandwidth = "bandwidth"_L1;
inline constexpr QLatin1StringView Queues = "queues"_L1;
inline constexpr QLatin1StringView Process = "process"_L1;
inline constexpr QLatin1StringView Alerts = "alerts"_L1;
inline constexpr QLatin1StringView Channels = "channels"_L1;
inline constexpr QLatin1StringView NodeId = "node_id"_L1;
inline constexpr QLatin1StringView Broker = "broker"_L1;

// connections.*
inline constexpr QLatin1StringView Current = "current"_L1;
inline constexpr QLatin1StringView Authenticated = "authenticated"_L1;
inline constexpr QLatin1StringView Peak = "peak"_L1;
inline constexpr QLatin1StringView Total = "total"_L1;
inline constexpr QLatin1StringView Refused = "refused"_L1;
inline constexpr QLatin1StringView ByNetwork = "by_network"_L1;
inline constexpr QLatin1StringView ByRole = "by_role"_L1;
inline constexpr QLatin1StringView ByUser = "by_user"_L1;
inline constexpr QLatin1StringView Duration = "duration"_L1;
inline constexpr QLatin1StringView Open = "open"_L1;
inline constexpr QLatin1StringView Closed = "closed"_L1;

// A histogram: non-cumulative buckets, bounds in seconds ("+Inf" last).
inline constexpr QLatin1StringView Count = "count"_L1;
inline constexpr QLatin1StringView SumS = "sum_s"_L1;
inline constexpr QLatin1StringView MaxS = "max_s"_L1;
inline constexpr QLatin1StringView Buckets = "buckets"_L1;
inline constexpr QLatin1StringView Le = "le"_L1;
inline constexpr QLatin1StringView PlusInf = "+Inf"_L1;

// latency.* (lifetime), its windows and each channel's windows.
inline constexpr QLatin1StringView P50Ms = "p50_ms"_L1;
inline constexpr QLatin1StringView P90Ms = "p90_ms"_L1;
inline constexpr QLatin1StringView P99Ms = "p99_ms"_L1;
inline constexpr QLatin1StringView MaxMs = "max_ms"_L1;
inline constexpr QLatin1StringView MeanMs = "mean_ms"_L1;
inline constexpr QLatin1StringView Recent = "recent"_L1;
inline constexpr QLatin1StringView Windows = "windows"_L1;
inline constexpr QLatin1StringView WindowS = "window_s"_L1;

// The name of a latency window of `seconds` in latency.windows: "10s", "1m", "5m".
inline QString latencyWindow(int seconds)
{
    return seconds % 60 == 0 ? u"%1m"_s.arg(seconds / 60) : u"%1s"_s.arg(seconds);
}

// messages.*, throughput.*, bandwidth.*, queues.*
inline constexpr QLatin1StringView Published = "published"_L1;
inline constexpr QLatin1StringView Delivered = "delivered"_L1;
inline constexpr QLatin1StringView PublishedPerSec = "published_per_sec"_L1;
inline constexpr QLatin1StringView DeliveredPerSec = "delivered_per_sec"_L1;
inline constexpr QLatin1StringView FramesIn = "frames_in"_L1;
inline constexpr QLatin1StringView BytesIn = "bytes_in"_L1;
inline constexpr QLatin1StringView BytesOut = "bytes_out"_L1;
inline constexpr QLatin1StringView BytesInPerSec = "bytes_in_per_sec"_L1;
inline constexpr QLatin1StringView BytesOutPerSec = "bytes_out_per_sec"_L1;
inline constexpr QLatin1StringView QueuedFrames = "queued_frames"_L1;
inline constexpr QLatin1StringView BufferedBytes = "buffered_bytes"_L1;
inline constexpr QLatin1StringView PendingMessages = "pending_messages"_L1;

// process.*
inline constexpr QLatin1StringView Known = "known"_L1;
inline constexpr QLatin1StringView CpuPercent = "cpu_percent"_L1;
inline constexpr QLatin1StringView CpuSecondsTotal = "cpu_seconds_total"_L1;
inline constexpr QLatin1StringView CpuWaitPercent = "cpu_wait_percent"_L1;
inline constexpr QLatin1StringView CpuWaitSecondsTotal = "cpu_wait_seconds_total"_L1;
inline constexpr QLatin1StringView RssBytes = "rss_bytes"_L1;
inline constexpr QLatin1StringView Threads = "threads"_L1;
inline constexpr QLatin1StringView OpenFds = "open_fds"_L1;

// compression.*
inline constexpr QLatin1StringView FramesCompressed = "frames_compressed"_L1;
inline constexpr QLatin1StringView InputBytes = "input_bytes"_L1;
inline constexpr QLatin1StringView OutputBytes = "output_bytes"_L1;
inline constexpr QLatin1StringView CpuSeconds = "cpu_seconds"_L1;

// channels.<name>.*
inline constexpr QLatin1StringView Seq = "seq"_L1;
inline constexpr QLatin1StringView Pending = "pending"_L1;
inline constexpr QLatin1StringView Coalesced = "coalesced"_L1;
inline constexpr QLatin1StringView Gaps = "gaps"_L1;
inline constexpr QLatin1StringView Redelivered = "redelivered"_L1;
inline constexpr QLatin1StringView AckExpired = "ack_expired"_L1;
inline constexpr QLatin1StringView CompressedFrames = "compressed_frames"_L1;
inline constexpr QLatin1StringView BytesBeforeCompression = "bytes_before_compression"_L1;
inline constexpr QLatin1StringView BytesAfterCompression = "bytes_after_compression"_L1;
inline constexpr QLatin1StringView Bytes = "bytes"_L1;

// alerts.<rule>: the state of each rule.
inline constexpr QLatin1StringView Firing = "firing"_L1;
inline constexpr QLatin1StringView Ok = "ok"_L1;

// broker: this node's broker and, with Redis, every node alive.
inline constexpr QLatin1StringView Type = "type"_L1; // "local" or "redis"
inline constexpr QLatin1StringView Available = "available"_L1;
inline constexpr QLatin1StringView UnavailableReason = "unavailable_reason"_L1;
inline constexpr QLatin1StringView NodesAlive = "nodes_alive"_L1;
inline constexpr QLatin1StringView ClusterConnections = "cluster_connections"_L1;
inline constexpr QLatin1StringView Nodes = "nodes"_L1;
// broker.nodes[]: node_id, connections, and its last heartbeat: the
// node's wall clock then, and how long ago by the describing node's clock
// (what the console shows: no skew against the console's own clock).
inline constexpr QLatin1StringView LastBeatMs = "last_beat_ms"_L1;
inline constexpr QLatin1StringView BeatAgeMs = "beat_age_ms"_L1;

} // namespace QuantPush::StatsKey
