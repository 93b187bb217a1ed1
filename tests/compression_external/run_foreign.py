#!/usr/bin/env python3
"""Compressed frames decoded by decoders that are not ours (PROTOCOL.md, "Compression").

Starts the real quantpush-server on an ephemeral port, lets a foreign client
open two connections side by side, one with ?compression=deflate and one
without, subscribe both to market_data (batched) and strategy_status
(immediate), then publishes a fixed set of messages through an admin
connection. The foreign client must decode every binary frame as raw DEFLATE
and see exactly the same frames (byte for byte), and the same seq stream,
as the text connection; small frames must arrive as text on both.

  --decoder python    Python's zlib.decompress(data, -15) with python3-websockets
  --decoder node      Node's zlib.inflateRawSync, WebSocket client from built-in modules
  --decoder chromium  headless Chromium, DecompressionStream("deflate-raw"),
                      read back through the DevTools protocol; the same browser
                      also runs the README's compressed JavaScript snippet and
                      examples/browser_client.html with its compression box ticked
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN_KEY = "compression-test-admin-key"
MIN_BYTES = 256
TICKS = 300
STATUSES = 6

CONFIG = f"""
websocket:
  auth_required: false
  compression_enabled: true
  compression_min_bytes: {MIN_BYTES}
auth:
  anonymous_role: trader
  api_keys: [{{key: {ADMIN_KEY}, user: tester, role: admin}}]
