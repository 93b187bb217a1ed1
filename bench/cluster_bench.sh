#!/usr/bin/env bash
# Fan-out through Redis with two nodes against one node, in the same run:
# `bench/run_bench.sh --cluster [build-dir]` (which runs this script).
# Each round runs every row on one node (local broker) and then on two nodes
# sharing one redis-server (the subscribers split evenly over the two nodes,
# the publisher on the first), a fresh set of processes per run, with
# quantpush-loadgen counting every seq of every subscriber.
#   rate    CLUSTER_RATE msgs/s (default 1000) for CLUSTER_DURATION s: loss, p50/p99/p99.9
#   window  as fast as the publisher's window of 64 unanswered publishes allows: deliveries/s
# CLUSTER_CLIENTS (default 1000), CLUSTER_ROUNDS (default 3), CLUSTER_ROWS ("rate window"),
# CLUSTER_CHANNEL (default strategy_status, immediate), CLUSTER_WORKERS (each node's
# --worker-threads; default: the server's own default, one per core).
# Prints one line per run: row, setup, the load average, the generator's
# report, and the CPU seconds the nodes and redis-server used during the run,
# and how long their threads waited for a CPU (runq_wait_s, bench_lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench_lib.sh
BUILD=${1:-build}
LOADGEN="$BUILD/bin/quantpush-loadgen"
SERVER="$BUILD/bin/quantpush-server"
[ -x "$LOADGEN" ] && [ -x "$SERVER" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
command -v redis-server > /dev/null || { echo "redis-server is not installed (scripts/setup_debian.sh)" >&2; exit 1; }
CLIENTS=${CLUSTER_CLIENTS:-1000}
RATE=${CLUSTER_RATE:-1000}
DURATION=${CLUSTER_DURATION:-8}
ROUNDS=${CLUSTER_ROUNDS:-3}
ROWS=${CLUSTER_ROWS:-rate window}
CHANNEL=${CLUSTER_CHANNEL:-strategy_status}
WORKER_FLAGS=()
[ -n "${CLUSTER_WORKERS:-}" ] && WORKER_FLAGS=(--worker-threads "$CLUSTER_WORKERS")
ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
PIDS=()
REDIS_PID=""
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_all
  [ -n "$REDIS_PID" ] && kill -TERM "$REDIS_PID" 2> /dev/null && wait "$REDIS_PID" 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_healthy() { # port
  for _ in $(seq 1 200); do
    python3 -c 'import sys, urllib.request; sys.exit(0 if b"\"ok\"" in urllib.request.urlopen(
        "http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=1).read() else 1)' "$1" 2> /dev/null && return 0
    sleep 0.1
  done
  echo "node on port $1 is not healthy" >&2
  return 1
}

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --protected-mode no \
  > "$WORK/redis.log" 2>&1 &
REDIS_PID=$!
# FLUSHALL below must not race redis-server's start.
wait_port "$REDIS_PORT" || { cat "$WORK/redis.log" >&2; exit 1; }

start_setup() { # single|redis2 -> PIDS, URLS
  local ports=() i
  URLS=()
  local nodes=1
  [ "$1" = redis2 ] && nodes=2
  for ((i = 1; i <= nodes; ++i)); do
    local port
    port=$(free_port)
    local broker=""
    [ "$1" = redis2 ] && broker="broker: {type: redis, url: \"redis://127.0.0.1:$REDIS_PORT/0\", node_id: node$i}"
    bench_config "$WORK/node$i.yaml" "$port" "$broker"
    "$SERVER" --config "$WORK/node$i.yaml" "${WORKER_FLAGS[@]}" > "$WORK/node$i.log" 2>&1 &
    PIDS+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    wait_healthy "$port"
    URLS+=(--url "ws://127.0.0.1:$port/ws")
  done
}

row_args() { # row
  case $1 in
    rate) echo "--rate $RATE" ;;
    window) echo "--rate 0 --window 64" ;;
  esac
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS subscribers of $CHANNEL"
for ((round = 1; round <= ROUNDS; ++round)); do
  for row in $ROWS; do
    for setup in single redis2; do
      redis-cli -p "$REDIS_PORT" FLUSHALL > /dev/null
      start_setup "$setup"
      before=()
      waits=()
      for pid in "${PIDS[@]}" "$REDIS_PID"; do
        before+=("$(cpu_s "$pid")")
        waits+=("$(runq_wait_s "$pid")")
      done
      # shellcheck disable=SC2046
      result=$("$LOADGEN" "${URLS[@]}" --api-key bench-admin-key --channel "$CHANNEL" --clients "$CLIENTS" \
        --duration "$DURATION" $(row_args "$row") 2> "$WORK/loadgen.err" || echo "failed: $(tail -1 "$WORK/loadgen.err")")
      cpu=""
      i=0
      for pid in "${PIDS[@]}"; do
        cpu+=" node$((i + 1))_cpu_s=$(awk -v a="$(cpu_s "$pid")" -v b="${before[$i]}" 'BEGIN {printf "%.2f", a - b}')"
        cpu+=" node$((i + 1))_runq_wait_s=$(awk -v a="$(runq_wait_s "$pid")" -v b="${waits[$i]}" 'BEGIN {d = a - b; printf "%.2f", (d > 0 ? d : 0)}')"
        i=$((i + 1))
      done
      cpu+=" redis_cpu_s=$(awk -v a="$(cpu_s "$REDIS_PID")" -v b="${before[$i]}" 'BEGIN {printf "%.2f", a - b}')"
      cpu+=" redis_runq_wait_s=$(awk -v a="$(runq_wait_s "$REDIS_PID")" -v b="${waits[$i]}" 'BEGIN {d = a - b; printf "%.2f", (d > 0 ? d : 0)}')"
      echo "$row $setup load=$(cut -d' ' -f1 /proc/loadavg) $result$cpu"
      stop_all
    done
  done
done
