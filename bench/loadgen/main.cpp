// quantpush-loadgen: a load generator without Qt, so that the client side is
// not what limits a benchmark (docs/benchmarks.md, "quantpush-loadgen").
// One thread, one epoll set: N subscribers spread over the --url endpoints
// (plus --idle ones beside them) and one admin publisher, or with --mode
// connect only N clients connecting (ConnectMode.cpp); it prints one line of
// key=value.
#include "Clock.h"
#include "ConnectMode.h"
#include "Inflater.h"
#include "KeyValueLine.h"
#include "LatencyHistogram.h"
#include "Options.h"
#include "Poller.h"
#include "ProcStats.h"
#include "Publisher.h"
#include "ServerProbe.h"
#include "Subscriber.h"
#include "SubscriberGroup.h"
#include "Url.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace loadgen;

namespace {

[[noreturn]] void die(const std::string &message)
{
    std::fprintf(stderr, "quantpush-loadgen: %s\n", message.c_str());
    std::exit(1);
}

void raiseFileLimit(int clients)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t needed = rlim_t(clients) + 64;
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = std::min(needed, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < needed)
        die("--clients " + std::to_string(clients) + " needs " + std::to_string(needed)
            + " open files, the hard limit is " + std::to_string(limit.rlim_max) + " (ulimit -n)");
}

std::string ms(std::int64_t micros)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", double(micros) / 1000.0);
    return buffer;
}

std::string fixed(double value, int decimals)
{
    return KeyValueLine::fixed(value, decimals);
}

} // namespace

