#pragma once

#include <QtCore/QByteArray>

namespace QuantPush::RedisScripts {

// One publish, atomically: the channel's next seq (never below the floor the
// node sends, nor below the stream's last entry, so a Redis that came back
// empty cannot reuse a seq), the stream entry with ID <seq>-0 trimmed to
// about the history size, and the fan-out to every node as "<seq> <body>".
// KEYS: counter, stream, pub/sub channel. ARGV: floor, maxlen, body.
inline constexpr char Publish[] = R"lua(
local floor = tonumber(ARGV[1])
local seq = redis.call('INCR', KEYS[1])
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #last > 0 then
  local lastSeq = tonumber(string.match(last[1][1], '^(%d+)'))
  if lastSeq > floor then floor = lastSeq end
end
if seq <= floor then
  seq = floor + 1
  redis.call('SET', KEYS[1], seq)
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'm', ARGV[3])
redis.call('PUBLISH', KEYS[3], seq .. ' ' .. ARGV[3])
return seq
)lua";

// A node's heartbeat, and the cluster view in the same round trip: the
// node's key lives ARGV[3] ms; nodes whose key expired leave the set.
// KEYS: the node set. ARGV: node id, info JSON, ttl ms, node key prefix.
// Returns id, info, id, info, ...
inline constexpr char Heartbeat[] = R"lua(
redis.call('SET', ARGV[4] .. ARGV[1], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[1])
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local info = redis.call('GET', ARGV[4] .. id)
  if info then
    table.insert(out, id)
    table.insert(out, info)
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return out
)lua";

} // namespace QuantPush::RedisScripts
