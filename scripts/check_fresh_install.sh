#!/usr/bin/env bash
# From nothing to running, proved on a pristine Debian 12 root:
#   1. bootstrap   mmdebstrap --variant=apt bookworm, from the host's Debian apt sources
#   2. readme-run  the README's first command exactly as printed (setup_debian.sh, build,
#                  server --demo) until it prints the listening line and /healthz answers
#   3. readme-test the README's test command exactly as printed: ctest's summary, exit 0
#   4. packages    cpack's two .debs, `apt-get install ./*.deb`, the installed server
#                  started with the unit's own ExecStart as the quantpush user (no systemd
#                  in a chroot) answers /healthz and greets a WebSocket client, the
#                  installed console runs offscreen, lintian has no errors
# The checkout is copied in with `git archive HEAD`: committed files only, nothing
# from the host's build or caches.
#
#   scripts/check_fresh_install.sh [--keep]     (as root; --keep leaves the root behind)
# Environment: FRESH_ROOT_PARENT (default /var/tmp) holds the root.
set -euo pipefail

fail() { echo "check_fresh_install: FAILED: $*" >&2; exit 1; }

keep=0
[ "${1:-}" = "--keep" ] && keep=1

src="$(cd "$(dirname "$0")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || fail "must run as root (mmdebstrap, chroot and mount need it)"
for tool in mmdebstrap chroot mount umount git python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install mmdebstrap)"
done
[ -r "$src/README.md" ] || fail "no README.md in $src"
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
    echo "note: uncommitted changes in $src are not part of this check (it copies HEAD)"
fi

# The README's commands, read from it so that what is checked cannot drift from what
# is printed: the first line of the first and of the second ```sh block.
readarray -t readme_commands < <(python3 - "$src/README.md" <<'PY'
import re, sys
blocks = re.findall(r"^```sh\n(.*?)^```", open(sys.argv[1], encoding="utf-8").read(), re.M | re.S)
for block in blocks[:2]:
    print(block.splitlines()[0])
PY
)
[ "${#readme_commands[@]}" -eq 2 ] || fail "could not find two sh blocks in README.md"
first_command="${readme_commands[0]}"
test_command="${readme_commands[1]}"
echo "README first command: $first_command"
echo "README test command:  $test_command"

parent="${FRESH_ROOT_PARENT:-/var/tmp}"
root="$(mktemp -d "$parent/quantpush-fresh.XXXXXX")"
work="/root/quantpush"          # the checkout inside the root
log_dir="$(mktemp -d "$parent/quantpush-fresh-logs.XXXXXX")"
mounted=()
background_pid=""

# Every process whose root is ours was started by this script (the chroot is ours alone).
stop_root_processes() {
    local pid
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -KILL "$pid" 2>/dev/null || true
    done
}

