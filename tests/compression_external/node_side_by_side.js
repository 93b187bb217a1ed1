#!/usr/bin/env node
// Node's zlib.inflateRawSync against QuantPush compressed frames, next to a
// text connection (driven by run_foreign.py --decoder node).
//   node node_side_by_side.js PORT TICKS STATUSES
// Opens ws://127.0.0.1:PORT/ws?compression=deflate and ws://127.0.0.1:PORT/ws,
// subscribes both to market_data and strategy_status, prints READY, and once
// both have TICKS market_data and STATUSES strategy_status messages prints
// what they received as JSON. The WebSocket client is written from RFC 6455
// with built-in modules only (net, crypto, zlib), so the test needs no npm.
"use strict";
const crypto = require("crypto");
const net = require("net");
const zlib = require("zlib");

const [port, ticks, statuses] = process.argv.slice(2).map(Number);

class Client {
  constructor(path, onFrame) {
    this.onFrame = onFrame; // (opcode, payload Buffer)
    this.buffer = Buffer.alloc(0);
    this.upgraded = false;
    this.fragments = [];
    this.fragmentOpcode = 0;
    const key = crypto.randomBytes(16).toString("base64");
    this.accept = crypto.createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
    this.socket = net.connect(port, "127.0.0.1", () => {
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
                        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.socket.on("data", (chunk) => this.onData(chunk));
    this.socket.on("error", (error) => fail(`socket error: ${error.message}`));
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString("latin1");
      if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(this.accept)) fail(`bad handshake: ${head}`);
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const fin = (this.buffer[0] & 0x80) !== 0;
      const opcode = this.buffer[0] & 0x0f;
      let length = this.buffer[1] & 0x7f;
      let offset = 2;
      if (this.buffer[1] & 0x80) fail("the server masked a frame");
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 0x9) { this.send(0xA, payload); continue; } // ping -> pong
      if (opcode === 0x8 || opcode === 0xA) continue;
      if (opcode !== 0) this.fragmentOpcode = opcode;
      this.fragments.push(Buffer.from(payload));
      if (!fin) continue;
      const message = Buffer.concat(this.fragments);
      this.fragments = [];
      this.onFrame(this.fragmentOpcode, message);
    }
  }

  send(opcode, payload) {
    const mask = crypto.randomBytes(4);
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length])
                                : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; ++i) masked[i] ^= mask[i % 4];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  sendJson(object) { this.send(0x1, Buffer.from(JSON.stringify(object))); }
}

function fail(message) {
  process.stderr.write(`node_side_by_side: ${message}\n`);
  process.exit(1);
}

function side(path) {
  const state = { welcome: null, frames: [], binary: [], wire_bytes: [], subscribed: 0, seqs: {} };
  const client = new Client(path, (opcode, payload) => {
    let text;
    if (opcode === 0x2) {
      try {
        text = zlib.inflateRawSync(payload).toString("utf8");
      } catch (error) {
        fail(`inflateRawSync: ${error.message}`);
      }
    } else {
      text = payload.toString("utf8");
    }
    const frame = JSON.parse(text);
    if (frame.type === "welcome") {
      state.welcome = frame;
      client.sendJson({ type: "subscribe", id: "m", data: { type: "market_data" } });
      client.sendJson({ type: "subscribe", id: "s", data: { type: "strategy_status" } });
    } else if (frame.type === "subscribed") {
      if (++state.subscribed === 2) maybeReady();
    } else if (frame.type === "error") {
      fail(`server error: ${text}`);
    } else if (frame.channel) {
      state.frames.push(text);
      state.binary.push(opcode === 0x2);
      state.wire_bytes.push(payload.length);
      const items = frame.type === "batch" ? frame.data : [frame];
      state.seqs[frame.channel] = (state.seqs[frame.channel] || 0) + items.length;
      maybeDone();
    }
  });
  state.client = client;
  return state;
}

const compressed = side("/ws?compression=deflate");
const text = side("/ws");
let ready = false;

function maybeReady() {
  if (ready || compressed.subscribed < 2 || text.subscribed < 2) return;
  ready = true;
  process.stdout.write("READY\n");
}

function complete(state) {
  return (state.seqs.market_data || 0) >= ticks && (state.seqs.strategy_status || 0) >= statuses;
}

function maybeDone() {
  if (!complete(compressed) || !complete(text)) return;
  const strip = ({ welcome, frames, binary, wire_bytes }) => ({ welcome, frames, binary, wire_bytes });
  process.stdout.write(JSON.stringify({ compressed: strip(compressed), text: strip(text) }) + "\n", () => process.exit(0));
}

setTimeout(() => fail("timed out"), 90000).unref();
