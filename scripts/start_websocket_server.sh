#!/usr/bin/env bash
# Starts quantpush-server with the demo feed, building it first if needed.
# Every argument passes through to the server, e.g.
#   scripts/start_websocket_server.sh --port 9000 --log-level debug
#   scripts/start_websocket_server.sh --config resources/quantpush.yaml
# Environment:
#   QUANTPUSH_SERVER  use this server binary as is (no build)
#   BUILD_DIR         where to build (default: build, the README's directory)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

server="${QUANTPUSH_SERVER:-}"
if [ -z "$server" ]; then
    build_dir="${BUILD_DIR:-$root/build}"
    if [ ! -f "$build_dir/CMakeCache.txt" ]; then
        echo "start_websocket_server: configuring $build_dir" >&2
        generator=()
        if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
        cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >&2
    fi
    # A no-op when the binary is up to date.
    cmake --build "$build_dir" --target quantpush-server -j"$(nproc)" >&2
    server="$build_dir/bin/quantpush-server"
fi
if [ ! -x "$server" ]; then
    echo "start_websocket_server: no server binary at $server" >&2
    exit 1
fi
exec "$server" --demo "$@"