cleanup() {
    local status=$?
    set +e
    if [ -n "$background_pid" ]; then kill -TERM "$background_pid" 2>/dev/null; fi
    stop_root_processes
    sleep 1
    local i
    for (( i=${#mounted[@]}-1; i>=0; i-- )); do
        umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" || echo "could not unmount ${mounted[$i]}" >&2
    done
    if grep -q " $root/" /proc/mounts; then
        echo "check_fresh_install: something is still mounted under $root; not deleting it" >&2
        status=1
    elif [ "$keep" -eq 1 ] || [ "$status" -ne 0 ]; then
        echo "root kept in $root (logs in $log_dir)"
    else
        rm -rf "$root"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A started
timings=()
phase_begin() { started[$1]=$(date +%s); echo; echo "=== $1 ($(date -u +%H:%M:%S) UTC)"; }
phase_end() { local d=$(( $(date +%s) - started[$1] )); timings+=("$(printf '%-12s %4d min %02d s' "$1" $((d / 60)) $((d % 60)))"); }
print_timings() { echo; echo "fresh-root timings:"; printf '  %s\n' "${timings[@]}"; }

# --- 1. bootstrap ----------------------------------------------------------------
phase_begin bootstrap
# The host's Debian sources (deb822 or one-line, whichever it uses; other vendors' are left out).
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -s "$f" ] && grep -qE '^(deb |URIs:).*/debian' "$f" && sources+=("$f")
done
[ "${#sources[@]}" -gt 0 ] || fail "no Debian apt sources found in /etc/apt"
# The host's validity options (a snapshot mirror's Release files may have expired).
aptopts=()
while IFS= read -r line; do
    aptopts+=(--aptopt="${line%;}")
done < <(apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ')
rmdir "$root"      # mmdebstrap wants to create it (or find it empty)
mmdebstrap --variant=apt "${aptopts[@]}" bookworm "$root" "${sources[@]}" \
    || fail "mmdebstrap could not bootstrap bookworm"
# No daemons from package installs inside the chroot (redis-server, haproxy): the
# tests start their own by PID.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's own trust anchors (a site's egress proxy re-signs TLS, npm's
# registry included): the machine's network setting, like the apt options
# above, not something the project installs. ca-certificates picks them up
# when the README's setup installs it.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
# Only what a user who cloned the repository has: committed files, no build tree.
mkdir -p "$root$work"
git -C "$src" archive --format=tar HEAD | tar -x -C "$root$work"
mount_in() { mount "$@"; mounted+=("${!#}"); }
mount_in -t proc proc "$root/proc"
mount_in -t sysfs sysfs "$root/sys"
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount_in -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
[ -e "$root/dev/ptmx" ] || ln -s pts/ptmx "$root/dev/ptmx"
mount_in -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
phase_end bootstrap

# Node reads only its bundled roots unless told otherwise: where the host has
# anchors of its own (copied in above) or tells Node about extra ones, Node in
# the root gets the root's system bundle, which includes them.
node_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] || compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    node_ca=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
fi
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root USER=root LANG=C.UTF-8 TERM=dumb "${node_ca[@]}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
port_free() {
    ! python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null
}
# python3 inside the root (no curl or wget there): GET /healthz, print the body.
healthz() {
    in_root python3 -c '
import sys, urllib.request
body = urllib.request.urlopen("http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=10).read().decode()
print(body)
sys.exit(0 if "\"ok\"" in body else 1)' "$1"
}
# Waits for a line matching $2 in file $1 while process $3 lives, at most $4 seconds.
wait_for_line() {
    local deadline=$(( $(date +%s) + $4 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -qE "$2" "$1" && return 0
        kill -0 "$3" 2>/dev/null || { grep -qE "$2" "$1"; return; }
        sleep 2
    done
    return 1
}
child_of() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+$' || true; }

# --- 2. the README's first command ------------------------------------------------
port_free 8765 || fail "something on this machine already listens on 127.0.0.1:8765, which the README's command uses"
phase_begin readme-run
run_log="$log_dir/readme-run.log"
# Each line stamped with the second it arrived, to split install from build time.
( in_root bash -c "cd $work && $first_command" 2>&1 \
    | while IFS= read -r line; do printf '%(%s)T %s\n' -1 "$line"; done > "$run_log" ) &
background_pid=$!
if ! wait_for_line "$run_log" 'listening on ws://127\.0\.0\.1:8765/ws' "$background_pid" 5400; then
    tail -40 "$run_log" >&2
    fail "the README's first command did not print the listening line"
fi
grep -E 'listening on' "$run_log" | cut -d' ' -f2-
healthz 8765 || fail "/healthz did not answer after the README's first command"
# Stop the server (the command's last program) by its PID; it exits 0 on SIGTERM.
server_pid=""
for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] || continue
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$root$work/build/bin/quantpush-server" ] && server_pid=$pid
done
[ -n "$server_pid" ] || fail "could not find the server's PID"
kill -TERM "$server_pid"
wait "$background_pid" || true
background_pid=""
tail -3 "$run_log" | cut -d' ' -f2-
grep -q 'closing .* connections with 1001' "$run_log" || fail "the server did not shut down cleanly"
# Phases inside the command: until cmake starts configuring = install, then build.
t0=${started[readme-run]}
t_cmake=$(grep -m1 -E ' -- The CXX compiler identification' "$run_log" | cut -d' ' -f1)
t_listen=$(grep -m1 -E 'listening on ws://' "$run_log" | cut -d' ' -f1)
d=$(( t_cmake - t0 )); timings+=("$(printf '%-12s %4d min %02d s' install $((d / 60)) $((d % 60)))")
d=$(( t_listen - t_cmake )); timings+=("$(printf '%-12s %4d min %02d s' build $((d / 60)) $((d % 60)))")
phase_end readme-run

# --- 3. the README's test command -------------------------------------------------
phase_begin tests
test_log="$log_dir/readme-test.log"
status=0
in_root bash -c "cd $work && timeout 5400 bash -c '$test_command'" > "$test_log" 2>&1 || status=$?
tail -25 "$test_log"
[ "$status" -eq 0 ] || fail "the README's test command exited with $status (log: $test_log)"
tail -15 "$test_log" | grep -qE '^100% tests passed, 0 tests failed out of [0-9]+' \
    || fail "the README's test command did not end with ctest's summary"
phase_end tests

# --- 4. packages -------------------------------------------------------------------
phase_begin packages
build_dir=$(grep -oE '^BUILD_DIR=\$\{BUILD_DIR:-[^}]+\}' "$root$work/scripts/run_tests.sh" | sed -E 's/.*:-([^}]+)\}/\1/')
[ -n "$build_dir" ] || fail "cannot tell the test build's directory from run_tests.sh"
in_root bash -c "cd $work/$build_dir && rm -rf debs && mkdir debs && cpack -G DEB -B debs/cpack >/dev/null && mv debs/cpack/*.deb debs/ && ls debs/*.deb"
debs=$(cd "$root$work/$build_dir/debs" && ls ./*.deb)
[ "$(echo "$debs" | wc -l)" -eq 2 ] || fail "cpack made $(echo "$debs" | wc -l) packages, not 2: $debs"
echo "$debs" | grep -q quantpush-server_ || fail "no quantpush-server package"
echo "$debs" | grep -q quantpush-console_ || fail "no quantpush-console package"
in_root bash -c "cd $work/$build_dir/debs && for d in ./*.deb; do dpkg-deb --info \$d | sed -n '/Package:/,\$p'; done"
in_root bash -c "cd $work/$build_dir/debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./*.deb" \
    > "$log_dir/apt-install.log" 2>&1 || { tail -30 "$log_dir/apt-install.log" >&2; fail "apt-get install ./*.deb failed"; }
in_root getent passwd quantpush || fail "installing did not create the quantpush user"

unit="$root/lib/systemd/system/quantpush-server.service"
[ -f "$unit" ] || fail "the package has no /lib/systemd/system/quantpush-server.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
unit_user=$(sed -n 's/^User=//p' "$unit")
[ -n "$exec_start" ] && [ "$unit_user" = quantpush ] || fail "the unit has no ExecStart or does not run as quantpush"
echo "unit ExecStart: $exec_start (User=$unit_user)"
port_free 8765 || fail "127.0.0.1:8765 is taken"
installed_log="$log_dir/installed-server.log"
# Numeric ids: the user exists in the root, not necessarily on the host.
qp_ids="$(in_root id -u quantpush):$(in_root id -g quantpush)"
chroot --userspec="$qp_ids" --groups="$(in_root id -g quantpush)" "$root" /usr/bin/env -i LANG=C.UTF-8 PATH=/usr/bin:/bin \
    $exec_start > "$installed_log" 2>&1 &
background_pid=$!
wait_for_line "$installed_log" 'listening on ws://' "$background_pid" 60 \
    || { cat "$installed_log" >&2; fail "the installed server did not start"; }
grep 'listening on' "$installed_log"
uid=$(awk '/^Uid:/ {print $2}' "/proc/$background_pid/status")
[ "$uid" = "${qp_ids%%:*}" ] || fail "the installed server runs as uid $uid, not quantpush"
healthz 8765 || fail "the installed server's /healthz did not answer"
in_root python3 -c '
import asyncio, json, websockets
async def main():
    async with websockets.connect("ws://127.0.0.1:8765/ws") as ws:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert frame["type"] == "welcome", frame
        print("WebSocket client got:", json.dumps(frame)[:160])
asyncio.run(main())' || fail "a WebSocket client did not get welcome from the installed server"
# The installed console, offscreen, against the installed server for a few seconds:
# still running when timeout stops it (124) means it came up and kept running.
status=0
in_root bash -c 'QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp timeout -s TERM 5 quantpush-console --url ws://127.0.0.1:8765/ws' \
    > "$log_dir/console.log" 2>&1 || status=$?
cat "$log_dir/console.log"
[ "$status" -eq 124 ] || fail "the installed console exited with $status within 5 s"
echo "installed console ran offscreen for 5 s"
kill -TERM "$background_pid"
status=0
wait "$background_pid" || status=$?
background_pid=""
[ "$status" -eq 0 ] || fail "the installed server exited with $status on SIGTERM"
echo "installed server stopped cleanly"

echo "lintian:"
status=0
in_root bash -c "cd $work/$build_dir/debs && lintian --fail-on error ./*.deb" || status=$?
[ "$status" -eq 0 ] || fail "lintian reports errors"
echo "lintian: no errors"
phase_end packages

print_timings
echo "check_fresh_install: OK"
