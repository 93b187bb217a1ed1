#!/usr/bin/env bash
# Installs what is needed, builds everything with warnings as errors, and
# runs every test; ctest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_debian.sh
BUILD_DIR=${BUILD_DIR:-build-ci}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUANTPUSH_WERROR=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"
cd "$BUILD_DIR"
ctest --output-on-failure -j2 --timeout 300
