#!/usr/bin/python3
"""Runs quantpush-loadgen against a quantpush-server started here.

The server listens on 127.0.0.1:0; its log names the port. Two runs: padded
strategy_status pushes (single frames), then compressed market_data ticks
(batched frames, inflated by the generator). Each must report
delivered == expected == clients x published and lost == 0, with no
duplicates, skips, gaps or errors. The server is stopped by PID.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

CONFIG = """
websocket: {host: 127.0.0.1, port: 0, auth_required: false, max_connections: 1000}
auth:
  anonymous_role: trader
  api_keys: [{key: loadgen-admin-key-0123456789, user: bench, role: admin}]
limits: {inbound_messages_per_sec: 100000, inbound_burst: 100000}
logging: {level: info}
"""
CLIENTS = 20


def start_server(binary, config_path):
    process = subprocess.Popen([binary, "--config", config_path,
                             "--worker-threads", os.environ.get("QUANTPUSH_TEST_WORKER_THREADS", "1")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    found = {}

    def read_log():
        for line in process.stderr:
            match = re.search(r"listening on ws://127\.0\.0\.1:(\d+)/ws", line)
            if match and "port" not in found:
                found["port"] = int(match.group(1))
        # Keeps draining the pipe so the server never blocks on its log.

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    deadline = time.monotonic() + 20
    while "port" not in found and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    if "port" not in found:
        process.kill()
        sys.exit("server did not report its port")
    return process, found["port"]


def run(loadgen, port, extra):
    command = [loadgen, "--url", f"ws://127.0.0.1:{port}/ws", "--api-key", "loadgen-admin-key-0123456789",
               "--clients", str(CLIENTS), "--duration", "1", "--drain", "10", "--connect-timeout", "10"] + extra
    result = subprocess.run(command, capture_output=True, text=True, timeout=40)
    print(" ".join(command[1:]))
    print(result.stdout.strip())
    if result.stderr.strip():
        print(result.stderr.strip())
    if result.returncode != 0:
        return [f"exit code {result.returncode}"]
    fields = dict(item.split("=", 1) for item in result.stdout.split())
    failures = []
    published = int(fields["published"])
    if published <= 0:
        failures.append("nothing published")
    if int(fields["expected"]) != CLIENTS * published:
        failures.append(f"expected={fields['expected']} is not clients x published = {CLIENTS * published}")
    if fields["delivered"] != fields["expected"] or fields["lost"] != "0":
        failures.append(f"delivered={fields['delivered']} expected={fields['expected']} lost={fields['lost']}")
    for key in ("duplicates", "skipped", "gap_noticed", "errors", "unanswered", "bad_frames", "disconnected"):
        if fields[key] != "0":
            failures.append(f"{key}={fields[key]}")
    if fields["drained"] != "yes":
        failures.append("not drained")
    # Measured, not "-": CPU seconds and run-queue wait from /proc, and the
    # machine's steal time (every run).
    keys = ["steal_s"]
    if "--server-pid" in extra:
        keys += ["server_cpu_s", "server_runq_wait_s", "loadgen_runq_wait_s"]
    for key in keys:
        try:
            if float(fields.get(key, "-")) < 0:
                failures.append(f"{key}={fields[key]} is negative")
        except ValueError:
            failures.append(f"{key}={fields.get(key)} is not a figure")
    if "--compression" in extra and fields["binary_frames"] != fields["frames"]:
        failures.append(f"compressed run: binary_frames={fields['binary_frames']} of frames={fields['frames']}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--loadgen", required=True)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as config:
        config.write(CONFIG)
    process, port = start_server(args.server, config.name)
    failures = []
    try:
        failures += run(args.loadgen, port, ["--rate", "200", "--payload", "100", "--server-pid", str(process.pid)])
        failures += run(args.loadgen, port, ["--rate", "500", "--channel", "market_data", "--ticks",
                                             "--compression"])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        os.unlink(config.name)
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
