#!/bin/bash
# Before/after on the loadgen rows: two (or more) quantpush-server binaries,
# interleaved run by run, a fresh server per run, quantpush-loadgen as the
# generator (1,000 subscribers of strategy_status, 200-byte payloads, 8 s).
# Prints one line per run with the server's CPU seconds (user + system, from
# /proc/PID/stat around the run) and its CPU per delivery, which is what a
# change to the delivery path moves even when the shared machine is too busy
# for the latency columns to mean much.
# Usage: bench/ab_rows.sh BUILD_DIR SERVER... (env: AB_ROUNDS=2 AB_WORKERS=1
#   AB_ROWS="window rate1000 rate50" AB_PORT=18874)
set -u
cd "$(dirname "$0")/.."
. bench/bench_lib.sh
B=$1; shift
PORT=${AB_PORT:-18874}
CONFIG=$(mktemp --suffix=.yaml)
trap 'rm -f "$CONFIG"' EXIT
bench_config "$CONFIG" "$PORT"
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # server row
  local args
  case $2 in
    window) args="--rate 0 --window 64" ;;
    rate1000) args="--rate 1000" ;;
    rate50) args="--rate 50" ;;
    *) echo "unknown row $2" >&2; exit 2 ;;
  esac
  # Other helpers' compilers yield to the timed run.
  renice -n 19 -p $(pgrep -d' ' -f 'cc1plus|ninja') > /dev/null 2>&1
  "$1" --config "$CONFIG" --event-loop epoll --worker-threads "${AB_WORKERS:-1}" > /dev/null 2>&1 & local P=$!
  wait_port "$PORT" || exit 1
  local c0 c1 r
  c0=$(cpu_s $P)
  r=$("$B/bin/quantpush-loadgen" --url ws://127.0.0.1:$PORT/ws --api-key bench-admin-key --clients 1000 $args \
      --duration 8 2> /dev/null | tail -1)
  c1=$(cpu_s $P)
  local delivered rss
  delivered=$(echo "$r" | grep -o ' delivered=[0-9]*' | cut -d= -f2)
  rss=$(awk '/VmHWM/ {print $2}' /proc/$P/status)
  kill $P; wait $P 2> /dev/null
  echo "$2 $1 workers=${AB_WORKERS:-1} load=$(cut -d' ' -f1 /proc/loadavg) server_cpu_s=$(echo "$c1 - $c0" | bc)" \
       "us_per_delivery=$(echo "scale=3; ($c1 - $c0) * 1000000 / ${delivered:-1}" | bc) rss_hwm_kb=$rss" \
       "$(echo "$r" | grep -o 'deliveries_per_s=[^ ]*\|lost=[^ ]*\|p50_ms=[^ ]*\|p99_ms=[^ ]*\|gap_seqs=[^ ]*\|disconnected=[^ ]*\|loadgen_cpu_s=[^ ]*' | tr '\n' ' ')"
}
for round in $(seq 1 "${AB_ROUNDS:-2}"); do
  for row in ${AB_ROWS:-window rate1000 rate50}; do
    for server in "$@"; do run "$server" "$row"; done
  done
done