limits: {{inbound_messages_per_sec: 100000, inbound_burst: 100000}}
http: {{metrics_public: true}}
"""


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def start_server(binary, workdir):
    config = os.path.join(workdir, "server.yaml")
    with open(config, "w") as out:
        out.write(CONFIG)
    log_path = os.path.join(workdir, "server.log")
    log = open(log_path, "w")
    # The log goes to a file: a pipe nobody reads would block the server.
    proc = subprocess.Popen([binary, "--config", config, "--host", "127.0.0.1", "--port", "0",
                             "--worker-threads", os.environ.get("QUANTPUSH_TEST_WORKER_THREADS", "1")],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline and proc.poll() is None:
        with open(log_path) as lines:
            match = re.search(r"listening on ws://127\.0\.0\.1:(\d+)/ws", lines.read())
        if match:
            return proc, int(match.group(1)), log_path
        time.sleep(0.05)
    proc.kill()
    with open(log_path) as lines:
        sys.stderr.write(lines.read())
    raise SystemExit("the server did not report its port")


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def tick(n):
    """A market tick with the digits of a real one, so compression is not flattered."""
    symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"]
    price = 64000.0 + ((n * 7919) % 10007) / 7.0
    symbol = symbols[n % len(symbols)]
    return {"symbol": symbol, "price": round(price, 2), "bid": round(price - 0.5, 2), "ask": round(price + 0.5, 2),
            "volume": ((n * 104729) % 99991) / 1000.0, "change_pct": ((n * 31) % 997) / 100.0 - 5.0,
            "ts_ms": 1764600000000 + n * 13, "key": symbol}


async def publish_all(port):
    """Publishes TICKS market_data ticks and STATUSES strategy_status pushes, half of them
    under compression_min_bytes, and waits for every `published` reply."""
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", extra_headers={"X-API-Key": ADMIN_KEY}) as admin:
        await admin.recv()  # welcome
        # The key in the handshake authenticates at once: auth_ok comes next.
        auth_ok = json.loads(await asyncio.wait_for(admin.recv(), timeout=10))
        check(auth_ok["type"] == "auth_ok" and auth_ok["data"]["role"] == "admin", f"admin auth: {auth_ok}")
        sent = 0
        for n in range(1, TICKS + 1):
            await admin.send(json.dumps({"type": "publish", "id": sent,
                                         "data": {"type": "market_data", "payload": tick(n)}}))
            sent += 1
            if n % (TICKS // STATUSES) == 0:
                status = {"state": "running", "n": n}
                if (n // (TICKS // STATUSES)) % 2 == 0:
                    status["note"] = "x" * 400  # over the threshold: compressed
                await admin.send(json.dumps({"type": "publish", "id": sent,
                                             "data": {"type": "strategy_status", "payload": status}}))
                sent += 1
            if n % 25 == 0:
                await asyncio.sleep(0.01)  # some batches leave by time, not only by size
        replies = 0
        while replies < sent:
            frame = json.loads(await asyncio.wait_for(admin.recv(), timeout=30))
            check(frame["type"] == "published", f"publish answered {frame}")
            replies += 1


def seqs_of(frames, channel):
    seqs = []
    for text in frames:
        frame = json.loads(text)
        if frame.get("channel") != channel:
            continue
        if frame["type"] == "batch":
            seqs.extend(item["seq"] for item in frame["data"])
        else:
            seqs.append(frame["seq"])
    return seqs


def verify_side_by_side(result, decoder):
    """result: {"compressed": {...}, "text": {...}}, each with welcome (JSON), frames (JSON texts
    of push and batch frames, in order), binary (flags), wire_bytes (sizes as received)."""
    compressed, text = result["compressed"], result["text"]
    check(compressed["welcome"]["data"]["compression"] == "deflate", f"{decoder}: welcome {compressed['welcome']}")
    check(text["welcome"]["data"]["compression"] == "none", f"{decoder}: welcome {text['welcome']}")
    check(compressed["frames"] == text["frames"],
          f"{decoder}: the compressed connection decoded other frames than the text one got")
    for name, side in (("compressed", compressed), ("text", text)):
        check(seqs_of(side["frames"], "market_data") == list(range(1, TICKS + 1)),
              f"{decoder}: {name} market_data seqs {seqs_of(side['frames'], 'market_data')[:10]}...")
        check(seqs_of(side["frames"], "strategy_status") == list(range(1, STATUSES + 1)),
              f"{decoder}: {name} strategy_status seqs")
    for json_text, binary in zip(compressed["frames"], compressed["binary"]):
        size = len(json_text.encode())
        check(binary == (size >= MIN_BYTES), f"{decoder}: a {size}-byte frame came {'binary' if binary else 'text'}")
    check(not any(text["binary"]), f"{decoder}: the text connection got a binary frame")
    binary_frames = sum(compressed["binary"])
    check(binary_frames >= 3, f"{decoder}: only {binary_frames} compressed frames")
    json_bytes = sum(len(t.encode()) for t, b in zip(compressed["frames"], compressed["binary"]) if b)
    wire_bytes = sum(w for w, b in zip(compressed["wire_bytes"], compressed["binary"]) if b)
    print(f"ok {decoder}: {len(compressed['frames'])} frames identical to the text connection's, "
          f"{binary_frames} of them compressed, {json_bytes} -> {wire_bytes} bytes "
          f"({json_bytes / wire_bytes:.1f}x)")
    return json_bytes, wire_bytes


# ----------------------------------------------------------------- python

async def python_side(url, ready, done):
    frames, binary, wire = [], [], []
    async with websockets.connect(url, max_size=None) as ws:
        welcome = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "subscribe", "id": "m", "data": {"type": "market_data"}}))
        await ws.send(json.dumps({"type": "subscribe", "id": "s", "data": {"type": "strategy_status"}}))
        subscribed = 0
        while subscribed < 2:
            reply = json.loads(await ws.recv())
            check(reply["type"] == "subscribed", f"python: {reply}")
            subscribed += 1
        ready.release()
        while len(seqs_of(frames, "market_data")) < TICKS or len(seqs_of(frames, "strategy_status")) < STATUSES:
            data = await asyncio.wait_for(ws.recv(), timeout=30)
            if isinstance(data, bytes):
                text = zlib.decompress(data, -15).decode()
            else:
                text = data
            frames.append(text)
            binary.append(isinstance(data, bytes))
            wire.append(len(data) if isinstance(data, bytes) else len(data.encode()))
        done.append(True)
    return {"welcome": welcome, "frames": frames, "binary": binary, "wire_bytes": wire}


async def run_python(port):
    ready = asyncio.Semaphore(0)
    done = []
    base = f"ws://127.0.0.1:{port}/ws"
    tasks = [asyncio.ensure_future(python_side(base + "?compression=deflate", ready, done)),
             asyncio.ensure_future(python_side(base, ready, done))]
    for _ in tasks:
        await asyncio.wait_for(ready.acquire(), timeout=20)
    await publish_all(port)
    compressed, text = await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    return {"compressed": compressed, "text": text}


def metric(port, name, **labels):
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    want = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else "")
    for line in body.splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    raise AssertionError(f"/metrics has no {want}")


# ------------------------------------------------------------------- node

async def run_node(port):
    node = shutil.which("node") or shutil.which("nodejs")
    check(node, "node is not installed")
    proc = await asyncio.create_subprocess_exec(
        node, os.path.join(HERE, "node_side_by_side.js"), str(port), str(TICKS), str(STATUSES),
        stdout=asyncio.subprocess.PIPE)
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        check(line.strip() == b"READY", f"node said {line!r}")
        await publish_all(port)
        output = await asyncio.wait_for(proc.stdout.read(), timeout=60)
        check(await proc.wait() == 0, "node client failed")
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return json.loads(output)


# --------------------------------------------------------------- chromium

README = os.path.join(HERE, "..", "..", "README.md")


def readme_page(workdir, port):
    """A page running the README's compressed JavaScript snippet as written, pointed at
    this server, with console.log collected into window.readmeLog."""
    with open(README) as readme:
        blocks = re.findall(r"```js\n(.*?)```", readme.read(), re.S)
    snippet = next((b for b in blocks if "compression=deflate" in b), None)
    check(snippet, "README.md has no JavaScript snippet with compression=deflate")
    check("127.0.0.1:8765" in snippet, "the README snippet's URL moved")
    snippet = snippet.replace("127.0.0.1:8765", f"127.0.0.1:{port}")
    path = os.path.join(workdir, "readme_snippet.html")
    with open(path, "w") as page:
        page.write("<!DOCTYPE html><html><body><script>\nwindow.readmeLog = [];\n"
                   "console.log = (...args) => window.readmeLog.push(args);\n"
                   "window.onerror = (message) => { window.readmeError = String(message); };\n"
                   f"</script><script>\n{snippet}</script></body></html>\n")
    return "file://" + path



class DevTools:
    """Just enough of the Chrome DevTools protocol: evaluate an expression in the page."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    async def evaluate(self, expression):
        self.next_id += 1
        await self.ws.send(json.dumps({"id": self.next_id, "method": "Runtime.evaluate",
                                       "params": {"expression": expression, "returnByValue": True}}))
        while True:
            reply = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=30))
            if reply.get("id") == self.next_id:
                result = reply["result"]
                check("exceptionDetails" not in result, f"page threw: {result}")
                return result["result"].get("value")


