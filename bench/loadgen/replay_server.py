#!/usr/bin/python3
"""A stand-in server that measures a load generator's own reading ceiling.

On a shared machine the real server cannot produce deliveries faster than a
good client reads them, so a client's limit cannot be seen against it. This
serves just enough of the protocol (handshake, welcome, subscribed with seq 0,
published replies) and, once the first publish arrives, streams to every
subscriber the same pre-built market_data batch frames (BATCH items each,
seqs 1..FRAMES*BATCH, optionally raw-DEFLATE binary frames for
?compression=deflate) in one sendall, so that it costs the kernel's copy and
little else. Latencies it causes are meaningless (ts is stamped when the
frames are built).

Usage: replay_server.py PORT [--frames 500] [--batch 100]
"""

import argparse
import base64
import hashlib
import json
import random
import socket
import struct
import threading
import time
import zlib

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode, payload):
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([n])
    elif n <= 0xFFFF:
        header += bytes([126]) + struct.pack("!H", n)
    else:
        header += bytes([127]) + struct.pack("!Q", n)
    return header + payload


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_frame(sock):
    b0, b1 = read_exact(sock, 2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", read_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", read_exact(sock, 8))[0]
    mask = read_exact(sock, 4) if b1 & 0x80 else b"\0\0\0\0"
    payload = bytearray(read_exact(sock, n))
    for i in range(n):
        payload[i] ^= mask[i % 4]
    return b0 & 0x0F, bytes(payload)


def build_stream(frames, batch, deflate):
    rng = random.Random(1)
    price = 65000.0
    out = []
    seq = 0
    now = int(time.time() * 1e6)
    for _ in range(frames):
        items = []
        for _ in range(batch):
            seq += 1
            price *= 1 + rng.gauss(0, 0.0008)
            tick = {"ask": round(price * 1.0002, 2), "bid": round(price * 0.9998, 2), "change_pct": 0.0123,
                    "key": "BTCUSDT", "price": round(price, 2), "symbol": "BTCUSDT",
                    "ts_ms": now // 1000, "volume": round(rng.lognormvariate(-2.5, 0.8), 5)}
            items.append({"channel": "market_data", "data": tick, "seq": seq, "ts": now, "type": "market_data"})
        text = json.dumps({"channel": "market_data", "data": items, "type": "batch"}, separators=(",", ":")).encode()
        if deflate:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            out.append(frame(0x2, compressor.compress(text) + compressor.flush()))
        else:
            out.append(frame(0x1, text))
    return b"".join(out), seq


class Replay:
    def __init__(self, frames, batch):
        self.go = threading.Event()
        self.streams = {False: build_stream(frames, batch, False), True: build_stream(frames, batch, True)}
        self.subscribers = 0

    def serve(self, sock):
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                request += chunk
            head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            key = next(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("sec-websocket-key:"))
            deflate = "compression=deflate" in head.split("\r\n", 1)[0]
            accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
            sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            welcome = {"type": "welcome", "data": {"session_id": "replay", "server": "replay", "protocol": 1,
                                                   "auth_required": False, "heartbeat_interval": 30,
                                                   "compression": "deflate" if deflate else "none"}}
            sock.sendall(frame(0x1, json.dumps(welcome, separators=(",", ":")).encode()))
            while True:
                opcode, payload = read_frame(sock)
                if opcode == 0x8:
                    sock.sendall(frame(0x8, payload[:2]))
                    return
                if opcode != 0x1:
                    continue
                message = json.loads(payload)
                if message.get("type") == "subscribe":
                    reply = {"type": "subscribed", "id": message.get("id"),
                             "data": {"subscription_id": "s", "type": "market_data", "seq": 0}}
                    sock.sendall(frame(0x1, json.dumps(reply, separators=(",", ":")).encode()))
                    self.subscribers += 1
                    self.go.wait()
                    sock.sendall(self.streams[deflate][0])
                elif message.get("type") == "publish":
                    self.go.set()
                    # Every publish "publishes" the whole stream: the last seq is its end.
                    reply = {"type": "published", "id": message.get("id"),
                             "data": {"seq": self.streams[False][1], "recipients": self.subscribers}}
                    sock.sendall(frame(0x1, json.dumps(reply, separators=(",", ":")).encode()))
        except (ConnectionError, OSError, StopIteration, ValueError):
            pass
        finally:
            sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--frames", type=int, default=500)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    replay = Replay(args.frames, args.batch)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    print(f"replay: {args.frames} frames of {args.batch} on 127.0.0.1:{args.port}", flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=replay.serve, args=(sock,), daemon=True).start()


if __name__ == "__main__":
    main()
