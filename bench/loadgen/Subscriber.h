#pragma once

#include "WsConnection.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

class Inflater;
class LatencyHistogram;

// What every subscriber of a group shares: the channel, one latency
// histogram, one inflater (the generator is single-threaded), the moment the
// latest delivery arrived, and counters the subscribers keep up to date as
// their phase changes, so that waiting for N of them to subscribe costs
// O(events) per wake, not a scan of all N.
struct SubscriberContext
{
    std::string channel;
    bool compression = false;
    LatencyHistogram *latency = nullptr;
    Inflater *inflater = nullptr;
    std::int64_t lastDeliveryUs = 0; // CLOCK_REALTIME

    std::size_t subscribed = 0; // reached Phase::Subscribed
    std::size_t failed = 0;     // reached Phase::Failed (never subscribed)
    std::size_t live = 0;       // connections started and not yet closed
    std::size_t closedAfterSubscribing = 0;
};

// One subscriber: connects, waits for `welcome`, subscribes to the channel,
// then accounts for every push of that channel, alone or in a batch.
class Subscriber : public WsHandler
{
public:
    enum class Phase { Idle, Connecting, Subscribing, Subscribed, Failed };

    struct Stats
    {
        std::uint64_t delivered = 0;   // new seqs, in order or not
        std::uint64_t duplicates = 0;  // seq <= the last one seen
        std::uint64_t skipped = 0;     // seqs jumped over without a gap notice
        std::uint64_t gapNotices = 0;  // `gap` frames
        std::uint64_t gapSeqs = 0;     // seqs those notices named
        std::uint64_t frames = 0;      // data frames after `subscribed`
        std::uint64_t binaryFrames = 0;
        std::uint64_t wireBytes = 0;   // their payload bytes as received
        std::uint64_t jsonBytes = 0;   // the same as JSON text (inflated)
        std::uint64_t badFrames = 0;   // not JSON, not inflatable, or a bad push
        std::uint64_t errors = 0;      // `error` replies after subscribing
        std::uint64_t otherChannel = 0; // pushes of another channel (ignored)
    };

    Subscriber(Poller &poller, const Endpoint &endpoint, SubscriberContext &context, int index,
               const std::string &apiKey);
    ~Subscriber() override;

    bool start(std::string *error);
    void close() { m_connection->close(); }

    Phase phase() const { return m_phase; }
    bool connected() const { return !m_closed; }
    const std::string &failure() const { return m_failure; }
    const Stats &stats() const { return m_stats; }
    std::int64_t subscribedSeq() const { return m_subscribedSeq; }
    // The highest seq delivered or named by a gap notice.
    std::int64_t lastSeq() const { return m_lastSeq; }

    void onOpen() override {}
    void onMessage(bool binary, std::string_view payload) override;
    void onClosed(const std::string &reason) override;

private:
    // The envelope fields of one push, read without decoding its `data`.
    struct PushFields
    {
        std::optional<std::int64_t> seq;
        std::optional<std::int64_t> ts;
        std::string_view channel;
    };

    void handleJson(std::string_view text, std::int64_t nowUs);
    void handleReply(std::string_view type, std::string_view data, std::string_view whole);
    // Reads the push object at the start of `text`; its length, 0 if malformed.
    static std::size_t readPush(std::string_view text, PushFields &fields);
    // Reads a batch's array into m_items; its length, 0 if malformed.
    std::size_t readItems(std::string_view array);
    void account(const PushFields &push, std::int64_t nowUs);
    void fail(const std::string &reason);
    void setPhase(Phase phase);

    SubscriberContext &m_context;
    std::unique_ptr<WsConnection> m_connection;
    int m_index = 0;
    Phase m_phase = Phase::Idle;
    bool m_closed = false;
    std::string m_failure;
    std::int64_t m_subscribedSeq = 0;
    std::int64_t m_lastSeq = 0;
    Stats m_stats;
    std::vector<PushFields> m_items; // reused for every batch
};

} // namespace loadgen
