#!/usr/bin/env bash
# Installs what is needed, builds everything with warnings as errors, and
# runs every test; ctest's summary of the full suite is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_debian.sh
JOBS=$(nproc)

# 1. The fuzz targets (libFuzzer needs clang): a short, seeded, bounded run.
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DQUANTPUSH_FUZZ=ON -DQUANTPUSH_BUILD_CONSOLE=OFF
cmake --build "$FUZZ_DIR" -j"$JOBS" --target fuzz_protocol fuzz_auth fuzz_http fuzz_wsframe
ctest --test-dir "$FUZZ_DIR" -L fuzz --output-on-failure

# 2. Everything else with g++, warnings as errors; its ctest summary ends the output.
BUILD_DIR=${BUILD_DIR:-build-ci}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUANTPUSH_WERROR=ON
cmake --build "$BUILD_DIR" -j"$JOBS"
cd "$BUILD_DIR"
# The servers the tests start run their sessions on 4 worker threads
# (websocket.worker_threads, tests/testsupport), then on the main thread as
# before threads: the suite must pass both ways.
QUANTPUSH_TEST_WORKER_THREADS=4 ctest --output-on-failure -j2 --timeout 300
ctest --output-on-failure -j2 --timeout 300