async def run_chromium(port, workdir):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    check(browser, "chromium is not installed")
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=workdir)
    page = "file://" + os.path.join(HERE, "side_by_side.html") + f"?port={port}"
    log = open(os.path.join(workdir, "chromium.log"), "w")
    proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                             "--no-first-run", "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                             "--remote-debugging-address=127.0.0.1", page],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        active = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while time.time() < deadline and not (os.path.exists(active) and open(active).read().count("\n") >= 1):
            check(proc.poll() is None, "chromium exited early")
            await asyncio.sleep(0.1)
        devtools_port = int(open(active).read().split()[0])
        target = None
        while time.time() < deadline and target is None:
            targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list",
                                                        timeout=10).read())
            target = next((t for t in targets if t.get("type") == "page" and "side_by_side" in t.get("url", "")),
                          None)
            if target is None:
                await asyncio.sleep(0.1)
        check(target, "no side_by_side page target")
        async with websockets.connect(target["webSocketDebuggerUrl"], max_size=None) as ws:
            tools = DevTools(ws)
            while await tools.evaluate("window.sideBySide && window.sideBySide.state") != "ready":
                check(time.time() < deadline, "the page never became ready: "
                      + str(await tools.evaluate("window.sideBySide && window.sideBySide.error")))
                await asyncio.sleep(0.1)
            readme = readme_page(workdir, port)
            request = urllib.request.Request(f"http://127.0.0.1:{devtools_port}/json/new?{readme}", method="PUT")
            readme_target = json.loads(urllib.request.urlopen(request, timeout=10).read())
            example = "file://" + os.path.abspath(os.path.join(HERE, "..", "..", "examples", "browser_client.html"))
            request = urllib.request.Request(f"http://127.0.0.1:{devtools_port}/json/new?{example}", method="PUT")
            example_target = json.loads(urllib.request.urlopen(request, timeout=10).read())
            async with websockets.connect(readme_target["webSocketDebuggerUrl"], max_size=None) as readme_ws, \
                    websockets.connect(example_target["webSocketDebuggerUrl"], max_size=None) as example_ws:
                readme_tools = DevTools(readme_ws)
                example_tools = DevTools(example_ws)
                # examples/browser_client.html as a user would use it: URL, the
                # compression box ticked, Connect (it subscribes market_data
                # and the acked channels by default).
                # A new target starts on about:blank, whose readyState is
                # "complete" too: wait for the example's own form.
                loaded_by = time.time() + 30
                while await example_tools.evaluate(
                        "document.readyState === 'complete' && document.getElementById('url') !== null") is not True:
                    check(time.time() < loaded_by, "examples/browser_client.html never loaded: "
                          + str(await example_tools.evaluate("location.href")))
                    await asyncio.sleep(0.1)
                await example_tools.evaluate(
                    f"document.getElementById('url').value = 'ws://127.0.0.1:{port}/ws';"
                    "document.getElementById('compression').checked = true;"
                    "document.getElementById('connect').click(); true")
                subscribed_by = time.time() + 30
                # After the side-by-side pair: the README snippet and the example.
                while metric(port, "quantpush_subscriptions", channel="market_data") < 4:
                    check(time.time() < subscribed_by, "the README snippet or the example never subscribed: "
                          + str(await readme_tools.evaluate("window.readmeError")))
                    await asyncio.sleep(0.1)
                check(metric(port, "quantpush_connections_compressed") == 3, "three compressed connections")
                await publish_all(port)
                # The snippet filters BTCUSDT and ETHUSDT: ticks n with n % 5 in (0, 1).
                wanted = [n for n in range(1, TICKS + 1) if n % 5 in (0, 1)]
                logged_by = time.time() + 60
                while await readme_tools.evaluate("window.readmeLog.length") < len(wanted):
                    check(time.time() < logged_by, "the README snippet logged "
                          + str(await readme_tools.evaluate("window.readmeLog.length")) + " pushes")
                    await asyncio.sleep(0.1)
                logged = json.loads(await readme_tools.evaluate("JSON.stringify(window.readmeLog)"))
                check([entry[1] for entry in logged] == wanted, f"README snippet seqs {[e[1] for e in logged][:10]}...")
                check(all(entry[0] == "market_data" and entry[2] == tick(entry[1]) for entry in logged),
                      "README snippet data")
                print(f"ok README snippet: {len(logged)} filtered pushes, seqs and data as published")
                counts = "JSON.stringify(Object.fromEntries(Object.entries(state.get('market_data')).filter(([k]) => k !== 'seen')))"
                while json.loads(await example_tools.evaluate(counts))["received"] < TICKS:
                    check(time.time() < logged_by, "browser_client.html counted " + await example_tools.evaluate(counts))
                    await asyncio.sleep(0.1)
                market = json.loads(await example_tools.evaluate(counts))
                check(market["received"] == TICKS and market["last"] == TICKS and market["duplicates"] == 0
                      and market["gaps"] == 0 and market["lost"] == 0, f"browser_client.html: {market}")
                log_text = await example_tools.evaluate("document.getElementById('log').textContent")
                check("undecodable" not in log_text, f"browser_client.html log: {log_text[-500:]}")
                print(f"ok examples/browser_client.html (compressed): {market['received']} market_data, "
                      "no gap, no duplicate")
            deadline = time.time() + 60
            while True:
                state = await tools.evaluate("window.sideBySide.state")
                if state in ("done", "failed"):
                    break
                check(time.time() < deadline, f"the page did not finish: {state}")
                await asyncio.sleep(0.1)
            check(state == "done", "page failed: " + str(await tools.evaluate("window.sideBySide.error")))
            return json.loads(await tools.evaluate("JSON.stringify(window.sideBySide.result())"))
    finally:
        stop(proc)
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True)
    parser.add_argument("--decoder", required=True, choices=["python", "node", "chromium"])
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix=f"compression-{args.decoder}-")
    proc, port, log_path = start_server(args.server, workdir)
    ok = False
    try:
        if args.decoder == "python":
            result = asyncio.run(run_python(port))
        elif args.decoder == "node":
            result = asyncio.run(run_node(port))
        else:
            result = asyncio.run(run_chromium(port, workdir))
        json_bytes, wire_bytes = verify_side_by_side(result, args.decoder)
        if args.decoder == "python":
            # The only compressed connection was ours: /metrics must agree with what it received.
            before = metric(port, "quantpush_push_bytes_before_compression_total", channel="market_data")
            after = metric(port, "quantpush_push_bytes_after_compression_total", channel="market_data")
            market_frames = [(t, w) for t, b, w in zip(result["compressed"]["frames"], result["compressed"]["binary"],
                                                       result["compressed"]["wire_bytes"])
                             if b and json.loads(t)["channel"] == "market_data"]
            check(before == sum(len(t.encode()) for t, _ in market_frames), f"bytes before compression {before}")
            check(after == sum(w for _, w in market_frames), f"bytes after compression {after}")
            check(metric(port, "quantpush_compressions_total") == sum(result["compressed"]["binary"]),
                  "one compression per compressed frame")
            check(metric(port, "quantpush_compression_cpu_seconds_total") > 0, "compression CPU time")
            print(f"ok metrics: market_data {int(before)} -> {int(after)} bytes, as received")
        ok = True
    finally:
        stop(proc)
        if not ok:
            with open(log_path) as lines:
                sys.stderr.write(lines.read()[-4000:])
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
