#!/bin/bash
# One build, quantpush-loadgen as the generator (it is not the limit, unlike quantpush-bench at 1 M/s):
# the issue 12 fixed-rate and window rows with worker_threads 1 and 2, then bench/cluster_bench.sh (rate row,
# 3 rounds) for issue 13. Usage: bench/quiet_rows.sh [build-dir]. Prints one loadgen line per run.
set -u
B=${1:-build}
. bench/bench_lib.sh
PORT=18860
bench_config /tmp/qb.yaml $PORT
echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
run_lg() { # workers mode...
  local w=$1; shift
  $B/bin/quantpush-server --config /tmp/qb.yaml --event-loop epoll --worker-threads $w > /dev/null 2>&1 & local P=$!
  wait_port $PORT
  local c0=$(cpu_s $P)
  local r=$($B/bin/quantpush-loadgen --url ws://127.0.0.1:$PORT/ws --api-key bench-admin-key --server-pid $P --clients 1000 "$@" --duration 8 2>/dev/null | tail -1)
  local c1=$(cpu_s $P); local rss=$(awk '/VmHWM/ {print $2}' /proc/$P/status)
  echo "workers=$w $* load=$(cut -d' ' -f1 /proc/loadavg) server_cpu_run_s=$(echo "$c1 - $c0" | bc) server_rss_hwm_kb=$rss $r"
  kill $P; wait $P 2>/dev/null
}
for run in 1 2 3 4 5; do for w in 1 2; do run_lg $w --rate 1000; done; done
for run in 1 2; do for w in 1 2; do run_lg $w --rate 0 --window 64; done; done
for run in 1 2; do for w in 1 2; do run_lg $w --rate 50; done; done
echo "# cluster $(date -u +%FT%TZ)"
CLUSTER_ROUNDS=3 CLUSTER_ROWS=rate bench/cluster_bench.sh $B
echo "# END $(date -u +%FT%TZ)"
