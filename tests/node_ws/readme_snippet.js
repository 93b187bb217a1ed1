#!/usr/bin/env node
// The README's JavaScript snippet on Node with the `ws` package (pinned in
// package-lock.json), against the real server binary with --demo on a free port.
// The snippet is read from README.md now and run unchanged except for its URL;
// the harness only provides `WebSocket` (ws's browser-compatible API, also on
// Node 18, which has no global WebSocket) and watches what the snippet prints.
//   node readme_snippet.js SERVER_BINARY README NODE_MODULES_PARENT
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const vm = require("vm");

const [serverBinary, readmePath, modulesParent] = process.argv.slice(2);
const WebSocketImpl = require(path.join(modulesParent, "node_modules", "ws"));
const README_URL = "ws://127.0.0.1:8765/ws";

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  stop();
}

// --- the snippet, from README.md --------------------------------------------------
const readme = fs.readFileSync(readmePath, "utf8");
// The first js block, the one under "JavaScript (browser or Node `ws`)" (the next
// one is its compressed variant, tested by tests/compression_external).
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1]);
if (blocks.length < 1) throw new Error("README.md has no js block");
const snippet = blocks[0];
if (snippet.split(README_URL).length !== 2)
  throw new Error(`the README snippet does not contain ${README_URL} exactly once`);

// --- the server ---------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "quantpush-node-ws-"));
const logPath = path.join(work, "server.log");
const config = path.join(work, "demo.yaml");
// Anonymous clients (the snippet sends no credentials) and a quick tick.
fs.writeFileSync(config, "websocket:\n  auth_required: false\nauth:\n  anonymous_role: trader\ndemo:\n  tick_interval_ms: 20\n");
const log = fs.openSync(logPath, "w");
const server = spawn(serverBinary, ["--demo", "--config", config, "--host", "127.0.0.1", "--port", "0",
                                     "--worker-threads", process.env.QUANTPUSH_TEST_WORKER_THREADS || "1"],
                     { stdio: ["ignore", log, log] });
let serverExited = false;
server.on("exit", () => { serverExited = true; });

let sockets = [];
let stopped = false;
function stop() {
  if (stopped) return;
  stopped = true;
  for (const socket of sockets) socket.terminate();
  if (!serverExited) server.kill("SIGTERM");
  clearTimeout(deadline);
}
const deadline = setTimeout(() => fail("no verdict within 60 s"), 60000);

// --- what the snippet does and prints ----------------------------------------------
const frames = { batch: 0, batchedPushes: 0, single: 0 };
const printed = [];     // [channel, seq, data] as the snippet logged them
class ObservedWebSocket extends WebSocketImpl {
  constructor(...args) {
    super(...args);
    sockets.push(this);
    this.addEventListener("message", (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type === "batch") { frames.batch++; frames.batchedPushes += msg.data.length; }
      else if (msg.seq) frames.single++;
    });
  }
}
const sandboxConsole = {
  log: (...args) => { printed.push(args); check(); },
  error: console.error,
};

function check() {
  if (stopped || printed.length < 50 || frames.batch < 3) return;
  const bySymbol = new Map();
  for (const [channel, seq, data] of printed) {
    if (channel !== "market_data") return fail(`the snippet printed a push of ${channel}`);
    if (!Number.isInteger(seq) || seq <= 0) return fail(`seq ${seq} is not a positive integer`);
    if (!["BTCUSDT", "ETHUSDT"].includes(data.symbol)) return fail(`the filter let ${data.symbol} through`);
    bySymbol.set(data.symbol, (bySymbol.get(data.symbol) || 0) + 1);
  }
  for (let i = 1; i < printed.length; i++) {
    if (printed[i][1] <= printed[i - 1][1])
      return fail(`seq did not increase: ${printed[i - 1][1]} then ${printed[i][1]}`);
  }
  if (bySymbol.size !== 2) return fail(`only ${[...bySymbol.keys()]} arrived`);
  console.log(`ok: the README snippet printed ${printed.length} market_data pushes ` +
              `(seq ${printed[0][1]}..${printed[printed.length - 1][1]}, ${JSON.stringify(Object.fromEntries(bySymbol))}), ` +
              `from ${frames.batch} batch frames holding ${frames.batchedPushes} pushes and ${frames.single} single pushes`);
  if (frames.batchedPushes === 0) return fail("no batched market_data");
  stop();
}

function waitForPort() {
  const started = Date.now();
  const timer = setInterval(() => {
    const match = fs.readFileSync(logPath, "utf8").match(/listening on ws:\/\/127\.0\.0\.1:(\d+)\/ws/);
    if (match) {
      clearInterval(timer);
      const url = `ws://127.0.0.1:${match[1]}/ws`;
      console.log(`server on ${url}; running the README snippet with node ${process.version}`);
      vm.runInNewContext(snippet.replace(README_URL, url),
                         { WebSocket: ObservedWebSocket, JSON, console: sandboxConsole },
                         { filename: "README.md (js block)" });
    } else if (serverExited || Date.now() - started > 15000) {
      clearInterval(timer);
      fail(`the server did not start:\n${fs.readFileSync(logPath, "utf8")}`);
    }
  }, 50);
}
waitForPort();

process.on("exit", () => {
  fs.rmSync(work, { recursive: true, force: true });
});
server.on("exit", (code, signal) => {
  if (!stopped) fail(`the server exited early (${code ?? signal})`);
  else if (code !== 0) { console.error(`the server exited with ${code ?? signal} after SIGTERM`); process.exitCode = 1; }
});
