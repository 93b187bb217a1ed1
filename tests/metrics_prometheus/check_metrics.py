#!/usr/bin/python3
"""GET /metrics against what clients really did.

Starts quantpush-server (argv[1]) on 127.0.0.1:0 with a temporary config,
drives it with WebSocket clients (websockets) and HTTP requests (urllib), then
parses /metrics with prometheus_client's own parser and checks every counter
against the clients' tallies: connections, refusals, auth failures, messages
published and delivered per channel, bytes and frames both ways, errors by
code, redeliveries and ack expiries, and the publish-to-write latency
histogram against the latency the clients measured (never above it, bucket by
bucket: the server writes before the client receives).
"""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import websockets
from prometheus_client.parser import text_string_to_metric_families

ADMIN_KEY = "metrics-admin-key-0123456789"
VIEWER_KEY = "metrics-viewer-key-0123456789"
TRADER_KEY = "metrics-trader-key-0123456789"
SUBSCRIBERS = 3
BROADCASTS = 40
CONFIG = f"""
websocket:
  host: 127.0.0.1
  port: 0
  auth_required: true
auth:
  jwt_secret: "metrics-test-secret-0123456789abcdef"
  api_keys:
    - {{key: {ADMIN_KEY}, user: ops, role: admin}}
    - {{key: {VIEWER_KEY}, user: watcher, role: viewer}}
    - {{key: {TRADER_KEY}, user: trader, role: trader}}
channels:
  order_updates: {{ack_timeout_ms: 150, max_retries: 2}}
roles:
  # API keys carry no accounts claim: this trader key sees every account.
  trader: {{require_accounts: false}}
alerts:
  - {{name: never_fires, metric: connections, op: above, threshold: 1000000}}
"""

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


