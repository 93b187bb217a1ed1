#!/usr/bin/env bash
# Reproduces the rows of docs/benchmarks.md ("Connections at scale"):
# connects/s and server RSS per idle subscribed connection, fixed-rate
# fan-out with loss and p50/p99/p99.9, max throughput with a publisher
# window, batched market_data, and fan-out with idle connections beside.
# Each row runs against every server in turn (interleaved, a fresh server
# process per run): QuantPush on its epoll dispatcher, QuantPush on Qt's poll
# dispatcher, and the Node.js `ws` peer in bench/peers/node-ws.
# The rows' generator is quantpush-loadgen (bench/loadgen: one thread, epoll,
# no Qt), so that the server, not the generator, is what they measure;
# compression mode still uses quantpush-bench (its columns are what the
# compression section of docs/benchmarks.md compares).
#
# Usage: bench/run_bench.sh [build-dir] [rows|compression]
#   rows (default): the rows below, interleaved across servers.
#   compression: batched market_data (demo ticks) to 1,000 subscribers, text and
#     compressed (?compression=deflate) runs interleaved against one QuantPush
#     server (default event loop), so that both see the same machine;
#     COMPRESSION_ROUNDS (default 2) pairs at each of COMPRESSION_RATES
#     (default "200 1000") msgs/s.
#   BENCH_ROWS="connect rate50 rate1000 window idle batched"   rows to run
#   BENCH_SERVERS="qp-epoll qp-poll node-ws"                   servers to compare
#   BENCH_BASELINE=/path/to/quantpush-server  adds server "qp-base": that binary
#     (e.g. a build of main before a change) on epoll, for before/after in one run
#   BENCH_REPEAT=1                                             runs per row and server
#   BENCH_CLIENTS=1000 BENCH_CONNECT_CLIENTS=10000 BENCH_IDLE=10000 BENCH_DURATION=8
#   BENCH_CONCURRENCY=128                                      handshakes in flight while connecting
#   BENCH_PORT=18800 BENCH_NODE_PORT=18900   listening ports (two runs at once need their own)
#   BENCH_ACCESS_LOG=1                                         QuantPush with its access log on (info level)
# Prints one line per run, then (with BENCH_REPEAT > 1) one "median" line per
# row and server: the median of each run's figures, and for the connect row
# the ratio of each QuantPush server's median connects/s to node-ws's. Needs `ulimit -n` of at least 2 x (clients + idle) + 100
# in total for the generator and server; it raises the soft limit to the hard one.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_lib.sh
# Two nodes on Redis against one node: bench/cluster_bench.sh says what it runs.
# The fixed-rate and window rows with quantpush-loadgen, worker_threads 1 and 2, then --cluster's rate row: bench/quiet_rows.sh.
if [ "${1:-}" = --loadgen-rows ]; then shift; exec bench/quiet_rows.sh "$@"; fi
if [ "${1:-}" = --cluster ]; then shift; exec bench/cluster_bench.sh "$@"; fi
# Maximum deliveries/s of batched market_data, text against compressed: bench/compression_max.sh.
if [ "${1:-}" = --compression-max ]; then shift; exec bench/compression_max.sh "$@"; fi
BUILD=${1:-build}
MODE=${2:-rows}
BENCH="$BUILD/bin/quantpush-bench"
LOADGEN="$BUILD/bin/quantpush-loadgen"
SERVER="$BUILD/bin/quantpush-server"
[ -x "$BENCH" ] && [ -x "$LOADGEN" ] && [ -x "$SERVER" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
ROWS=${BENCH_ROWS:-connect rate50 rate1000 window idle batched}
SERVERS=${BENCH_SERVERS:-qp-epoll qp-poll node-ws}
REPEAT=${BENCH_REPEAT:-1}
CLIENTS=${BENCH_CLIENTS:-1000}
CONNECT_CLIENTS=${BENCH_CONNECT_CLIENTS:-10000}
IDLE=${BENCH_IDLE:-10000}
DURATION=${BENCH_DURATION:-8}
CONCURRENCY=${BENCH_CONCURRENCY:-128}
ulimit -n "$(ulimit -Hn)"

CONFIG=$(mktemp --suffix=.yaml)
ERRORS=$(mktemp --suffix=.stderr)
RESULTS=$(mktemp --suffix=.runs)
PID=""
cleanup() { rm -f "$CONFIG" "$ERRORS" "$RESULTS" ${ACCESS_LOG:+"$ACCESS_LOG"}; [ -n "$PID" ] && kill "$PID" 2> /dev/null || true; }
trap cleanup EXIT
QP_PORT=${BENCH_PORT:-18800}
NODE_PORT=${BENCH_NODE_PORT:-18900}
bench_config "$CONFIG" "$QP_PORT"
# BENCH_ACCESS_LOG=1: QuantPush writes its access log (info level, so one
# `connect` line per connection) to a temporary file, as a real deployment would.
ACCESS_LOG=""
if [ -n "${BENCH_ACCESS_LOG:-}" ]; then
  ACCESS_LOG=$(mktemp --suffix=.access.log)
  sed -i "s|^logging: .*|logging: {level: info, access_log_file: $ACCESS_LOG}|" "$CONFIG"
fi

have_node() { command -v node > /dev/null && [ -d bench/peers/node-ws/node_modules/ws ]; }


start_server() { # name -> sets PID and PORT
  local port=$QP_PORT
  [ "$1" = node-ws ] && port=$NODE_PORT
  # Something else on the port (another run) would be measured instead.
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    echo "port $port is already in use: set BENCH_PORT / BENCH_NODE_PORT" >&2
    exit 1
  fi
  case $1 in
    qp-epoll) PORT=$QP_PORT; "$SERVER" --config "$CONFIG" --event-loop epoll > /dev/null 2>&1 & PID=$! ;;
    qp-poll) PORT=$QP_PORT; "$SERVER" --config "$CONFIG" --event-loop poll > /dev/null 2>&1 & PID=$! ;;
    qp-base)
      [ -x "${BENCH_BASELINE:-}" ] || { echo "qp-base needs BENCH_BASELINE=<quantpush-server binary>" >&2; exit 2; }
      PORT=$QP_PORT; "$BENCH_BASELINE" --config "$CONFIG" --event-loop epoll > /dev/null 2>&1 & PID=$! ;;
    node-ws) PORT=$NODE_PORT; node bench/peers/node-ws/server.js "$NODE_PORT" bench-admin-key > /dev/null & PID=$! ;;
  esac
  wait_port "$PORT"
}

