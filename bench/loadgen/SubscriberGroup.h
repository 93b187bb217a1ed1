#pragma once

#include "Subscriber.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace loadgen {

// N subscribers of one channel, spread round-robin over the endpoints, and
// the way they are opened: a bounded number of handshakes in flight, progress
// read from the context's counters (each subscriber reports its phase
// changes), so one poll wake costs O(its events) however many are open.
class SubscriberGroup
{
public:
    // `context` must outlive the group and belong to it alone: its counters
    // are the group's progress.
    // Subscriber i is number firstIndex + i (its subscribe id and the seed of
    // its handshake key), so that two groups do not share keys.
    SubscriberGroup(Poller &poller, const std::vector<Endpoint> &endpoints, SubscriberContext &context, int count,
                    int firstIndex, const std::string &apiKey);

    // Starts the subscribers, at most `concurrency` unsettled at a time, and
    // polls until each has subscribed or failed (true), or until deadlineUs
    // (CLOCK_MONOTONIC). With stopOnFailure it returns at the first failure.
    bool open(int concurrency, std::int64_t deadlineUs, bool stopOnFailure);

    // Starts the close handshake on every connection and polls until all are
    // gone or timeoutUs has passed.
    void closeAll(std::int64_t timeoutUs);

    std::size_t size() const { return m_subscribers.size(); }
    std::size_t started() const { return m_started; }
    std::size_t subscribed() const { return m_context.subscribed; }
    std::size_t failed() const { return m_context.failed; }
    const std::vector<std::unique_ptr<Subscriber>> &members() const { return m_subscribers; }
    // The failure of the first subscriber that failed ("" if none).
    std::string firstFailure() const;
    // Why subscribers failed before subscribing, with how many each.
    std::map<std::string, int> failureReasons() const;

private:
    Poller &m_poller;
    SubscriberContext &m_context;
    std::vector<std::unique_ptr<Subscriber>> m_subscribers;
    std::size_t m_started = 0;
};

} // namespace loadgen
