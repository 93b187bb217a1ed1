#include "Publisher.h"

#include "JsonScan.h"
#include "Options.h"

#include <cmath>

namespace loadgen {

Publisher::Publisher(Poller &poller, const Endpoint &endpoint, const Options &options)
    : m_options(options),
      m_connection(std::make_unique<WsConnection>(poller, *this, endpoint,
                                                  std::vector<std::string> {"X-API-Key: " + options.apiKey}, 0x5eed)),
      m_padding(std::size_t(options.payloadBytes), 'x')
{
}

Publisher::~Publisher() = default;

bool Publisher::start(std::string *error)
{
    return m_connection->start(error);
}

void Publisher::begin(std::int64_t nowUs)
{
    m_running = true;
    m_startUs = nowUs;
    tick(nowUs);
}

void Publisher::tick(std::int64_t nowUs)
{
    if (!m_running || m_stopped || m_closed)
        return;
    if (m_options.rate <= 0) {
        fillWindow();
        return;
    }
    const auto due = std::uint64_t(std::floor(m_options.rate * double(nowUs - m_startUs) / 1e6));
    if (due <= m_sent)
        return;
    while (m_sent < due)
        sendOne();
    m_connection->flush();
}

void Publisher::fillWindow()
{
    if (unanswered() >= std::uint64_t(m_options.window))
        return;
    while (unanswered() < std::uint64_t(m_options.window))
        sendOne();
    m_connection->flush();
}

void Publisher::sendOne()
{
    ++m_sent;
    std::string frame;
    frame.reserve(m_padding.size() + 200);
    frame += "{\"type\":\"publish\",\"id\":";
    frame += std::to_string(m_sent);
    frame += ",\"data\":{\"type\":\"";
    frame += m_options.channel;
    frame += "\",\"payload\":";
    if (m_options.ticks) {
        frame += m_walk.next();
    } else {
        frame += "{\"n\":" + std::to_string(m_sent) + ",\"pad\":\"";
        frame += m_padding;
        frame += "\"}";
    }
    frame += "}}";
    m_connection->queueText(frame);
}

void Publisher::onMessage(bool binary, std::string_view payload)
{
    if (binary)
        return; // replies are text; the publisher asked for no compression
    JsonMembers members(payload);
    std::string_view key;
    std::string_view value;
    std::string_view type;
    std::string_view data;
    bool hasId = false;
    while (members.next(key, value)) {
        if (json::keyIs(key, "type"))
            type = value;
        else if (json::keyIs(key, "data"))
            data = value;
        else if (json::keyIs(key, "id"))
            hasId = true;
    }
    if (json::stringIs(type, "welcome")) {
        m_ready = true;
    } else if (json::stringIs(type, "published")) {
        ++m_published;
        JsonMembers body(data);
        while (body.next(key, value)) {
            if (json::keyIs(key, "seq")) {
                if (const auto seq = json::toInt(value); seq && (!m_lastSeq || *seq > *m_lastSeq))
                    m_lastSeq = seq;
            }
        }
    } else if (json::stringIs(type, "error")) {
        // Only replies to a publish free a slot; an error without an id
        // (say, an auth problem) is reported, not matched.
        if (hasId)
            ++m_errors;
        if (m_firstError.empty())
            m_firstError = std::string(payload.substr(0, 300));
    }
    if (m_options.rate <= 0 && m_running && !m_stopped)
        fillWindow();
}

void Publisher::onClosed(const std::string &reason)
{
    m_closed = true;
    m_failure = reason;
}

} // namespace loadgen