class Server:
    def __init__(self, binary, config_path):
        self.process = subprocess.Popen([binary, "--config", config_path,
                             "--worker-threads", os.environ.get("QUANTPUSH_TEST_WORKER_THREADS", "1")], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.log = []
        self.port = None
        deadline = time.monotonic() + 30
        for line in self.process.stderr:
            self.log.append(line)
            match = re.search(r"listening on ws://127\.0\.0\.1:(\d+)/ws", line)
            if match:
                self.port = int(match.group(1))
                break
            if time.monotonic() > deadline:
                break
        if self.port is None:
            raise SystemExit("server did not start:\n" + "".join(self.log))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None


class Tally:
    """What the clients sent and received, frame by frame."""

    def __init__(self):
        self.frames_out = 0
        self.bytes_out = 0   # client → server
        self.bytes_in = 0    # server → client
        self.latencies = []  # seconds, first deliveries only


class Client:
    def __init__(self, ws, tally):
        self.ws = ws
        self.tally = tally

    @classmethod
    async def open(cls, url, tally, key):
        ws = await websockets.connect(url, extra_headers=[("X-API-Key", key)], max_size=None)
        return cls(ws, tally)

    async def send(self, frame):
        text = frame if isinstance(frame, str) else json.dumps(frame)
        self.tally.frames_out += 1
        self.tally.bytes_out += len(text.encode())
        await self.ws.send(text)

    async def recv(self, timeout=10):
        text = await asyncio.wait_for(self.ws.recv(), timeout)
        received_us = time.time_ns() // 1000
        self.tally.bytes_in += len(text.encode())
        frame = json.loads(text)
        if "seq" in frame and "ts" in frame and not frame.get("redelivered"):
            self.tally.latencies.append((received_us - frame["ts"]) / 1e6)
        return frame

    async def recv_type(self, wanted, timeout=10):
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == wanted:
                return frame


def http(port, method, path, body=None, key=ADMIN_KEY):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode())
    if key:
        request.add_header("X-API-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def scrape(port):
    status, headers, body = http(port, "GET", "/metrics")
    check(status == 200, f"/metrics answered {status}")
    check(headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8",
          f"/metrics content type {headers.get('Content-Type')}")
    samples = {}
    families = {}
    for family in text_string_to_metric_families(body.decode()):
        families[family.name] = family
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return families, samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


async def drive(port):
    url = f"ws://127.0.0.1:{port}/ws"
    tally = Tally()
    loop = asyncio.get_running_loop()

    # A refused upgrade (unknown path) and a failed authentication.
    try:
        await websockets.connect(f"ws://127.0.0.1:{port}/nowhere")
        check(False, "an upgrade on /nowhere was accepted")
    except Exception:
        pass
    intruder = await Client.open(url, tally, "not-a-key")
    try:
        while True:
            await intruder.recv()
    except (websockets.ConnectionClosed, asyncio.TimeoutError):
        pass
    check(intruder.ws.close_code == 4001, f"bad key closed with {intruder.ws.close_code}")

    subscribers = [await Client.open(url, tally, VIEWER_KEY) for _ in range(SUBSCRIBERS)]
    for client in subscribers:
        await client.recv_type("auth_ok")
        await client.send({"type": "subscribe", "id": 1, "data": {"type": "strategy_status"}})
        await client.recv_type("subscribed")

    # Errors by code: two unknown types, one malformed frame.
    offender = subscribers[0]
    await offender.send({"type": "bogus", "id": "e1"})
    await offender.send({"type": "bogus", "id": "e2"})
    await offender.send("{not json")
    for _ in range(3):
        await offender.recv_type("error")

    # Broadcasts over HTTP, posted from a thread so the receivers stamp arrival at once.
    async def receive_all(client, count):
        return [await client.recv_type("strategy_status") for _ in range(count)]

    receivers = [asyncio.ensure_future(receive_all(c, BROADCASTS)) for c in subscribers]
    seqs = []
    for i in range(BROADCASTS):
        status, _, body = await loop.run_in_executor(
            None, http, port, "POST", "/websocket/broadcast",
            {"type": "strategy_status", "payload": {"n": i}, "strategy": "immediate"})
        check(status == 200, f"broadcast {i} answered {status}")
        seqs.append(json.loads(body)["seq"])
    received = await asyncio.gather(*receivers)
    for pushes in received:
        check([p["seq"] for p in pushes] == seqs, "a subscriber missed or reordered broadcasts")

    # An acknowledged channel, never acked: sent, redelivered max_retries times, expired.
    trader = await Client.open(url, tally, TRADER_KEY)
    await trader.recv_type("auth_ok")
    await trader.send({"type": "subscribe", "id": 2, "data": {"type": "order_updates"}})
    await trader.recv_type("subscribed")
    await loop.run_in_executor(None, http, port, "POST", "/websocket/broadcast",
                               {"type": "order_updates", "payload": {"order_id": "o1", "account": "A1"}})
    order_frames = [await trader.recv_type("order_update") for _ in range(3)]
    check([f.get("redelivered", False) for f in order_frames] == [False, True, True],
          f"order update deliveries: {[f.get('redelivered', False) for f in order_frames]}")

    # Wait (bounded) until the server gave up on the ack, then scrape.
    deadline = time.monotonic() + 15
    while True:
        families, samples = await loop.run_in_executor(None, scrape, port)
        expired = value(samples, "quantpush_ack_expired_total", channel="order_updates")
        if expired == 1 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    return tally, families, samples, len(subscribers) + 1


def check_metrics(tally, families, samples, open_clients):
    # Connections.
    check(value(samples, "quantpush_connections_current") == open_clients,
          f"connections_current {value(samples, 'quantpush_connections_current')} != {open_clients}")
    check(value(samples, "quantpush_connections_accepted_total") == open_clients + 1,
          f"connections_accepted_total {value(samples, 'quantpush_connections_accepted_total')}")
    check(value(samples, "quantpush_connections_peak") == open_clients, "connections_peak")
    check(value(samples, "quantpush_connections_by_network", network="127.0.0.0/24") == open_clients,
          "connections_by_network for 127.0.0.0/24")
    check(value(samples, "quantpush_connections_refused_total", reason="unknown_path") == 1,
          "connections_refused_total{reason=unknown_path}")
    auth_failures = sum(v for (n, _), v in samples.items() if n == "quantpush_auth_failures_total")
    check(auth_failures == 1, f"auth_failures_total sums to {auth_failures}")
    check(value(samples, "quantpush_connection_duration_seconds_count") == 1,
          "one closed connection in connection_duration_seconds")

    # Messages by channel and type.
    published = value(samples, "quantpush_messages_published_total", channel="strategy_status", type="strategy_status")
    check(published == BROADCASTS, f"published strategy_status {published} != {BROADCASTS}")
    delivered = value(samples, "quantpush_messages_delivered_total", channel="strategy_status", type="strategy_status")
    check(delivered == BROADCASTS * SUBSCRIBERS, f"delivered strategy_status {delivered}")
    check(value(samples, "quantpush_messages_delivered_total", channel="order_updates", type="order_update") == 3,
          "order_updates delivered (1 + 2 redeliveries)")
    check(value(samples, "quantpush_redeliveries_total", channel="order_updates") == 2, "redeliveries_total")
    check(value(samples, "quantpush_ack_expired_total", channel="order_updates") == 1, "ack_expired_total")
    check(value(samples, "quantpush_gaps_total", channel="strategy_status") == 0, "gaps_total")
    check(value(samples, "quantpush_slow_consumer_closes_total") == 0, "slow_consumer_closes_total")
    check(value(samples, "quantpush_subscriptions", channel="strategy_status") == SUBSCRIBERS, "subscriptions gauge")
    check(value(samples, "quantpush_channel_seq", channel="strategy_status") == BROADCASTS, "channel_seq gauge")
    check(value(samples, "quantpush_session_queued_frames") == 0, "session_queued_frames")
    check(value(samples, "quantpush_flush_pacing_threads") == 0, "flush_pacing_threads")

    # Bytes and frames, both ways, exactly.
    check(value(samples, "quantpush_frames_received_total") == tally.frames_out,
          f"frames_received_total {value(samples, 'quantpush_frames_received_total')} != {tally.frames_out}")
    check(value(samples, "quantpush_received_bytes_total") == tally.bytes_out,
          f"received_bytes_total {value(samples, 'quantpush_received_bytes_total')} != {tally.bytes_out}")
    check(value(samples, "quantpush_sent_bytes_total") == tally.bytes_in,
          f"sent_bytes_total {value(samples, 'quantpush_sent_bytes_total')} != {tally.bytes_in}")

    # Errors by code (the intruder's unauthorized included).
    check(value(samples, "quantpush_errors_total", code="unknown_type") == 2, "errors_total{unknown_type}")
    check(value(samples, "quantpush_errors_total", code="bad_request") == 1, "errors_total{bad_request}")
    check(value(samples, "quantpush_errors_total", code="unauthorized") == 1, "errors_total{unauthorized}")

    # Latency: one observation per first delivery; the server's never above the client's.
    count = value(samples, "quantpush_delivery_latency_seconds_count")
    check(count == len(tally.latencies), f"latency count {count} != client deliveries {len(tally.latencies)}")
    check(value(samples, "quantpush_delivery_latency_seconds_sum") <= sum(tally.latencies) + 1e-6,
          "server latency sum above the clients'")
    buckets = sorted((float(dict(labels)["le"]), v) for (n, labels), v in samples.items()
                     if n == "quantpush_delivery_latency_seconds_bucket")
    check(buckets[-1] == (float("inf"), count), "the +Inf bucket holds every observation")
    previous = 0
    for bound, cumulative in buckets:
        client_cumulative = sum(1 for latency in tally.latencies if latency <= bound)
        check(cumulative >= client_cumulative,
              f"bucket le={bound}: server {cumulative} < client {client_cumulative}")
        check(cumulative >= previous, f"bucket le={bound} not cumulative")
        previous = cumulative
    check(families["quantpush_delivery_latency_seconds"].type == "histogram", "latency is a histogram")

    # Process, throughput, alerts, build.
    # Sampled once a second: present and sane, not necessarily up to this instant.
    check(value(samples, "quantpush_process_cpu_seconds_total") >= 0, "process_cpu_seconds_total")
    check(value(samples, "quantpush_process_resident_memory_bytes") > 1 << 20, "process_resident_memory_bytes")
    # Run-queue wait: kept by this kernel (the server runs on it) -> exported, a counter.
    if os.path.exists("/proc/self/schedstat"):
        wait = value(samples, "quantpush_process_cpu_wait_seconds_total")
        check(wait is not None and wait >= 0, f"process_cpu_wait_seconds_total={wait}")
        family = families.get("quantpush_process_cpu_wait_seconds")
        check(family is not None and family.type == "counter", "cpu wait is a counter")
    check(value(samples, "quantpush_messages_delivered_per_second") is not None, "throughput gauge")
    check(value(samples, "quantpush_alert_active", rule="never_fires") == 0, "alert_active{never_fires}")
    check(families["quantpush_errors"].type == "counter", "errors_total is a counter")
    for name in families:
        check(name.startswith("quantpush_"), f"{name} lacks the quantpush_ prefix")


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as directory:
        config_path = os.path.join(directory, "quantpush.yaml")
        with open(config_path, "w") as config:
            config.write(CONFIG)
        server = Server(binary, config_path)
        try:
            tally, families, samples, open_clients = asyncio.run(drive(server.port))
            check_metrics(tally, families, samples, open_clients)
            status, _, body = http(server.port, "GET", "/websocket/stats")
            stats = json.loads(body)
            check(stats["messages"]["bytes_out"] >= tally.bytes_in, "stats and /metrics read one registry")
        finally:
            code = server.stop()
        check(code == 0, f"server exit code {code}")
        if failures:
            print("".join(server.log[-40:]))
            print(f"{len(failures)} checks failed")
            return 1
    print("all metrics checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
