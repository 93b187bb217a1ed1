#include "Subscriber.h"

#include "Clock.h"
#include "Inflater.h"
#include "JsonScan.h"
#include "LatencyHistogram.h"

#include <cstdio>

namespace loadgen {

namespace {

// The envelope keys a push is read by. Each member's key is matched once,
// not once per candidate: at 1 M deliveries/s the comparisons were a good
// part of the generator's own CPU.
enum class EnvelopeKey { Other, Type, Data, Seq, Ts, Channel };

EnvelopeKey envelopeKey(std::string_view rawKey)
{
    static constexpr std::pair<std::string_view, EnvelopeKey> Names[] = {
        {"seq", EnvelopeKey::Seq},   {"ts", EnvelopeKey::Ts},           {"type", EnvelopeKey::Type},
        {"data", EnvelopeKey::Data}, {"channel", EnvelopeKey::Channel},
    };
    for (const auto &[name, key] : Names) {
        if (rawKey == name)
            return key;
    }
    // An escaped key (valid JSON, though no server here sends one) is decoded.
    if (rawKey.find('\\') != std::string_view::npos) {
        for (const auto &[name, key] : Names) {
            if (json::keyIs(rawKey, name))
                return key;
        }
    }
    return EnvelopeKey::Other;
}

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
    setPhase(Phase::Connecting);
    if (m_connection->start(error)) {
        ++m_context.live;
        return true;
    }
    m_closed = true;
    fail(*error);
    return false;
}

void Subscriber::setPhase(Phase phase)
{
    if (phase == m_phase)
        return;
    m_phase = phase;
    if (phase == Phase::Subscribed)
        ++m_context.subscribed;
    else if (phase == Phase::Failed)
        ++m_context.failed;
}

void Subscriber::fail(const std::string &reason)
{
    if (m_failure.empty())
        m_failure = reason;
    if (m_phase != Phase::Subscribed)
        setPhase(Phase::Failed);
}

void Subscriber::onClosed(const std::string &reason)
{
    m_closed = true;
    --m_context.live;
    if (m_phase == Phase::Subscribed)
        ++m_context.closedAfterSubscribing;
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

std::size_t Subscriber::readPush(std::string_view text, PushFields &fields)
{
    JsonMembers members(text);
    std::string_view key;
    std::string_view value;
    while (members.next(key, value)) {
        switch (envelopeKey(key)) {
        case EnvelopeKey::Seq: fields.seq = json::toInt(value); break;
        case EnvelopeKey::Ts: fields.ts = json::toInt(value); break;
        case EnvelopeKey::Channel: fields.channel = value; break;
        default: break;
        }
    }
    return members.failed() ? 0 : members.consumed();
}

std::size_t Subscriber::readItems(std::string_view array)
{
    // A batch's items are read in the same pass as the frame, each item's
    // nested `data` skipped once: no second walk over the array.
    std::size_t pos = json::skipWhitespace(array, 1);
    if (pos < array.size() && array[pos] == ']')
        return pos + 1;
    while (pos < array.size()) {
        PushFields fields;
        const std::size_t length = readPush(array.substr(pos), fields);
        if (length == 0)
            return 0;
        m_items.push_back(fields);
        pos = json::skipWhitespace(array, pos + length);
        if (pos >= array.size())
            return 0;
        if (array[pos] == ']')
            return pos + 1;
        if (array[pos] != ',')
            return 0;
        pos = json::skipWhitespace(array, pos + 1);
    }
    return 0;
}

void Subscriber::handleJson(std::string_view text, std::int64_t nowUs)
{
    JsonMembers members(text);
    std::string_view key;
    std::string_view value;
    std::string_view type;
    std::string_view data;
    PushFields top;
    bool items = false;
    m_items.clear();
    while (members.nextKey(key)) {
        const EnvelopeKey which = envelopeKey(key);
        if (m_phase == Phase::Subscribed && which == EnvelopeKey::Data && json::isArray(members.valueText())) {
            const std::size_t length = readItems(members.valueText());
            if (length > 0 && members.consumeValue(length)) {
                items = true;
                continue;
            }
            m_items.clear(); // not an array of pushes: read as a plain value below
        }
        if (!members.skipValue(value))
            break;
        switch (which) {
        case EnvelopeKey::Type: type = value; break;
        case EnvelopeKey::Data: data = value; break;
        case EnvelopeKey::Seq: top.seq = json::toInt(value); break;
        case EnvelopeKey::Ts: top.ts = json::toInt(value); break;
        case EnvelopeKey::Channel: top.channel = value; break;
        case EnvelopeKey::Other: break;
        }
    }
    if (members.failed() || type.empty()) {
        ++m_stats.badFrames;
        return;
    }
    if (m_phase != Phase::Subscribed) {
        handleReply(type, data, text);
        return;
    }
    if (items && json::stringIs(type, "batch")) {
        for (const PushFields &item : m_items)
            account(item, nowUs);
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
    } else if (json::stringIs(type, "batch")) {
        ++m_stats.badFrames; // a batch whose data is not an array
    } else if (top.seq) {
        account(top, nowUs);
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
        setPhase(Phase::Subscribing);
        char request[256];
        const int length = std::snprintf(request, sizeof request,
                                         "{\"type\":\"subscribe\",\"id\":%d,\"data\":{\"type\":\"%s\"}}", m_index,
                                         m_context.channel.c_str());
        if (length < 0 || std::size_t(length) >= sizeof request) {
            fail("subscribe request too long for channel " + m_context.channel);
            m_connection->close();
            return;
        }
        m_connection->sendText(std::string_view(request, std::size_t(length)));
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
        setPhase(Phase::Subscribed);
    } else if (json::stringIs(type, "error")) {
        fail("error before subscribing: " + std::string(whole.substr(0, 300)));
        m_connection->close();
    }
}

void Subscriber::account(const PushFields &push, std::int64_t nowUs)
{
    if (!push.seq || !push.ts) {
        ++m_stats.badFrames;
        return;
    }
    if (!push.channel.empty() && !json::stringIs(push.channel, m_context.channel)) {
        ++m_stats.otherChannel;
        return;
    }
    const std::int64_t seq = *push.seq;
    if (seq <= m_lastSeq) {
        ++m_stats.duplicates;
        return;
    }
    if (seq > m_lastSeq + 1)
        m_stats.skipped += std::uint64_t(seq - m_lastSeq - 1);
    m_lastSeq = seq;
    ++m_stats.delivered;
    m_context.latency->record(nowUs - *push.ts);
    m_context.lastDeliveryUs = nowUs;
}

} // namespace loadgen
