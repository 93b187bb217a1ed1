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
    // Handshakes in flight at once. Measured with --mode connect, 10,000
    // clients against quantpush-server (epoll) on the shared 2-core box, load
    // 3.7-6, 2026-12-02, fresh server per run: 32 -> 2.1-3.3 k connects/s
    // (2.99 and 3.29 k in the last sweep, the best there), 48 -> 2.5-3.3 k,
    // 64 -> 2.4-3.4 k, 128 -> 1.9-2.8 k, 256 -> 1.6-2.8 k, 1024 -> 0.3-0.7 k.
    // Above about 50 in flight the server's listen backlog (QTcpServer's
    // default, 50) overflows (nstat TcpExtListenOverflows: 240-270 per run at
    // 128, 0 at 32 and 48) and each dropped SYN is retried a second later:
    // with 1,000 clients that alone took 1.0-1.25 s at 64-256 against
    // 0.18-0.24 s at 16-48. 32 in flight still lets a server far faster than
    // these (tens of thousands a second) be measured.
    int concurrency = 32;
    int idle = 0;                   // fan-out: idle subscribers opened first
    std::string idleChannel = "trading_signals";
    int serverPid = 0;              // 0: no server CPU / RSS figures
    double settleSec = 2;           // connect mode: idle time before the RSS reading

    // nullopt with `error` set on bad arguments; `help` for --help.
    static std::optional<Options> parse(int argc, char **argv, std::string *error, bool *help);
    static const char *usage();
};

} // namespace loadgen
