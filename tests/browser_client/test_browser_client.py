#!/usr/bin/env python3
"""examples/browser_client.html in Debian's headless Chromium, against the real server.

Starts quantpush-server --demo on an ephemeral port, opens the page as a shared
link would (?url=...&autoconnect=1) in headless Chromium with a fresh profile,
and reads the page back over the DevTools protocol (python3-websockets): its
log lines must show market_data and order_updates pushes with increasing seq,
and its table no gaps and no duplicates. Chromium and the server are stopped
by PID.
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websockets

FAST_DEMO = """
websocket:
  auth_required: false
auth:
  anonymous_role: trader
demo:
  tick_interval_ms: 20
  order_interval_ms: 100
"""
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
# What the page shows: its log lines and its per-channel table.
READ_PAGE = """JSON.stringify({
  status: document.getElementById("status").textContent,
  log: [...document.querySelectorAll("#log div")].map((d) => d.textContent),
  rows: [...document.querySelectorAll("#counts tbody tr")].map((r) => [...r.cells].map((c) => c.textContent))
})"""
CHECKED = ("market_data", "order_updates")   # the page's default subscriptions with gap checks


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"FAIL: {what} within {timeout} s")


def start_server(binary, work):
    config = os.path.join(work, "demo.yaml")
    with open(config, "w") as out:
        out.write(FAST_DEMO)
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([binary, "--demo", "--config", config, "--host", "127.0.0.1", "--port", "0",
                             "--worker-threads", os.environ.get("QUANTPUSH_TEST_WORKER_THREADS", "1")],
                            stdout=log, stderr=subprocess.STDOUT)

    def port():
        if proc.poll() is not None:
            raise SystemExit("FAIL: the server exited:\n" + open(log_path).read())
        match = re.search(r"listening on ws://127\.0\.0\.1:(\d+)/ws", open(log_path).read())
        return match and int(match.group(1))
    return proc, wait_for(port, 30, "the server reports its port")


def start_chromium(chromium, page_url, profile):
    proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", page_url],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "..", "chromium.log"), "w"))
    active = os.path.join(profile, "DevToolsActivePort")

    def port():
        if proc.poll() is not None:
            raise SystemExit(f"FAIL: chromium exited with {proc.returncode}")
        if os.path.exists(active):
            lines = open(active).read().split()
            return lines and int(lines[0])
        return None
    return proc, wait_for(port, 60, "chromium opens its DevTools port")


def page_target(devtools_port):
    def find():
        with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=5) as answer:
            targets = json.load(answer)
        pages = [t for t in targets if t["type"] == "page" and "browser_client.html" in t["url"]]
        return pages and pages[0]["webSocketDebuggerUrl"]
    return wait_for(find, 30, "the page appears among Chromium's targets")


def seqs_by_channel(log_lines):
    """The page logs each new push as 'HH:MM:SS.mmm <channel> #<seq> ...'."""
    seqs = {}
    for line in log_lines:
        match = re.match(r"\S+ (\w+) #(\d+)", line)
        if match:
            seqs.setdefault(match.group(1), []).append(int(match.group(2)))
    return seqs


async def read_page(debugger_url, timeout):
    async with websockets.connect(debugger_url, max_size=None) as cdp:
        request_id = 0
        deadline = time.time() + timeout
        page = None
        last_problem = None
        while time.time() < deadline:
            request_id += 1
            await cdp.send(json.dumps({"id": request_id, "method": "Runtime.evaluate",
                                       "params": {"expression": READ_PAGE, "returnByValue": True}}))
            while True:
                reply = json.loads(await asyncio.wait_for(cdp.recv(), 10))
                if reply.get("id") == request_id:
                    break
            result = reply.get("result", {}).get("result", {})
            if "value" not in result:     # the page is still loading: ask again
                last_problem = reply
                await asyncio.sleep(0.5)
                continue
            page = json.loads(result["value"])
            seqs = seqs_by_channel(page["log"])
            if all(len(seqs.get(channel, [])) >= 10 for channel in CHECKED):
                return page
            await asyncio.sleep(0.5)
        if page is None:
            print(f"the page never answered; last reply: {last_problem}", file=sys.stderr)
        return page


def stop(proc, name):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            print(f"{name} did not stop on SIGTERM", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="quantpush-browser-")
    server = chromium = None
    try:
        server, port = start_server(args.server, work)
        ws_url = f"ws://127.0.0.1:{port}/ws"
        page_url = "file://" + os.path.abspath(args.page) + "?" + urllib.parse.urlencode(
            {"url": ws_url, "autoconnect": "1"})
        print(f"server on {ws_url}; opening {page_url}")
        profile = os.path.join(work, "profile")
        os.mkdir(profile)
        chromium, devtools_port = start_chromium(args.chromium, page_url, profile)
        page = asyncio.run(read_page(page_target(devtools_port), 60))

        failures = []
        if page is None:
            failures.append("could not read the page")
        else:
            seqs = seqs_by_channel(page["log"])
            rows = {row[0]: row for row in page["rows"]}
            print(f"page status: {page['status']}; table: {page['rows']}")
            for channel in CHECKED:
                got = seqs.get(channel, [])
                print(f"{channel}: {len(got)} pushes logged, seq {got[:1]}..{got[-1:]}")
                if len(got) < 10:
                    failures.append(f"only {len(got)} {channel} pushes reached the page")
                if any(b <= a for a, b in zip(got, got[1:])):
                    failures.append(f"{channel} seq did not increase: {got}")
                # columns: channel, last seq, received, redelivered, duplicates, gaps, lost history
                row = rows.get(channel)
                if row is None or row[4] != "0" or row[5] != "0" or row[6] != "0":
                    failures.append(f"{channel} row shows duplicates, gaps or lost history: {row}")
            if page["status"] != "connected":
                failures.append(f"the page says {page['status']!r}, not connected")
            if any("error" in line.split(" ", 2)[1:2] for line in page["log"]):
                failures.append("the page logged an error")
        if failures:
            for line in (page or {}).get("log", [])[-20:]:
                print("  page log:", line)
            raise SystemExit("FAIL: " + "; ".join(failures))
        print("ok: headless Chromium ran examples/browser_client.html against the server")
    finally:
        if chromium:
            stop(chromium, "chromium")
        if server:
            stop(server, "the server")
        shutil.rmtree(work, ignore_errors=True)
    if server.returncode != 0:
        raise SystemExit(f"FAIL: the server exited with {server.returncode} after SIGTERM")


if __name__ == "__main__":
    main()
