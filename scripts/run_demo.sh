#!/usr/bin/env bash
# Installs what is needed, builds, and runs the server with the demo feed on
# the embedded defaults (ws://127.0.0.1:8765/ws). Extra arguments pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec ./build/bin/quantpush-server --demo "$@"