int main(int argc, char **argv)
{
    std::string error;
    bool help = false;
    const std::optional<Options> parsed = Options::parse(argc, argv, &error, &help);
    if (help) {
        std::fputs(Options::usage(), stdout);
        return 0;
    }
    if (!parsed) {
        std::fprintf(stderr, "quantpush-loadgen: %s\n%s", error.c_str(), Options::usage());
        return 2;
    }
    const Options &options = *parsed;
    raiseFileLimit(options.clients + options.idle);

    std::vector<Endpoint> endpoints;
    for (const std::string &text : options.urls) {
        std::optional<Url> url = Url::parse(text, &error);
        if (url && options.compression)
            url = url->withQuery("compression=deflate");
        const std::optional<Endpoint> endpoint = url ? Endpoint::resolve(*url, &error) : std::nullopt;
        if (!endpoint)
            die(error);
        endpoints.push_back(*endpoint);
    }
    if (options.mode == Options::Mode::Connect)
        return runConnectMode(options, endpoints);
    const std::optional<Url> publisherUrl = Url::parse(options.publisherUrl, &error);
    const std::optional<Endpoint> publisherEndpoint =
        publisherUrl ? Endpoint::resolve(*publisherUrl, &error) : std::nullopt;
    if (!publisherEndpoint)
        die(error);

    Poller poller;
    LatencyHistogram latency;
    std::unique_ptr<Inflater> inflater = options.compression ? std::make_unique<Inflater>() : nullptr;
    SubscriberContext context {options.channel, options.compression, &latency, inflater.get(), 0};
    // Idle subscribers: their own channel (nobody publishes on it), their own
    // counters, no compression; never part of delivered or expected.
    LatencyHistogram idleLatency;
    SubscriberContext idleContext {options.idleChannel, false, &idleLatency, nullptr, 0};
    SubscriberGroup idle(poller, endpoints, idleContext, options.idle, options.clients, options.subscriberApiKey);
    SubscriberGroup group(poller, endpoints, context, options.clients, 0, options.subscriberApiKey);
    const auto timeoutUs = std::int64_t(options.connectTimeoutSec * 1e6);

    // Phase 1: the idle connections, then every subscriber, connected and
    // subscribed, a bounded number of handshakes at a time.
    const auto openOrDie = [&](SubscriberGroup &which, const char *what) {
        const bool settled = which.open(options.concurrency, monotonicUs() + timeoutUs, true);
        if (which.failed() > 0) {
            die(std::to_string(which.failed()) + " of " + std::to_string(which.size()) + " " + what
                + " failed to subscribe (" + std::to_string(which.subscribed())
                + " subscribed); first error: " + which.firstFailure());
        }
        if (!settled) {
            die("only " + std::to_string(which.subscribed()) + " of " + std::to_string(which.size()) + " " + what
                + " subscribed within --connect-timeout " + fixed(options.connectTimeoutSec, 1) + " s");
        }
    };
    if (options.idle > 0)
        openOrDie(idle, "idle subscribers");
    const std::int64_t connectStart = monotonicUs();
    openOrDie(group, "subscribers");
    const double connectSeconds = double(monotonicUs() - connectStart) / 1e6;
    const std::vector<std::unique_ptr<Subscriber>> &subscribers = group.members();
    const std::int64_t connectDeadline = monotonicUs() + timeoutUs;

    Publisher publisher(poller, *publisherEndpoint, options);
    if (!publisher.start(&error))
        die("publisher: " + error);
    while (!publisher.ready()) {
        if (publisher.closed())
            die("publisher: " + publisher.failure());
        if (monotonicUs() > connectDeadline)
            die("publisher: no welcome within --connect-timeout");
        poller.wait(5);
    }

    // Phase 2: publishing. The 1 ms poll timeout is the rate mode's tick.
    ServerProbe server(options.serverPid);
    server.begin();
    const double cpuBefore = processCpuSeconds();
    const double waitBefore = runQueueWaitSecondsOf(int(getpid()));
    const double stealBefore = machineStealSeconds();
    const std::int64_t publishStartReal = realtimeUs();
    const std::int64_t publishStart = monotonicUs();
    const std::int64_t publishEnd = publishStart + std::int64_t(options.durationSec * 1e6);
    publisher.begin(publishStart);
    for (std::int64_t now = publishStart; now < publishEnd; now = monotonicUs()) {
        poller.wait(1);
        now = monotonicUs();
        publisher.tick(now);
        server.poll(now);
        if (publisher.closed())
            break;
    }
    publisher.stop();
    const double publishSeconds = double(monotonicUs() - publishStart) / 1e6;

    // Phase 3: drain. Done when every publish is answered and every
    // subscriber still connected has seen (or been told it missed) the last
    // published seq.
    const std::int64_t drainDeadline = monotonicUs() + std::int64_t(options.drainSec * 1e6);
    auto caughtUp = [&] {
        if (publisher.unanswered() > 0 && !publisher.closed())
            return false;
        const std::int64_t last = publisher.lastSeq().value_or(0);
        return std::all_of(subscribers.begin(), subscribers.end(),
                           [last](const auto &s) { return !s->connected() || s->lastSeq() >= last; });
    };
    bool drained = caughtUp();
    while (!drained && monotonicUs() < drainDeadline) {
        poller.wait(5);
        server.poll(monotonicUs());
        drained = caughtUp();
    }
    const double cpuSeconds = processCpuSeconds() - cpuBefore;
    const double waitAfter = runQueueWaitSecondsOf(int(getpid()));
    const double stealAfter = machineStealSeconds();
    server.end();

    // Totals, before closing (a close is not a disconnect under load).
    Subscriber::Stats total;
    std::int64_t expected = 0;
    std::size_t disconnected = 0;
    std::map<std::string, int> closeReasons;
    // The last published seq: the highest a `published` reply named, or one
    // a subscriber saw (or was told it missed) whose reply had not arrived
    // when the drain ended; either proves the message was published.
    std::optional<std::int64_t> lastSeq = publisher.lastSeq();
    for (const auto &s : subscribers) {
        if (s->lastSeq() > s->subscribedSeq())
            lastSeq = std::max(lastSeq.value_or(0), s->lastSeq());
    }
    const std::int64_t lastPublished = lastSeq.value_or(0);
    for (const auto &s : subscribers) {
        const Subscriber::Stats &st = s->stats();
        total.delivered += st.delivered;
        total.duplicates += st.duplicates;
        total.skipped += st.skipped;
        total.gapNotices += st.gapNotices;
        total.gapSeqs += st.gapSeqs;
        total.frames += st.frames;
        total.binaryFrames += st.binaryFrames;
        total.wireBytes += st.wireBytes;
        total.jsonBytes += st.jsonBytes;
        total.badFrames += st.badFrames;
        total.errors += st.errors;
        total.otherChannel += st.otherChannel;
        if (lastSeq)
            expected += std::max<std::int64_t>(0, lastPublished - s->subscribedSeq());
        if (!s->connected()) {
            ++disconnected;
            ++closeReasons[s->failure()];
        }
    }
    const std::int64_t lost = expected - std::int64_t(total.delivered);
    const double deliverySpan =
        context.lastDeliveryUs > publishStartReal ? double(context.lastDeliveryUs - publishStartReal) / 1e6 : 0.0;

    KeyValueLine out;
    auto add = [&out](const char *key, const std::string &value) { out.add(key, value); };
    add("clients", std::to_string(options.clients));
    add("channel", options.channel);
    add("rate", options.rate > 0 ? fixed(options.rate, 0) : "max");
    add("window", options.rate > 0 ? "-" : std::to_string(options.window));
    add("duration_s", fixed(publishSeconds, 2));
    add("compression", options.compression ? "deflate" : "none");
    add("published", std::to_string(publisher.published()));
    add("errors", std::to_string(publisher.errors()));
    add("unanswered", std::to_string(publisher.unanswered()));
    add("delivered", std::to_string(total.delivered));
    add("expected", std::to_string(expected));
    add("lost", std::to_string(lost));
    add("duplicates", std::to_string(total.duplicates));
    add("skipped", std::to_string(total.skipped));
    add("gap_noticed", std::to_string(total.gapNotices));
    add("gap_seqs", std::to_string(total.gapSeqs));
    add("disconnected", std::to_string(disconnected));
    add("drained", drained ? "yes" : "no");
    add("publish_per_s", fixed(double(publisher.published()) / publishSeconds, 0));
    add("deliveries_per_s", deliverySpan > 0 ? fixed(double(total.delivered) / deliverySpan, 0) : "0");
    add("p50_ms", ms(latency.quantile(0.50)));
    add("p99_ms", ms(latency.quantile(0.99)));
    add("p999_ms", ms(latency.quantile(0.999)));
    add("max_ms", ms(latency.max()));
    add("frames", std::to_string(total.frames));
    add("binary_frames", std::to_string(total.binaryFrames));
    add("wire_bytes", std::to_string(total.wireBytes));
    add("json_bytes", std::to_string(total.jsonBytes));
    add("bad_frames", std::to_string(total.badFrames));
    add("loadgen_cpu_s", fixed(cpuSeconds, 2));
    add("connect_s", fixed(connectSeconds, 2));
    add("idle", std::to_string(options.idle));
    add("idle_disconnected", std::to_string(idleContext.closedAfterSubscribing));
    out.add("server_cpu_s", server.cpuSeconds() >= 0, server.cpuSeconds(), 2);
    out.add("server_rss_peak_kb", server.rssPeakKb() >= 0, double(server.rssPeakKb()), 0);
    out.add("server_runq_wait_s", server.runQueueWaitSeconds() >= 0, server.runQueueWaitSeconds(), 2);
    out.add("loadgen_runq_wait_s", waitBefore >= 0 && waitAfter >= 0, std::max(0.0, waitAfter - waitBefore), 2);
    out.add("steal_s", stealBefore >= 0 && stealAfter >= 0, std::max(0.0, stealAfter - stealBefore), 2);
    std::printf("%s\n", out.text().c_str());
    std::fflush(stdout);

    if (!publisher.firstError().empty())
        std::fprintf(stderr, "quantpush-loadgen: first publish error: %s\n", publisher.firstError().c_str());
    const bool publisherLost = publisher.closed();
    if (publisherLost)
        std::fprintf(stderr, "quantpush-loadgen: publisher connection lost: %s\n", publisher.failure().c_str());
    for (const auto &[reason, count] : closeReasons)
        std::fprintf(stderr, "quantpush-loadgen: %d subscriber(s) disconnected: %s\n", count, reason.c_str());
    if (!drained)
        std::fprintf(stderr,
                     "quantpush-loadgen: not drained after --drain %.1f s: messages still on their way count as lost\n",
                     options.drainSec);
    if (latency.negatives() > 0)
        std::fprintf(stderr, "quantpush-loadgen: %llu message(s) stamped after they arrived (clock trouble?)\n",
                     static_cast<unsigned long long>(latency.negatives()));

    // Close politely, briefly: the server should see closes, not resets.
    publisher.close();
    group.closeAll(1000000);
    idle.closeAll(1000000);
    // Loss is a result, printed above; a publisher gone mid-run, or one whose
    // every publish failed (say, a key without the admin role), is a failure.
    if (publisher.published() == 0) {
        std::fprintf(stderr, "quantpush-loadgen: no publish succeeded\n");
        return 1;
    }
    return publisherLost ? 1 : 0;
}
