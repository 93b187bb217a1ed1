#!/usr/bin/env bash
# Installs everything QuantPush needs to build, run, test and package on a
# pristine Debian 12 (bookworm). scripts/check_fresh_install.sh proves the list
# complete in a freshly bootstrapped root on every CI run.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  # build (qt6-charts-dev does not pull in libqt6opengl6-dev, which Qt6Charts' CMake config needs)
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev
  qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools qt6-translations-l10n
  libyaml-cpp-dev libgl-dev libhiredis-dev
  # the server's malloc (tcmalloc_minimal; -DQUANTPUSH_ALLOCATOR=system builds without it)
  libgoogle-perftools-dev
  # compressed push frames (libdeflate); zlib only for the libdeflate-vs-zlib bench
  libdeflate-dev zlib1g-dev
  # several nodes: the Redis broker (hiredis + its Qt adapter), and the cluster tests' Redis and load balancer
  redis-server haproxy
  # tests: external clients, Prometheus parser, TLS certificates, fuzzing, offscreen console
  python3 python3-websockets python3-prometheus-client openssl
  clang libclang-rt-14-dev
  fonts-noto-cjk
  # headless browser (tests/browser_client, tests/compression_external); Node (tests/node_ws,
  # tests/compression_external) with npm, which needs ca-certificates to reach the registry
  chromium
  nodejs npm ca-certificates
  # packaging: cpack's DEB generator (dpkg-shlibdeps needs dpkg-dev, CPack finds ELF files with file), lintian
  dpkg-dev file lintian
)
missing=()
for p in "${PACKAGES[@]}"; do
  case "$p" in
    # Node from elsewhere (e.g. NodeSource's nodejs, which bundles npm and conflicts
    # with Debian's npm) does just as well: the tests need the node and npm commands.
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
