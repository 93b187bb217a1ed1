// A fair peer for bench/run_bench.sh: what a team would write in an afternoon
// with Node's `ws` — one JSON.stringify per message, the same string sent to
// every subscriber of the channel. It speaks only what the generators use:
// welcome, subscribe -> subscribed, publish (X-API-Key admin) -> pushes with
// channel, seq and ts (µs), and the `published` {seq, recipients} reply that
// QuantPush sends too (quantpush-loadgen paces its publish window and counts
// publishes by it). No auth beyond the key, no filters, no history.
const { WebSocketServer } = require("ws");

const port = Number(process.argv[2] || 18900);
const adminKey = process.argv[3] || "bench-admin-key";
const pushType = { strategy_status: "strategy_status", market_data: "market_data", trading_signals: "trading_signal" };
const subscribers = new Map(); // channel -> Set<ws>
const seqs = new Map();
let nextSession = 1;

const nowUs = () => Number(process.hrtime.bigint() / 1000n) - hrtimeOffsetUs;
const hrtimeOffsetUs = Number(process.hrtime.bigint() / 1000n) - Date.now() * 1000;

const wss = new WebSocketServer({ port, host: "127.0.0.1", perMessageDeflate: false });
wss.on("connection", (ws, request) => {
  const admin = request.headers["x-api-key"] === adminKey;
  ws.send(JSON.stringify({ type: "welcome", data: { session_id: String(nextSession++), protocol: 1 } }));
  ws.on("message", (raw) => {
    let frame;
    try { frame = JSON.parse(raw); } catch { return; }
    if (frame.type === "subscribe") {
      const channel = frame.data.type;
      if (!subscribers.has(channel)) subscribers.set(channel, new Set());
      subscribers.get(channel).add(ws);
      ws.send(JSON.stringify({ type: "subscribed", id: frame.id, data: { type: channel, seq: seqs.get(channel) || 0 } }));
    } else if (frame.type === "publish" && admin) {
      const channel = frame.data.type;
      const seq = (seqs.get(channel) || 0) + 1;
      seqs.set(channel, seq);
      const text = JSON.stringify({ type: pushType[channel] || channel, channel, seq, ts: nowUs(), data: frame.data.payload });
      const recipients = subscribers.get(channel) || new Set();
      for (const client of recipients) client.send(text);
      ws.send(JSON.stringify({ type: "published", id: frame.id, data: { seq, recipients: recipients.size } }));
    }
  });
  ws.on("close", () => { for (const set of subscribers.values()) set.delete(ws); });
});
console.log(`listening on ws://127.0.0.1:${port}/ws`);