stop_server() {
  kill -TERM "$PID" 2> /dev/null || true
  wait "$PID" 2> /dev/null || true
  PID=""
}

# quantpush-loadgen's arguments for a row. The fan-out rows publish 200-byte
# padded payloads (--payload's default) as quantpush-bench did; idle
# connections subscribe to trading_signals, which nobody publishes on.
row_args() { # row
  local fanout="--api-key bench-admin-key --clients $CLIENTS --duration $DURATION --concurrency $CONCURRENCY"
  case $1 in
    connect) echo "--mode connect --clients $CONNECT_CLIENTS --concurrency $CONCURRENCY" ;;
    rate50) echo "$fanout --rate 50" ;;
    rate1000) echo "$fanout --rate 1000" ;;
    window) echo "$fanout --rate 0 --window 64" ;;
    idle) echo "$fanout --rate 50 --idle $IDLE" ;;
    batched) echo "$fanout --rate 2000 --channel market_data" ;;
    *) echo "unknown row '$1' (connect rate50 rate1000 window idle batched)" >&2; exit 2 ;;
  esac
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$MODE" = compression ]; then
  start_server qp-epoll
  for rate in ${COMPRESSION_RATES:-200 1000}; do
    for _ in $(seq 1 "${COMPRESSION_ROUNDS:-2}"); do
      for compression in none deflate; do
        flag=""
        [ "$compression" = deflate ] && flag="--compression"
        # shellcheck disable=SC2086
        result=$("$BENCH" --url "ws://127.0.0.1:$PORT/ws" --api-key bench-admin-key --server-pid "$PID" \
                 --channel market_data --ticks --clients 1000 --rate "$rate" --duration 10 --latency-sample 10 $flag)
        echo "quantpush-market_data $result"
      done
    done
  done
  stop_server
  exit 0
fi
[ "$MODE" = rows ] || { echo "unknown mode '$MODE' (rows or compression)" >&2; exit 2; }
for row in $ROWS; do
  for ((run = 1; run <= REPEAT; ++run)); do
    for server in $SERVERS; do
      if [ "$server" = node-ws ] && ! have_node; then
        echo "node-ws peer skipped: run 'npm ci' in bench/peers/node-ws" >&2
        continue
      fi
      # The peer has no batching strategy: market_data is only a QuantPush row.
      [ "$server" = node-ws ] && [ "$row" = batched ] && continue
      args=$(row_args "$row")
      start_server "$server"
      # One line per run: the loadgen's; when it failed, "failed: <what it said>"
      # first, then whatever line it printed.
      # shellcheck disable=SC2086
      if ! result=$("$LOADGEN" --url "ws://127.0.0.1:$PORT/ws" --server-pid "$PID" $args 2> "$ERRORS"); then
        result="failed: $(paste -sd';' "$ERRORS" | cut -c1-400) ${result:-}"
      fi
      echo "$row $server load=$(cut -d' ' -f1 /proc/loadavg) $result" | tee -a "$RESULTS"
      stop_server
    done
  done
done
[ "$REPEAT" -gt 1 ] && bench/summarize_runs.sh < "$RESULTS"
exit 0
