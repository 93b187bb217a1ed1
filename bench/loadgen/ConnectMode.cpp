#include "ConnectMode.h"

#include "Clock.h"
#include "KeyValueLine.h"
#include "LatencyHistogram.h"
#include "Options.h"
#include "Poller.h"
#include "ProcStats.h"
#include "SubscriberGroup.h"
#include "Url.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace loadgen {

int runConnectMode(const Options &options, const std::vector<Endpoint> &endpoints)
{
    Poller poller;
    LatencyHistogram latency; // pushes nobody publishes; never read
    SubscriberContext context {options.channel, false, &latency, nullptr, 0};
    // Every Subscriber and its connection is allocated here, before the clock
    // starts: the timed part allocates only the sockets' buffers.
    SubscriberGroup group(poller, endpoints, context, options.clients, 0, options.subscriberApiKey);

    // Negative: not measured (no --server-pid, or no such process).
    const int pid = options.serverPid;
    const long rssBefore = residentKbOf(pid);
    const double serverCpuBefore = processCpuSecondsOf(pid);
    const double cpuBefore = processCpuSeconds();
    const double serverWaitBefore = runQueueWaitSecondsOf(pid);
    const double waitBefore = runQueueWaitSecondsOf(int(getpid()));
    const double stealBefore = machineStealSeconds();
    const std::int64_t start = monotonicUs();
    const bool settled = group.open(options.concurrency, start + std::int64_t(options.connectTimeoutSec * 1e6), false);
    const std::int64_t end = monotonicUs();
    const double cpu = processCpuSeconds() - cpuBefore;
    const double serverCpuAfter = processCpuSecondsOf(pid);
    const double serverWaitAfter = runQueueWaitSecondsOf(pid);
    const double waitAfter = runQueueWaitSecondsOf(int(getpid()));
    const double stealAfter = machineStealSeconds();

    // All of them stay open (pings answered) while the server settles.
    const std::int64_t settleEnd = monotonicUs() + std::int64_t(options.settleSec * 1e6);
    for (std::int64_t now = monotonicUs(); now < settleEnd; now = monotonicUs())
        poller.wait(int((settleEnd - now + 999) / 1000));
    const long rssAfter = residentKbOf(pid);
    const std::size_t subscribed = group.subscribed();
    // Not settled by --connect-timeout: still connecting, counted as failed.
    const std::size_t failed = group.size() - subscribed;
    const std::size_t stillOpen = context.live;
    const std::size_t dropped = context.closedAfterSubscribing;

    const double seconds = double(end - start) / 1e6;
    KeyValueLine line;
    line.add("mode", "connect");
    line.add("clients", std::to_string(options.clients));
    line.add("subscribed", std::to_string(subscribed));
    line.add("failed", std::to_string(failed));
    line.add("seconds", KeyValueLine::fixed(seconds, 3));
    line.add("connects_per_s", KeyValueLine::fixed(seconds > 0 ? double(subscribed) / seconds : 0.0, 0));
    line.add("server_cpu_s", serverCpuBefore >= 0 && serverCpuAfter >= 0, serverCpuAfter - serverCpuBefore, 2);
    line.add("server_rss_before_kb", rssBefore >= 0, double(rssBefore), 0);
    line.add("server_rss_after_kb", rssAfter >= 0, double(rssAfter), 0);
    line.add("rss_per_conn_KiB", rssBefore >= 0 && rssAfter >= 0 && subscribed > 0,
             double(rssAfter - rssBefore) / double(std::max<std::size_t>(subscribed, 1)), 2);
    line.add("bench_cpu_s", KeyValueLine::fixed(cpu, 2));
    line.add("bench_cpu_us_per_conn", KeyValueLine::fixed(cpu * 1e6 / double(options.clients), 1));
    line.add("concurrency", std::to_string(options.concurrency));
    line.add("open_after_settle", std::to_string(stillOpen));
    line.add("server_runq_wait_s", serverWaitBefore >= 0 && serverWaitAfter >= 0,
             std::max(0.0, serverWaitAfter - serverWaitBefore), 3);
    line.add("bench_runq_wait_s", waitBefore >= 0 && waitAfter >= 0, std::max(0.0, waitAfter - waitBefore), 3);
    line.add("steal_s", stealBefore >= 0 && stealAfter >= 0, std::max(0.0, stealAfter - stealBefore), 2);
    std::printf("%s\n", line.text().c_str());
    std::fflush(stdout);

    if (!settled) {
        std::fprintf(stderr, "quantpush-loadgen: %zu of %d not settled within --connect-timeout %.1f s\n",
                     group.size() - subscribed - group.failed(), options.clients, options.connectTimeoutSec);
    }
    for (const auto &[reason, count] : group.failureReasons())
        std::fprintf(stderr, "quantpush-loadgen: %d client(s) failed before subscribing: %s\n", count, reason.c_str());
    if (dropped > 0)
        std::fprintf(stderr, "quantpush-loadgen: %zu client(s) closed after subscribing, before the RSS reading\n",
                     dropped);
    group.closeAll(2000000);
    // Some failures are a result; none subscribed is a broken run (wrong URL, no server).
    return subscribed > 0 ? 0 : 1;
}

} // namespace loadgen
