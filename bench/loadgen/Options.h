#pragma once

#include <optional>
#include <string>
#include <vector>

namespace loadgen {

struct Options
{
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

    // nullopt with `error` set on bad arguments; `help` for --help.
    static std::optional<Options> parse(int argc, char **argv, std::string *error, bool *help);
    static const char *usage();
};

} // namespace loadgen
