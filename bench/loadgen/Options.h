#pragma once

#include <optional>
#include <string>
#include <vector>

namespace loadgen {

struct Options
{
    enum class Mode { Fanout, Connect };

    Mode mode = Mode::Fanout;
    std::vector<std::string> urls;  // subscribers round-robin over these
    std::string publisherUrl;       // default: urls.front()
    std::string apiKey;             // publisher's X-API-Key
    std::string subscriberApiKey;   // empty: anonymous subscribers
    std::string channel = "strategy_status";
    int clients = 100;
    double rate = 1000;             // msgs/s; 0 = window mode
    int window = 64;                // in-flight publishes in window mode
    double durationSec = 10;
    int payloadBytes = 200;
    bool ticks = false;
    bool compression = false;
    double drainSec = 5;
    double connectTimeoutSec = 30;
    // Handshakes in flight at once. With QTcpServer's default listen backlog
    // (50) anything above ~50 overflowed it (nstat TcpExtListenOverflows) and
    // each dropped SYN came back a second later, so 32 was the best then
    // (2026-12-02, 10,000 clients: 32 -> 2.1-3.3 k connects/s on a busy box,
    // 128 -> 1.9-2.8 k, 1024 -> 0.3-0.7 k). The server listens with a backlog
    // of 4096 since 0011467; on a quiet box, 10,000 clients, one run each
    // (docs/benchmarks.md, "Session 20"): QuantPush 6.4-7.5 k at 128 against
    // 4.1 k at 32, the Node peer (backlog 511) 5.3-5.8 k at 128 against 4.3 k.
    int concurrency = 128;
    int idle = 0;                   // fan-out: idle subscribers opened first
    std::string idleChannel = "trading_signals";
    int serverPid = 0;              // 0: no server CPU / RSS figures
    double settleSec = 2;           // connect mode: idle time before the RSS reading

    // nullopt with `error` set on bad arguments; `help` for --help.
    static std::optional<Options> parse(int argc, char **argv, std::string *error, bool *help);
    static const char *usage();
};

} // namespace loadgen
