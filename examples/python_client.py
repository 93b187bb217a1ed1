#!/usr/bin/env python3
"""QuantPush example client (wire protocol v1, see docs/protocol.md).

A complete client in one file, for Debian's python3-websockets:

  * subscribes to channels, optionally with filters;
  * reconnects with exponential backoff and jitter, and resumes every channel
    with "since" = the last seq it saw, so nothing is lost or seen twice while
    the server's history covers the outage; says so when it does not
    ("recovered": false) or when the server restarted (seq went backwards);
  * acknowledges every message of the acknowledged channels (order_updates,
    position_updates, risk_alerts), redeliveries included;
  * notices seq jumps and the server's "gap" notices;
  * stops cleanly on Ctrl-C / SIGTERM (close 1000) or after --duration seconds,
    and prints what it received per channel;
  * with --compression, asks for compressed pushes (?compression=deflate) and
    inflates the binary frames with zlib.decompress(data, -15).

Examples:
  /usr/bin/python3 examples/python_client.py
  /usr/bin/python3 examples/python_client.py -c market_data='{"symbol":["BTCUSDT","ETHUSDT"]}' -c order_updates
  /usr/bin/python3 examples/python_client.py --url ws://host:8765/ws --token "$JWT" --duration 30 --quiet
  /usr/bin/python3 examples/python_client.py --compression -c market_data
"""
import argparse
import asyncio
import collections
import json
import random
import signal
import sys
import time
import urllib.parse
import zlib

try:
    import websockets
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("python_client.py needs the 'websockets' package (Debian: apt install python3-websockets; "
             "run it with /usr/bin/python3)")

ALL_CHANNELS = ["trading_signals", "strategy_status", "market_data", "system_monitor",
                "order_updates", "position_updates", "risk_alerts", "performance_metrics"]
DEFAULT_CHANNELS = ["trading_signals", "strategy_status", "market_data", "system_monitor",
                    "order_updates", "performance_metrics"]
# Acknowledged channels (PROTOCOL.md defaults): every message gets an ack.
ACKED = {"order_updates", "position_updates", "risk_alerts"}
# Channels whose seq legitimately jumps or reorders: priority_queue reorders,
# rate_limited coalesces. No "missing seq" warnings there.
GAP_EXEMPT = {"trading_signals", "system_monitor", "performance_metrics"}
FATAL_CLOSE = {4001: "unauthorized", 4003: "forbidden"}
RECENT_SEQS = 10000  # per channel, for duplicate detection on reordering channels


def log(*parts):
    stamp = time.strftime("%H:%M:%S") + ".%03d" % (int(time.time() * 1000) % 1000)
    print(stamp, *parts, flush=True)


class Channel:
    """What we know about one subscribed channel."""

    def __init__(self, name, filters):
        self.name = name
        self.filters = filters
        self.last_seq = None        # highest seq seen: the next "since"
        self.recent = collections.OrderedDict()  # seqs seen lately (reordering channels)
        self.received = 0
        self.redelivered = 0
        self.duplicates = 0
        self.gaps_detected = 0      # seq jumps we noticed ourselves
        self.gaps_reported = 0      # "gap" notices from the server
        self.recovery_incomplete = 0

    @property
    def gap_checked(self):
        # Filters make seq jump without any loss, and so do exempt channels.
        return self.name not in GAP_EXEMPT and not self.filters

    def accept(self, seq):
        """True for a new seq, False for a duplicate."""
        if self.name in GAP_EXEMPT:
            if seq in self.recent:
                return False
            self.recent[seq] = True
            while len(self.recent) > RECENT_SEQS:
                self.recent.popitem(last=False)
            self.last_seq = seq if self.last_seq is None else max(self.last_seq, seq)
            return True
        if self.last_seq is not None and seq <= self.last_seq:
            return False
        if self.last_seq is not None and seq > self.last_seq + 1 and self.gap_checked:
            self.gaps_detected += 1
            log(f"WARNING {self.name}: seq jumped from {self.last_seq} to {seq}, "
                f"{seq - self.last_seq - 1} message(s) missing")
        self.last_seq = seq
        return True

    def summary(self):
        return {"received": self.received, "redelivered": self.redelivered, "duplicates": self.duplicates,
                "gaps_detected": self.gaps_detected, "gaps_reported": self.gaps_reported,
                "recovery_incomplete": self.recovery_incomplete, "last_seq": self.last_seq}


