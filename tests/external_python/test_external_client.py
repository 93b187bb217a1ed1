#!/usr/bin/env python3
"""PROTOCOL.md acceptance from a client that is not ours (python3-websockets).

Starts quantpush-server --demo on an ephemeral port with a fast demo feed,
then checks: welcome first, subscribed next, and only BTCUSDT
trading_signal pushes (each with channel, seq, ts) for a filtered
subscription; bad input gets an error and the connection stays up.
"""
import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import websockets

FAST_DEMO = """
demo:
  tick_interval_ms: 5
  order_interval_ms: 50
websocket:
  auth_required: false
auth:
  anonymous_role: trader
"""


def start_server(binary, config_path, log):
    # The log goes to a file: a pipe nobody reads would block the server.
    proc = subprocess.Popen([binary, "--demo", "--config", config_path, "--host", "127.0.0.1", "--port", "0",
                             "--worker-threads", os.environ.get("QUANTPUSH_TEST_WORKER_THREADS", "1")],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 15
    while time.time() < deadline and proc.poll() is None:
        with open(log.name) as lines:
            match = re.search(r"listening on ws://127\.0\.0\.1:(\d+)/ws", lines.read())
        if match:
            return proc, int(match.group(1))
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not report its port")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def filtered_signals(url):
    async with websockets.connect(url) as ws:
        welcome = json.loads(await ws.recv())
        check(welcome["type"] == "welcome", f"first frame is {welcome}")
        check(welcome["data"]["protocol"] == 1, "protocol 1")
        await ws.send(json.dumps({"type": "subscribe", "id": 1,
                                  "data": {"type": "trading_signals", "filters": {"symbol": "BTCUSDT"}}}))
        subscribed = json.loads(await ws.recv())
        check(subscribed["type"] == "subscribed", f"second frame is {subscribed}")
        check(subscribed["id"] == 1, "the reply echoes the id")
        check(subscribed["data"]["type"] == "trading_signals", "subscribed names the channel")
        signals = []
        deadline = time.time() + 60
        last_seq = 0
        while len(signals) < 3 and time.time() < deadline:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=deadline - time.time()))
            check(frame["type"] == "trading_signal", f"only trading signals arrive, got {frame['type']}")
            check(frame["channel"] == "trading_signals", "channel")
            check(isinstance(frame["seq"], int) and frame["seq"] > 0, "seq")
            check(isinstance(frame["ts"], int) and abs(frame["ts"] / 1e6 - time.time()) < 60, "ts in µs")
            check(frame["data"]["symbol"] == "BTCUSDT", f"filtered to BTCUSDT, got {frame['data']['symbol']}")
            for field in ("side", "strength", "strategy"):
                check(field in frame["data"], f"signal has {field}")
            check(frame["seq"] != last_seq, "no duplicate")
            last_seq = frame["seq"]
            signals.append(frame)
        check(len(signals) >= 3, f"only {len(signals)} BTCUSDT signals in 60 s")
        print(f"ok: {len(signals)} BTCUSDT trading_signal pushes, seqs {[s['seq'] for s in signals]}")


async def bad_input_keeps_connection(url):
    async with websockets.connect(url) as ws:
        await ws.recv()  # welcome
        for frame, code in (("{nope", "bad_request"), ('{"type":"fly"}', "unknown_type"), (b"\x00\x01", "bad_request")):
            await ws.send(frame)
            reply = json.loads(await ws.recv())
            check(reply["type"] == "error" and reply["data"]["code"] == code, f"{frame!r} -> {reply}")
        await ws.send(json.dumps({"type": "ping", "id": "p"}))
        pong = json.loads(await ws.recv())
        check(pong["type"] == "pong" and pong["id"] == "p", f"still served: {pong}")
        print("ok: bad input answered, connection kept")


async def batches(url):
    async with websockets.connect(url) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "subscribe", "data": {"type": "market_data", "filters": {"symbol": ["ETHUSDT"]}}}))
        await ws.recv()
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        check(frame["type"] == "batch" and frame["channel"] == "market_data", f"market data comes batched: {frame}")
        seqs = [item["seq"] for item in frame["data"]]
        check(seqs == sorted(seqs), "batch items in seq order")
        check(all(item["data"]["symbol"] == "ETHUSDT" for item in frame["data"]), "batch items filtered")
        print(f"ok: market_data batch of {len(seqs)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as config:
        config.write(FAST_DEMO)
    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
    proc, port = start_server(args.server, config.name, log)
    try:
        url = f"ws://127.0.0.1:{port}/ws"
        asyncio.run(filtered_signals(url))
        asyncio.run(bad_input_keeps_connection(url))
        asyncio.run(batches(url))
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        os.unlink(config.name)
        log.close()
        os.unlink(log.name)
    check(proc.returncode == 0, f"server exit code {proc.returncode}")
    print("1 passed, 0 failed")


if __name__ == "__main__":
    sys.exit(main())
