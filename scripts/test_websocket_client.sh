#!/usr/bin/env bash
# Runs examples/python_client.py against a running server for a while and
# reports how many messages arrived per channel.
#
#   scripts/test_websocket_client.sh [--url URL] [--duration SECONDS]
#                                    [--expect-channels N] [--strict] [-- CLIENT ARGS...]
#
#   --url              server URL (default $QUANTPUSH_URL or ws://127.0.0.1:8765/ws)
#   --duration         how long to listen, seconds (default 10)
#   --expect-channels  fail unless at least N channels received messages (default 1)
#   --strict           also fail on duplicates, seq gaps or incomplete resumes
#   -- ...             passed to the client (e.g. -c market_data='{"symbol":"BTCUSDT"}')
#
# The client needs python3-websockets; Debian's /usr/bin/python3 has it
# (set PYTHON to use another interpreter).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

url="${QUANTPUSH_URL:-ws://127.0.0.1:8765/ws}"
duration=10
expect=1
strict=0
client_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --url) url="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --expect-channels) expect="$2"; shift 2 ;;
        --strict) strict=1; shift ;;
        --) shift; client_args=("$@"); break ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "test_websocket_client: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

python="${PYTHON:-}"
if [ -z "$python" ]; then
    if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
        python=/usr/bin/python3
    else
        python=python3
    fi
fi

summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
echo "listening to $url for $duration s ..."
status=0
"$python" "$root/examples/python_client.py" --url "$url" --duration "$duration" --quiet \
    --summary-json "$summary" "${client_args[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    echo "test_websocket_client: the client failed (exit $status)" >&2
    exit "$status"
fi

"$python" - "$summary" "$expect" "$strict" <<'PY'
import json
import sys

summary = json.load(open(sys.argv[1]))
expect, strict = int(sys.argv[2]), sys.argv[3] == "1"
channels = summary["channels"]
print(f"{'channel':22} {'received':>9} {'redelivered':>12} {'duplicates':>11} {'gaps':>5} {'incomplete':>11}")
for name, c in channels.items():
    print(f"{name:22} {c['received']:9} {c['redelivered']:12} {c['duplicates']:11} "
          f"{c['gaps_detected'] + c['gaps_reported']:5} {c['recovery_incomplete']:11}")
active = [name for name, c in channels.items() if c["received"] > 0]
total = sum(c["received"] for c in channels.values())
print(f"total: {total} messages on {len(active)} channel(s) in {summary['seconds']} s, "
      f"{summary['connections']} connection(s), {summary['resumes']} resumed subscription(s)")
problems = []
if len(active) < expect:
    problems.append(f"messages on {len(active)} channel(s), expected at least {expect}")
if strict:
    for name, c in channels.items():
        for key in ("duplicates", "gaps_detected", "gaps_reported", "recovery_incomplete"):
            if c[key]:
                problems.append(f"{name}: {key} = {c[key]}")
for problem in problems:
    print("FAIL:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
