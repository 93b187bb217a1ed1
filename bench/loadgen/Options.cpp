#include "Options.h"

#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>

namespace loadgen {

namespace {

bool toDouble(const char *text, double min, double max, double *out)
{
    char *end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(value >= min && value <= max))
        return false;
    *out = value;
    return true;
}

bool toInt(const char *text, int min, int max, int *out)
{
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < min || value > max)
        return false;
    *out = int(value);
    return true;
}

} // namespace

const char *Options::usage()
{
    return "usage: quantpush-loadgen --url ws://HOST:PORT/ws [--url ...] --api-key KEY [options]\n"
           "       quantpush-loadgen --mode connect --url ws://HOST:PORT/ws --clients N [options]\n"
           "  --mode fanout|connect  fanout (default): subscribers and a publisher; connect: N clients\n"
           "                         handshake and subscribe, connects/s and server RSS per connection\n"
           "  --url URL              subscriber endpoint; repeat for a cluster (round-robin)\n"
           "  --publisher-url URL    publisher endpoint (default: the first --url)\n"
           "  --api-key KEY          admin key the publisher sends as X-API-Key\n"
           "  --subscriber-api-key K subscribers send X-API-Key too (default: anonymous)\n"
           "  --channel NAME         channel to subscribe and publish on (strategy_status)\n"
           "  --clients N            subscribers (100)\n"
           "  --rate R               publishes per second; 0 = window mode, as fast as replies come (1000)\n"
           "  --window W             unanswered publishes in window mode (64)\n"
           "  --duration S           seconds of publishing (10)\n"
           "  --payload BYTES        padding in each payload (200)\n"
           "  --ticks                market-tick payloads (random walk) instead of padding\n"
           "  --compression          subscribers ask for ?compression=deflate and inflate binary frames\n"
           "  --drain S              after publishing, wait up to S s for every subscriber to catch up (5)\n"
           "  --connect-timeout S    for all subscribers to be subscribed, and the publisher (30)\n"
           "  --concurrency C        handshakes in flight while connecting (128)\n"
           "  --idle N               fanout: N idle subscribers of --idle-channel, opened first, not counted (0)\n"
           "  --idle-channel NAME    the channel they subscribe to; nobody publishes on it (trading_signals)\n"
           "  --server-pid PID       report the server's CPU seconds, run-queue wait and RSS from /proc/PID\n"
           "  --settle S             connect: seconds all stay open before the RSS reading (2)\n"
           "Prints one line of key=value; exits 1 if connections fail (fanout mode; connect mode counts\n"
           "them), 2 on bad arguments.\n";
}

std::optional<Options> Options::parse(int argc, char **argv, std::string *error, bool *help)
{
    Options options;
    std::set<std::string> seen; // option names given, for the checks across options
    *help = false;
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        seen.insert(name);
        if (name == "--help" || name == "-h") {
            *help = true;
            return std::nullopt;
        }
        if (name == "--ticks") {
            options.ticks = true;
            continue;
        }
        if (name == "--compression") {
            options.compression = true;
            continue;
        }
        if (i + 1 >= argc) {
            *error = name + " needs a value (or is unknown)";
            return std::nullopt;
        }
        const char *value = argv[++i];
        bool ok = true;
        if (name == "--mode") {
            if (std::strcmp(value, "fanout") == 0)
                options.mode = Mode::Fanout;
            else if (std::strcmp(value, "connect") == 0)
                options.mode = Mode::Connect;
            else
                ok = false;
        } else if (name == "--url")
            options.urls.emplace_back(value);
        else if (name == "--publisher-url")
            options.publisherUrl = value;
        else if (name == "--api-key")
            options.apiKey = value;
        else if (name == "--subscriber-api-key")
            options.subscriberApiKey = value;
        else if (name == "--channel")
            options.channel = value;
        else if (name == "--clients")
            ok = toInt(value, 1, 1000000, &options.clients);
        else if (name == "--rate")
            ok = toDouble(value, 0, 1e8, &options.rate);
        else if (name == "--window")
            ok = toInt(value, 1, 1000000, &options.window);
        else if (name == "--duration")
            ok = toDouble(value, 0.001, 1e6, &options.durationSec);
        else if (name == "--payload")
            ok = toInt(value, 0, 64 * 1024 * 1024, &options.payloadBytes);
        else if (name == "--drain")
            ok = toDouble(value, 0, 1e6, &options.drainSec);
        else if (name == "--connect-timeout")
            ok = toDouble(value, 0.001, 1e6, &options.connectTimeoutSec);
        else if (name == "--concurrency")
            ok = toInt(value, 1, 1000000, &options.concurrency);
        else if (name == "--idle")
            ok = toInt(value, 0, 1000000, &options.idle);
        else if (name == "--idle-channel")
            options.idleChannel = value;
        else if (name == "--server-pid")
            ok = toInt(value, 1, 1 << 30, &options.serverPid);
        else if (name == "--settle")
            ok = toDouble(value, 0, 3600, &options.settleSec);
        else {
            *error = "unknown option " + name;
            return std::nullopt;
        }
        if (!ok) {
            *error = "bad value for " + name + ": " + value;
            return std::nullopt;
        }
    }
    if (options.urls.empty()) {
        *error = "--url is required";
        return std::nullopt;
    }
    if (options.publisherUrl.empty())
        options.publisherUrl = options.urls.front();
    if (options.apiKey.empty() && options.mode == Mode::Fanout) {
        *error = "--api-key is required: publishing needs an admin key";
        return std::nullopt;
    }
    // Channels go into JSON unescaped; wire names are [a-z_].
    for (const auto &[flag, channel] : {std::pair {"--channel", &options.channel},
                                        std::pair {"--idle-channel", &options.idleChannel}}) {
        if (channel->empty() || channel->find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") != std::string::npos) {
            *error = std::string("bad ") + flag + " " + *channel + " (expected a wire name such as market_data)";
            return std::nullopt;
        }
    }
    if (options.mode == Mode::Connect) {
        // Options of the fan-out that would be accepted and do nothing here.
        // Its clients are anonymous subscribers (--subscriber-api-key gives them a key).
        for (const char *flag : {"--api-key", "--publisher-url", "--rate", "--window", "--duration", "--payload", "--ticks",
                                 "--compression", "--drain", "--idle", "--idle-channel"}) {
            if (seen.count(flag) > 0) {
                *error = std::string(flag) + " has no meaning with --mode connect";
                return std::nullopt;
            }
        }
    } else if (seen.count("--settle") > 0) {
        *error = "--settle is only for --mode connect";
        return std::nullopt;
    }
    for (const std::string *key : {&options.apiKey, &options.subscriberApiKey}) {
        if (key->find_first_of("\r\n") != std::string::npos) {
            *error = "API keys cannot hold line breaks";
            return std::nullopt;
        }
    }
    return options;
}

} // namespace loadgen
