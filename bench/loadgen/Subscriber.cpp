#include "Subscriber.h"

#include "Clock.h"
#include "Inflater.h"
#include "JsonScan.h"
#include "LatencyHistogram.h"

namespace loadgen {

namespace {

std::vector<std::string> headersFor(const std::string &apiKey)
{
    if (apiKey.empty())
        return {};
    return {"X-API-Key: " + apiKey};
}

} // namespace

Subscriber::Subscriber(Poller &poller, const Endpoint &endpoint, SubscriberContext &context, int index,
                       const std::string &apiKey)
    : m_context(context),
      m_connection(std::make_unique<WsConnection>(poller, *this, endpoint, headersFor(apiKey), unsigned(index) + 1)),
      m_index(index)
{
}

Subscriber::~Subscriber() = default;

bool Subscriber::start(std::string *error)
{
    m_phase = Phase::Connecting;
    if (m_connection->start(error))
        return true;
    fail(*error);
    return false;
}

void Subscriber::fail(const std::string &reason)
{
    if (m_failure.empty())
        m_failure = reason;
    if (m_phase != Phase::Subscribed)
        m_phase = Phase::Failed;
}

void Subscriber::onClosed(const std::string &reason)
{
    m_closed = true;
    fail(reason);
}

void Subscriber::onMessage(bool binary, std::string_view payload)
{
    const std::int64_t now = realtimeUs();
    const bool counted = m_phase == Phase::Subscribed;
    if (counted) {
        ++m_stats.frames;
        m_stats.wireBytes += payload.size();
    }
    if (binary) {
        if (counted)
            ++m_stats.binaryFrames;
        const std::optional<std::string_view> json =
            m_context.inflater ? m_context.inflater->inflate(payload) : std::nullopt;
        if (!json) {
            ++m_stats.badFrames;
            if (m_phase != Phase::Subscribed)
                fail(m_context.inflater ? "undecodable binary frame" : "binary frame without --compression");
            return;
        }
        payload = *json;
    }
    if (counted)
        m_stats.jsonBytes += payload.size();
    handleJson(payload, now);
}

void Subscriber::handleJson(std::string_view text, std::int64_t nowUs)
{
    JsonMembers members(text);
    std::string_view key;
    std::string_view value;
    std::string_view type;
    std::string_view data;
    bool hasSeq = false;
    while (members.next(key, value)) {
        if (json::keyIs(key, "type"))
            type = value;
        else if (json::keyIs(key, "data"))
            data = value;
        else if (json::keyIs(key, "seq"))
            hasSeq = true;
    }
    if (members.failed() || type.empty()) {
        ++m_stats.badFrames;
        return;
    }
    if (m_phase != Phase::Subscribed) {
        handleReply(type, data, text);
        return;
    }
    if (json::stringIs(type, "batch")) {
        JsonElements items(data);
        std::string_view item;
        while (items.next(item))
            handlePush(item, nowUs);
        if (items.failed())
            ++m_stats.badFrames;
    } else if (json::stringIs(type, "gap")) {
        std::optional<std::int64_t> from;
        std::optional<std::int64_t> to;
        JsonMembers range(data);
        while (range.next(key, value)) {
            if (json::keyIs(key, "from"))
                from = json::toInt(value);
            else if (json::keyIs(key, "to"))
                to = json::toInt(value);
        }
        if (!from || !to || *to < *from) {
            ++m_stats.badFrames;
            return;
        }
        ++m_stats.gapNotices;
        m_stats.gapSeqs += std::uint64_t(*to - *from + 1);
        // Seqs the notice names are accounted for (as lost, not delivered):
        // a later push right after them is not an unannounced skip.
        if (*to > m_lastSeq)
            m_lastSeq = *to;
    } else if (json::stringIs(type, "error")) {
        ++m_stats.errors;
    } else if (hasSeq) {
        handlePush(text, nowUs);
    }
    // Anything else (pong, a heartbeat...) is not a push: ignored.
}

void Subscriber::handleReply(std::string_view type, std::string_view data, std::string_view whole)
{
    std::string_view key;
    std::string_view value;
    if (json::stringIs(type, "welcome")) {
        std::string_view compression;
        JsonMembers members(data);
        while (members.next(key, value)) {
            if (json::keyIs(key, "compression"))
                compression = value;
        }
        if (m_context.compression && !json::stringIs(compression, "deflate")) {
            fail("the server did not turn compression on (welcome.data.compression is not \"deflate\")");
            m_connection->close();
            return;
        }
        m_phase = Phase::Subscribing;
        m_connection->sendText("{\"type\":\"subscribe\",\"id\":" + std::to_string(m_index) + ",\"data\":{\"type\":\""
                               + m_context.channel + "\"}}");
    } else if (json::stringIs(type, "subscribed")) {
        JsonMembers members(data);
        std::optional<std::int64_t> seq;
        while (members.next(key, value)) {
            if (json::keyIs(key, "seq"))
                seq = json::toInt(value);
        }
        if (!seq) {
            fail("`subscribed` without data.seq: " + std::string(whole.substr(0, 200)));
            return;
        }
        m_subscribedSeq = *seq;
        m_lastSeq = *seq;
        m_phase = Phase::Subscribed;
    } else if (json::stringIs(type, "error")) {
        fail("error before subscribing: " + std::string(whole.substr(0, 300)));
        m_connection->close();
    }
}

void Subscriber::handlePush(std::string_view item, std::int64_t nowUs)
{
    JsonMembers members(item);
    std::string_view key;
    std::string_view value;
    std::optional<std::int64_t> seq;
    std::optional<std::int64_t> ts;
    std::string_view channel;
    while (members.next(key, value)) {
        if (json::keyIs(key, "seq"))
            seq = json::toInt(value);
        else if (json::keyIs(key, "ts"))
            ts = json::toInt(value);
        else if (json::keyIs(key, "channel"))
            channel = value;
    }
    if (members.failed() || !seq || !ts) {
        ++m_stats.badFrames;
        return;
    }
    if (!channel.empty() && !json::stringIs(channel, m_context.channel)) {
        ++m_stats.otherChannel;
        return;
    }
    if (*seq <= m_lastSeq) {
        ++m_stats.duplicates;
        return;
    }
    if (*seq > m_lastSeq + 1)
        m_stats.skipped += std::uint64_t(*seq - m_lastSeq - 1);
    m_lastSeq = *seq;
    ++m_stats.delivered;
    m_context.latency->record(nowUs - *ts);
    m_context.lastDeliveryUs = nowUs;
}

} // namespace loadgen
