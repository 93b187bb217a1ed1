#!/usr/bin/env bash
# ctest driver: the real server binary with --demo on a free port (the
# kernel picks it: --port 0, read back from the log), started through
# scripts/start_websocket_server.sh, then scripts/test_websocket_client.sh
# against it: once plainly, once cutting the connection every second so that
# every subscription resumes with "since".
#   examples_smoke.sh SERVER_BINARY SOURCE_DIR
set -euo pipefail
server_binary="$1"
root="$2"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A faster demo feed, so that a few seconds cover every channel.
cat > "$work/demo.yaml" <<'YAML'
websocket:
  auth_required: false
auth:
  anonymous_role: trader
demo:
  tick_interval_ms: 20
  strategy_status_interval_ms: 300
  system_monitor_interval_ms: 200
  performance_interval_ms: 300
  order_interval_ms: 100
YAML

: > "$work/server.log"
QUANTPUSH_SERVER="$server_binary" "$root/scripts/start_websocket_server.sh" \
    --config "$work/demo.yaml" --host 127.0.0.1 --port 0 > "$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 150); do
    port="$(grep -o 'listening on ws://127\.0\.0\.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$' || true)"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
url="ws://127.0.0.1:$port/ws"

echo "== plain run"
"$root/scripts/test_websocket_client.sh" --url "$url" --duration 3 --expect-channels 5 --strict

echo "== cut every second, resume with since"
"$root/scripts/test_websocket_client.sh" --url "$url" --duration 4 --expect-channels 5 --strict \
    -- -c market_data -c order_updates -c strategy_status -c system_monitor -c trading_signals \
       -c performance_metrics --drop-every 1 --initial-delay 0.05 --max-delay 0.2

echo "== compressed pushes (--compression), cut every second"
"$root/scripts/test_websocket_client.sh" --url "$url" --duration 3 --expect-channels 5 --strict \
    -- -c market_data -c order_updates -c strategy_status -c system_monitor -c trading_signals \
       -c performance_metrics --compression --drop-every 1 --initial-delay 0.05 --max-delay 0.2

# The server stops cleanly on SIGTERM.
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then
    echo "the server exited with $status after SIGTERM" >&2
    tail -20 "$work/server.log" >&2
    exit 1
fi
echo "server stopped cleanly"