class FatalError(Exception):
    pass


def with_compression(url):
    """The URL with compression=deflate added to its query."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "compression"]
    query.append(("compression", "deflate"))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def decode(frame, max_size):
    """A frame's JSON text: text frames as they are, binary ones (compressed
    pushes) inflated as raw DEFLATE, refusing more than max_size bytes."""
    if isinstance(frame, str):
        return frame
    inflater = zlib.decompressobj(-15)
    text = inflater.decompress(frame, max_size)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("a compressed frame is truncated or inflates past --max-size")
    return text.decode("utf-8")


class Client:
    def __init__(self, args):
        self.args = args
        self.channels = {name: Channel(name, filters) for name, filters in args.channels}
        self.stop_event = asyncio.Event()
        self.ws = None
        self.connections = 0
        self.resumes = 0
        self.request_id = 0
        self.pending = {}           # request id -> (type, channel, since)
        self.started = time.monotonic()

    # ------------------------------------------------------------ lifecycle

    def stop(self):
        if self.stop_event.is_set():
            return
        self.stop_event.set()
        if self.ws is not None:
            asyncio.ensure_future(self.ws.close(code=1000, reason="client stopping"))

    async def run(self):
        attempt = 0
        while not self.stop_event.is_set():
            session_ok = False
            close_code = None
            try:
                url = with_compression(self.args.url) if self.args.compression else self.args.url
                async with websockets.connect(url, max_size=self.args.max_size, open_timeout=10,
                                              ping_interval=20, ping_timeout=20, close_timeout=5) as ws:
                    self.ws = ws
                    self.connections += 1
                    session_ok = await self.session(ws)
                    close_code = ws.close_code
            except FatalError as error:
                log(f"ERROR {error}; not reconnecting")
                return 1
            except websockets.exceptions.ConnectionClosed as closed:
                received = getattr(closed, "rcvd", None)  # websockets >= 10
                close_code = received.code if received is not None else getattr(closed, "code", None)
                session_ok = True
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as error:
                log(f"connection failed: {error!r}")
            finally:
                self.ws = None
                self.pending.clear()
            if self.stop_event.is_set():
                break
            if close_code in FATAL_CLOSE:
                log(f"ERROR closed with {close_code} ({FATAL_CLOSE[close_code]}); not reconnecting")
                return 1
            attempt = 1 if session_ok else attempt + 1
            if self.args.max_attempts and attempt > self.args.max_attempts:
                log(f"ERROR giving up after {self.args.max_attempts} attempts")
                return 1
            delay = self.backoff(attempt)
            log(f"disconnected (code {close_code}); reconnecting in {delay:.2f} s (attempt {attempt})")
            try:
                await asyncio.wait_for(self.stop_event.wait(), delay)
            except asyncio.TimeoutError:
                pass
        return 0

    def backoff(self, attempt):
        """min(max, initial * multiplier^(attempt-1)), jittered into [base/2, base]."""
        base = min(self.args.max_delay, self.args.initial_delay * (2.0 ** (attempt - 1)))
        return random.uniform(base / 2, base) if not self.args.no_jitter else base

    async def session(self, ws):
        welcome = json.loads(await ws.recv())
        if welcome.get("type") != "welcome":
            raise FatalError(f"expected welcome, got {welcome.get('type')}")
        data = welcome.get("data", {})
        log(f"connected to {data.get('server')} as session {data.get('session_id')} "
            f"(heartbeat every {data.get('heartbeat_interval')} ms, compression {data.get('compression', 'none')})")
        if self.args.compression and data.get("compression") != "deflate":
            log("WARNING the server does not compress for this connection (compression_enabled: false?)")
        if self.args.token or self.args.api_key:
            credentials = {"token": self.args.token} if self.args.token else {"api_key": self.args.api_key}
            await self.send(ws, "auth", credentials)
        for channel in self.channels.values():
            await self.subscribe(ws, channel)
        dropper = asyncio.ensure_future(self.drop_later(ws)) if self.args.drop_every else None
        try:
            async for frame in ws:
                try:
                    text = decode(frame, self.args.max_size)
                except (zlib.error, ValueError) as error:
                    # A push is lost inside it: reconnect and resume with "since".
                    log(f"ERROR undecodable compressed frame ({error}); reconnecting")
                    await ws.close(code=1002, reason="undecodable frame")
                    break
                await self.handle(ws, json.loads(text))
        finally:
            if dropper:
                dropper.cancel()
        return True

    async def drop_later(self, ws):
        """--drop-every: cut the TCP connection now and then, to watch resume work."""
        await asyncio.sleep(self.args.drop_every)
        log("dropping the connection on purpose (--drop-every)")
        ws.transport.abort()

    # ------------------------------------------------------------ outgoing

    async def send(self, ws, frame_type, data=None, track=None):
        self.request_id += 1
        frame = {"type": frame_type, "id": self.request_id}
        if data is not None:
            frame["data"] = data
        if track:
            self.pending[self.request_id] = track
        await ws.send(json.dumps(frame, separators=(",", ":")))

    async def subscribe(self, ws, channel):
        data = {"type": channel.name}
        if channel.filters:
            data["filters"] = channel.filters
        since = channel.last_seq
        if since is not None:
            data["since"] = since
            self.resumes += 1
        await self.send(ws, "subscribe", data, track=("subscribe", channel.name, since))

    async def ack(self, ws, channel, seq):
        await ws.send(json.dumps({"type": "ack", "data": {"channel": channel, "seq": seq}}, separators=(",", ":")))

    # ------------------------------------------------------------ incoming

    async def handle(self, ws, frame):
        kind = frame.get("type")
        request = self.pending.pop(frame.get("id"), None) if "id" in frame else None
        if kind == "auth_ok":
            log(f"authenticated as {frame['data'].get('user')} ({frame['data'].get('role')})")
        elif kind == "subscribed":
            self.on_subscribed(frame.get("data", {}), request)
        elif kind == "batch":
            for item in frame.get("data", []):
                item.setdefault("channel", frame.get("channel"))
                await self.on_push(ws, item)
        elif kind == "gap":
            self.on_gap(frame)
        elif kind == "error":
            error = frame.get("data", {})
            log(f"ERROR from server: {error.get('code')}: {error.get('message')}")
            if error.get("code") == "unauthorized":
                raise FatalError("authentication failed")
            if request and request[0] == "subscribe" and error.get("code") not in ("rate_limited", "internal"):
                log(f"dropping subscription {request[1]}: the server refused it")
                self.channels.pop(request[1], None)
        elif "channel" in frame and "seq" in frame:
            await self.on_push(ws, frame)

    def on_subscribed(self, data, request):
        channel = self.channels.get(data.get("type"))
        if channel is None:
            return
        since = request[2] if request else None
        server_seq = data.get("seq")
        if since is None:
            if channel.last_seq is None and isinstance(server_seq, int):
                channel.last_seq = server_seq  # we start after what is already published
            log(f"subscribed to {channel.name} ({data.get('subscription_id')}), server seq {server_seq}")
            return
        restarted = isinstance(server_seq, int) and server_seq < since
        recovered = data.get("recovered", True) and not restarted
        if restarted:
            log(f"WARNING {channel.name}: the server's seq went back from {since} to {server_seq} "
                f"(restarted without shared history): resynchronise from a snapshot")
            channel.last_seq = server_seq
            channel.recent.clear()
        elif not recovered:
            log(f"WARNING {channel.name}: history no longer holds everything after {since}: "
                f"some messages are lost, resynchronise from a snapshot")
            channel.last_seq = None  # accept the jump that follows without calling it a gap
        else:
            log(f"resumed {channel.name} after seq {since}: recovered")
        if not recovered:
            channel.recovery_incomplete += 1

    def on_gap(self, frame):
        channel = self.channels.get(frame.get("channel"))
        data = frame.get("data", {})
        log(f"WARNING {frame.get('channel')}: the server skipped seq {data.get('from')}..{data.get('to')} "
            f"(this client was too slow)")
        if channel is not None:
            channel.gaps_reported += 1
            to = data.get("to")
            if isinstance(to, int) and (channel.last_seq is None or to > channel.last_seq):
                channel.last_seq = to

    async def on_push(self, ws, frame):
        channel = self.channels.get(frame.get("channel"))
        seq = frame.get("seq")
        if channel is None or not isinstance(seq, int):
            return
        redelivered = bool(frame.get("redelivered"))
        if channel.accept(seq):
            channel.received += 1
            channel.redelivered += redelivered
            if not self.args.quiet:
                payload = json.dumps(frame.get("data"), separators=(",", ":"))
                log(f"{channel.name} #{seq}{' (redelivered)' if redelivered else ''} {payload[:160]}")
        else:
            channel.duplicates += 1
        # Acks go out for duplicates too: our earlier ack may have been lost.
        if channel.name in ACKED and not self.args.no_ack:
            await self.ack(ws, channel.name, seq)

    # ------------------------------------------------------------ report

    def summary(self):
        return {"url": self.args.url, "seconds": round(time.monotonic() - self.started, 2),
                "connections": self.connections, "resumes": self.resumes,
                "channels": {name: channel.summary() for name, channel in sorted(self.channels.items())}}


def parse_channel(text):
    name, _, filters = text.partition("=")
    if name not in ALL_CHANNELS:
        raise argparse.ArgumentTypeError(f"unknown channel '{name}' (one of {', '.join(ALL_CHANNELS)})")
    if not filters:
        return name, None
    try:
        parsed = json.loads(filters)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"filters of {name} are not JSON: {error}")
    if not isinstance(parsed, dict):
        raise argparse.ArgumentTypeError(f"filters of {name} must be a JSON object")
    return name, parsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="ws://127.0.0.1:8765/ws", help="server WebSocket URL")
    parser.add_argument("-c", "--channel", dest="channels", action="append", type=parse_channel,
                        metavar="NAME[=FILTERS]", help="subscribe to a channel, optionally with JSON filters "
                        "(repeatable; default: %s)" % ", ".join(DEFAULT_CHANNELS))
    parser.add_argument("--token", help="JWT, sent in an auth frame")
    parser.add_argument("--api-key", help="API key, sent in an auth frame when no token is given")
    parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: run until Ctrl-C)")
    parser.add_argument("--quiet", action="store_true", help="do not print every message")
    parser.add_argument("--summary-json", metavar="FILE", help="write the per-channel counts here at exit")
    parser.add_argument("--no-ack", action="store_true", help="never acknowledge (to watch redelivery)")
    parser.add_argument("--initial-delay", type=float, default=1.0, help="first reconnect delay, seconds")
    parser.add_argument("--max-delay", type=float, default=30.0, help="longest reconnect delay, seconds")
    parser.add_argument("--no-jitter", action="store_true", help="reconnect after exactly the backoff delay")
    parser.add_argument("--max-attempts", type=int, default=0, help="give up after this many failed attempts (0: never)")
    parser.add_argument("--max-size", type=int, default=4 << 20, help="largest frame accepted, bytes")
    parser.add_argument("--compression", action="store_true",
                        help="ask for compressed pushes (?compression=deflate) and inflate them")
    parser.add_argument("--drop-every", type=float, default=0, help=argparse.SUPPRESS)  # resume self-test
    args = parser.parse_args()
    if not args.channels:
        args.channels = [(name, None) for name in DEFAULT_CHANNELS]

    client = Client(args)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, client.stop)
    if args.duration > 0:
        loop.call_later(args.duration, client.stop)
    try:
        status = loop.run_until_complete(client.run())
    finally:
        loop.close()

    summary = client.summary()
    if args.summary_json:
        with open(args.summary_json, "w") as out:
            json.dump(summary, out, indent=2)
    print(f"--- {summary['connections']} connection(s), {summary['resumes']} resumed subscription(s), "
          f"{summary['seconds']} s", flush=True)
    for name, counts in summary["channels"].items():
        print(f"{name:22} {counts['received']:7} received  {counts['redelivered']:4} redelivered  "
              f"{counts['duplicates']:4} duplicates  {counts['gaps_detected'] + counts['gaps_reported']:3} gaps  "
              f"{counts['recovery_incomplete']:2} incomplete resumes", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
