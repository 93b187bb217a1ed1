#!/usr/bin/env bash
# Reproduces docs/images/*.png: the admin console against a real server with
# the demo feed, on a virtual 1600x1000 X display, in English and Chinese.
#
#   scripts/take_screenshots.sh [BUILD_DIR]     (default: build-console)
#
# Needs: xvfb-run, ImageMagick's `import`, fonts-noto-cjk; node (>= 20, for
# a few subscriber bots so the tables have more than the console in them;
# skipped when absent); redis-server for the cluster pictures (skipped when
# absent). Builds nothing: build quantpush-server and
# quantpush-console first.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-build-console}
PORT=${QUANTPUSH_SCREENSHOT_PORT:-18790}
OUT=docs/images
FILL_SECONDS=${QUANTPUSH_SCREENSHOT_FILL:-30}
URL="ws://127.0.0.1:${PORT}/ws"

find_binary() {
    local name=$1 path
    for path in "$BUILD_DIR/bin/$name" "$BUILD_DIR/server/core/$name" "$BUILD_DIR/console/$name"; do
        [[ -x $path ]] && { echo "$path"; return; }
    done
    echo "take_screenshots: $name not found under $BUILD_DIR" >&2
    exit 1
}
SERVER=$(find_binary quantpush-server)
CONSOLE=$(find_binary quantpush-console)
for tool in xvfb-run import; do
    command -v "$tool" >/dev/null || { echo "take_screenshots: $tool is required" >&2; exit 1; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# 1. The server, with the demo feed; it prints an admin token on stderr.
start_demo_server() { # NAME PORT [ARGS...] -> TOKEN
    local name=$1 port=$2
    shift 2
    "$SERVER" --demo --port "$port" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    PIDS+=($!)
    TOKEN=
    for _ in $(seq 50); do
        TOKEN=$(grep -Eo '^eyJ[A-Za-z0-9_.-]+' "$WORK/$name.err" || true)
        [[ -n $TOKEN ]] && break
        sleep 0.2
    done
    [[ -n $TOKEN ]] || { cat "$WORK/$name.err" >&2; echo "take_screenshots: no admin token" >&2; exit 1; }
}
start_demo_server server "$PORT"

# 2. A few subscribers, as trading bots and dashboards would be (the demo
#    server accepts anonymous clients). Real connections, real traffic.
if command -v node >/dev/null && node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    cat >"$WORK/bot.js" <<'EOF'
// node --experimental-websocket bot.js URL CHANNEL[:FILTERS_JSON] ...
const [url, ...subscriptions] = process.argv.slice(2);
const ws = new WebSocket(url);
let id = 0;
ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type !== 'welcome') return;
    for (const entry of subscriptions) {
        const [channel, filters] = entry.split(/:(.*)/s);
        const data = { type: channel };
        if (filters) data.filters = JSON.parse(filters);
        ws.send(JSON.stringify({ type: 'subscribe', id: `s${++id}`, data }));
    }
};
ws.onclose = () => process.exit(0);
EOF
    bot() { node --experimental-websocket "$WORK/bot.js" "$URL" "$@" >/dev/null 2>&1 & PIDS+=($!); }
    bot market_data trading_signals
    bot 'market_data:{"symbol":["BTCUSDT","ETHUSDT"]}' strategy_status
    bot trading_signals performance_metrics
    bot 'market_data:{"price":{"gte":100}}'
    bot strategy_status system_monitor
fi

# 3. The console, once per picture, on a fresh virtual display. Settings go
#    to a throw-away config dir with a 1-minute window (the charts fill in
#    the 20 s the script waits).
shoot() {
    local file=$1 wait=$2
    shift 2
    local config="$WORK/config-$file"
    mkdir -p "$config/QuantPush"
    printf '[dashboard]\nwindowMinutes=1\n' >"$config/QuantPush/quantpush-console.conf"
    XDG_CONFIG_HOME="$config" xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
        "$@" -geometry 1600x1000+0+0 >/dev/null 2>&1 &
        console=$!
        sleep '"$wait"'
        import -window root "'"$OUT/$file"'"
        kill $console
        wait $console 2>/dev/null || true
    ' shoot "$CONSOLE" --url "$URL" --token "$TOKEN" "$@"
    echo "wrote $OUT/$file"
}

mkdir -p "$OUT"
sleep 2 # let the bots subscribe, so the first charts already carry their traffic
for lang in en zh_CN; do
    shoot "dashboard_${lang}.png" "$FILL_SECONDS" --lang "$lang" --page dashboard
    shoot "composer_${lang}.png" 6 --lang "$lang" --page composer --send-template trading_signals
    shoot "connections_${lang}.png" 6 --lang "$lang" --page connections --inspect market_data
    shoot "statistics_${lang}.png" 8 --lang "$lang" --page statistics --inspect market_data
    shoot "inspector_${lang}.png" 6 --lang "$lang" --page inspector --inspect market_data
done

# 4. The cluster view (Statistics, Nodes): two nodes on one redis-server,
#    bots on both, the console on the first. Skipped without redis-server.
if command -v redis-server >/dev/null; then
    REDIS_PORT=$((PORT + 1))
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
    PIDS+=($!)
    sleep 0.5
    for node in ws-a ws-b; do
        # Anonymous bots as traders, like the demo's embedded defaults.
        printf 'websocket: {auth_required: false}\nauth: {anonymous_role: trader}\nbroker: {type: redis, url: "redis://127.0.0.1:%s/0", node_id: %s}\n' \
            "$REDIS_PORT" "$node" >"$WORK/$node.yaml"
    done
    "$SERVER" --config "$WORK/ws-b.yaml" --port $((PORT + 3)) >"$WORK/ws-b.out" 2>&1 &
    PIDS+=($!)
    start_demo_server ws-a $((PORT + 2)) --config "$WORK/ws-a.yaml"
    if declare -F bot >/dev/null; then
        URL="ws://127.0.0.1:$((PORT + 3))/ws"
        bot market_data trading_signals
        bot strategy_status
        bot market_data
        URL="ws://127.0.0.1:$((PORT + 2))/ws"
        bot trading_signals performance_metrics
    fi
    URL="ws://127.0.0.1:$((PORT + 2))/ws"
    sleep 3 # two heartbeats: each node lists the other
    for lang in en zh_CN; do
        shoot "cluster_${lang}.png" 8 --lang "$lang" --page statistics
    done
fi
