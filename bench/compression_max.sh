#!/usr/bin/env bash
# Maximum deliveries/s of batched market_data, text against compressed, in the
# same run: `bench/run_bench.sh --compression-max [build-dir]` (which runs this).
# Each round starts a fresh server for a text run and then for a compressed
# run (?compression=deflate), alternating which goes first; quantpush-loadgen
# publishes demo-like ticks as fast as the server answers (a window of
# COMPRESSION_WINDOW unanswered publishes) and parses every message of every
# subscriber (inflating the compressed ones).
# COMPRESSION_CLIENTS (1000), COMPRESSION_WINDOW (1024), COMPRESSION_DURATION (8),
# COMPRESSION_ROUNDS (3). Prints one line per run with the server's CPU seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_lib.sh
BUILD=${1:-build}
LOADGEN="$BUILD/bin/quantpush-loadgen"
SERVER="$BUILD/bin/quantpush-server"
[ -x "$LOADGEN" ] && [ -x "$SERVER" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
CLIENTS=${COMPRESSION_CLIENTS:-1000}
WINDOW=${COMPRESSION_WINDOW:-1024}
DURATION=${COMPRESSION_DURATION:-8}
ROUNDS=${COMPRESSION_ROUNDS:-3}
ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2> /dev/null && wait "$PID" 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(free_port)
bench_config "$WORK/server.yaml" "$PORT"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS subscribers of market_data, window $WINDOW"
for ((round = 1; round <= ROUNDS; ++round)); do
  order="none deflate"
  [ $((round % 2)) -eq 0 ] && order="deflate none"
  for compression in $order; do
    "$SERVER" --config "$WORK/server.yaml" > "$WORK/server.log" 2>&1 &
    PID=$!
    wait_port "$PORT"
    flag=""
    [ "$compression" = deflate ] && flag="--compression"
    before=$(cpu_s "$PID")
    result=$("$LOADGEN" --url "ws://127.0.0.1:$PORT/ws" --api-key bench-admin-key --channel market_data --ticks \
      --clients "$CLIENTS" --rate 0 --window "$WINDOW" --duration "$DURATION" $flag 2> "$WORK/loadgen.err" \
      || echo "failed: $(tail -1 "$WORK/loadgen.err")")
    after=$(cpu_s "$PID")
    echo "compression-max $compression load=$(cut -d' ' -f1 /proc/loadavg) $result server_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", a - b}')"
    kill -TERM "$PID"
    wait "$PID" 2> /dev/null || true
    PID=""
  done
done
