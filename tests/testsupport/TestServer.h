#pragma once

#include "WebSocketManager.h"
#include "config/ServerConfig.h"

#include <QtCore/QUrl>

#include <memory>

namespace QuantPush::Testing {

// websocket.worker_threads for the servers tests start:
// QUANTPUSH_TEST_WORKER_THREADS, else 1 (every session on the main thread).
int testWorkerThreads();

// Defaults for tests: loopback, an ephemeral port, no auth, testWorkerThreads().
ServerConfig testConfig();

// Starts a server on 127.0.0.1:0; fails the calling test when it cannot.
// With a `clock` (a FakeClock), the broadcaster, heartbeats and rate limits
// run on it instead of real time.
std::unique_ptr<WebSocketManager> startServer(const ServerConfig &config, Clock *clock = nullptr);

QUrl webSocketUrl(const WebSocketManager &server, const QString &path = QStringLiteral("/ws"));

} // namespace QuantPush::Testing
