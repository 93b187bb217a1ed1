# Shared by the bench scripts (sourced, not run): the server configuration
# every scenario uses, and small process and port helpers.

# bench_config FILE PORT [EXTRA_YAML]: anonymous traders, one admin API key for
# the publisher, limits high enough that the scenario, not a limit, is measured.
bench_config() {
  cat > "$1" <<YAML
websocket: {host: 127.0.0.1, port: $2, auth_required: false, max_connections: 20000, message_queue_size: 100000}
auth:
  anonymous_role: trader
  api_keys: [{key: bench-admin-key, user: bench, role: admin}]
limits: {inbound_messages_per_sec: 1000000, inbound_burst: 1000000, max_connections_per_ip: 20000, max_pending_bytes: 67108864}
logging: {level: warning}
${3:-}
YAML
}

# A loopback port nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something accepts connections on 127.0.0.1:PORT (10 s at most).
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# User + system CPU seconds process PID has used so far.
cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
# Seconds PID's threads have spent runnable but waiting for a CPU (the second
# field of each /proc/PID/task/*/schedstat, in ns), summed: what a process on
# shared cores lost to the others.
runq_wait_s() {
  # A thread that ends between the glob and the read is skipped (|| true:
  # callers run under set -e -o pipefail).
  { cat /proc/"$1"/task/*/schedstat 2> /dev/null || true; } | awk '{ns += $2} END {printf "%.2f", ns / 1e9}'
}
