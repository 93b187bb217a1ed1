#!/usr/bin/env bash
# Installs everything QuantPush needs to build, run and test on Debian 12.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev
  qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools qt6-translations-l10n
  libyaml-cpp-dev libgl-dev
  # compressed push frames (libdeflate); zlib only for the libdeflate-vs-zlib bench
  libdeflate-dev zlib1g-dev
  # several nodes: the Redis broker (hiredis + its Qt adapter), and the cluster tests' Redis and load balancer
  libhiredis-dev redis-server haproxy
  # tests: external clients, Prometheus parser, TLS certificates, fuzzing, offscreen console
  python3 python3-websockets python3-prometheus-client openssl
  # foreign decoders of compressed frames (tests/compression_external)
  nodejs chromium
  clang libclang-rt-14-dev
  fonts-noto-cjk
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
