#!/usr/bin/python3
"""wss:// end to end with the Python `websockets` library (issue 3, item 3).

Run by tst_tls against the real quantpush-server with a certificate made at
test time. Trusts only that certificate (--cafile), authenticates with the
token in $QP_TOKEN (never on the command line), subscribes, publishes, and
checks the push, a ping, HTTPS /healthz on the same port, and that a client
which does not trust the certificate is refused. Exit status 0 means success.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys
import urllib.request

import websockets

TIMEOUT = 10


async def receive(ws, wanted, what):
    """Reads frames until one satisfies `wanted`; returns it."""
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame.get("type") == "error":
            raise AssertionError(f"{what}: server error {frame}")
        if wanted(frame):
            return frame


async def session(url, context, token):
    async with websockets.connect(url, ssl=context, open_timeout=TIMEOUT) as ws:
        welcome = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        assert welcome["type"] == "welcome", welcome
        assert welcome["data"]["protocol"] == 1, welcome
        assert welcome["data"]["auth_required"] is True, welcome

        await ws.send(json.dumps({"type": "auth", "id": "a", "data": {"token": token}}))
        auth_ok = await receive(ws, lambda f: f["type"] == "auth_ok", "auth")
        assert auth_ok["id"] == "a" and auth_ok["data"]["role"] == "admin", auth_ok

        await ws.send(json.dumps({"type": "subscribe", "id": "s", "data": {"type": "strategy_status"}}))
        subscribed = await receive(ws, lambda f: f["type"] == "subscribed", "subscribe")
        assert subscribed["id"] == "s", subscribed

        payload = {"strategy": "tls-check", "state": "running"}
        await ws.send(json.dumps({"type": "publish", "id": "p",
                                  "data": {"type": "strategy_status", "payload": payload}}))
        seen = set()
        while seen != {"published", "strategy_status"}:
            frame = await receive(ws, lambda f: f["type"] in ("published", "strategy_status"), "publish")
            if frame["type"] == "strategy_status":
                assert frame["data"] == payload and frame["channel"] == "strategy_status", frame
                assert isinstance(frame["seq"], int) and isinstance(frame["ts"], int), frame
            seen.add(frame["type"])

        await ws.send(json.dumps({"type": "ping", "id": 42}))
        pong = await receive(ws, lambda f: f["type"] == "pong", "ping")
        assert pong["id"] == 42, pong


async def untrusted_is_refused(url):
    try:
        async with websockets.connect(url, ssl=ssl.create_default_context(), open_timeout=TIMEOUT):
            pass
    except ssl.SSLError:
        return
    raise AssertionError("a client that does not trust the certificate connected")


def healthz(url, context):
    https = url.replace("wss://", "https://", 1).rsplit("/", 1)[0] + "/healthz"
    with urllib.request.urlopen(https, context=context, timeout=TIMEOUT) as response:
        assert response.status == 200, response.status
        assert json.loads(response.read()) == {"status": "ok"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="wss://127.0.0.1:PORT/ws")
    parser.add_argument("--cafile", required=True, help="the server's self-signed certificate")
    args = parser.parse_args()
    token = os.environ["QP_TOKEN"]

    context = ssl.create_default_context(cafile=args.cafile)  # verifies chain and host name
    asyncio.run(session(args.url, context, token))
    asyncio.run(untrusted_is_refused(args.url))
    healthz(args.url, context)
    print(f"ok: websockets {websockets.__version__}, {ssl.OPENSSL_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
