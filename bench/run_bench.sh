#!/usr/bin/env bash
# Runs the benchmark scenarios against quantpush-server and, for comparison,
# the Node.js `ws` peer in bench/peers/node-ws, with the same load generator.
# Usage: bench/run_bench.sh [build-dir] [fanout|compression]   (prints one line per run)
#   fanout (default): the fan-out scenarios below, then the node-ws peer.
#   compression: batched market_data (demo ticks) to 1,000 subscribers, text and
#     compressed (?compression=deflate) runs interleaved against one server, so
#     that both see the same machine; COMPRESSION_ROUNDS (default 2) pairs at
#     each of COMPRESSION_RATES (default "200 1000") msgs/s.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
MODE=${2:-fanout}
BENCH="$BUILD/bin/quantpush-bench"
SERVER="$BUILD/bin/quantpush-server"
[ -x "$BENCH" ] && [ -x "$SERVER" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }

CONFIG=$(mktemp --suffix=.yaml)
trap 'rm -f "$CONFIG"; kill $(jobs -p) 2>/dev/null || true' EXIT
cat > "$CONFIG" <<'YAML'
websocket: {host: 127.0.0.1, port: 18800, auth_required: false, max_connections: 20000, message_queue_size: 100000}
auth:
  anonymous_role: trader
  api_keys: [{key: bench-admin-key, user: bench, role: admin}]
limits: {inbound_messages_per_sec: 1000000, inbound_burst: 1000000, max_connections_per_ip: 20000, max_pending_bytes: 67108864}
logging: {level: warning}
YAML

SCENARIOS=(
  "--clients 10 --rate 5000 --duration 10"
  "--clients 100 --rate 1000 --duration 10"
  "--clients 1000 --rate 100 --duration 10"
)

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# CPU seconds (user + system) the server process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

run_against() { # name port pid
  local name=$1 port=$2 pid=$3
  for scenario in "${SCENARIOS[@]}"; do
    before=$(cpu_s "$pid")
    # shellcheck disable=SC2086
    result=$(QT_NO_GLIB=1 "$BENCH" --url "ws://127.0.0.1:$port/ws" --api-key bench-admin-key $scenario)
    after=$(cpu_s "$pid")
    echo "$name $result server_rss_kb=$(rss_kb "$pid") server_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", a - b}')"
  done
}

"$SERVER" --config "$CONFIG" > /dev/null 2>&1 &
QP=$!
sleep 1

if [ "$MODE" = compression ]; then
  for rate in ${COMPRESSION_RATES:-200 1000}; do
  for _ in $(seq 1 "${COMPRESSION_ROUNDS:-2}"); do
    for compression in none deflate; do
      flag=""
      [ "$compression" = deflate ] && flag="--compression"
      before=$(cpu_s "$QP")
      # shellcheck disable=SC2086
      result=$(QT_NO_GLIB=1 "$BENCH" --url "ws://127.0.0.1:18800/ws" --api-key bench-admin-key --channel market_data \
               --ticks --clients 1000 --rate "$rate" --duration 10 --latency-sample 10 $flag)
      after=$(cpu_s "$QP")
      echo "quantpush-market_data $result server_rss_kb=$(rss_kb "$QP") server_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", a - b}')"
    done
  done
  done
  kill -TERM "$QP"; wait "$QP" || true
  exit 0
fi

run_against quantpush 18800 "$QP"
kill -TERM "$QP"; wait "$QP" || true

if command -v node > /dev/null && [ -d bench/peers/node-ws/node_modules/ws ]; then
  node bench/peers/node-ws/server.js 18900 bench-admin-key > /dev/null &
  NODE=$!
  sleep 1
  run_against node-ws 18900 "$NODE"
  kill "$NODE"; wait "$NODE" 2>/dev/null || true
else
  echo "node-ws peer skipped: run 'npm ci' in bench/peers/node-ws" >&2
fi
