#pragma once

#include "TickWalk.h"
#include "WsConnection.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace loadgen {

struct Options;

// The admin connection that publishes: at a fixed rate (each 1 ms tick sends
// what is due, rate x elapsed - sent) or, with rate 0, as fast as the server
// answers, keeping at most `window` publishes unanswered.
class Publisher : public WsHandler
{
public:
    Publisher(Poller &poller, const Endpoint &endpoint, const Options &options);
    ~Publisher() override;

    bool start(std::string *error);
    bool ready() const { return m_ready; }
    bool closed() const { return m_closed; }
    const std::string &failure() const { return m_failure; }

    // Starts publishing; `nowUs` is CLOCK_MONOTONIC.
    void begin(std::int64_t nowUs);
    // Sends what is due at `nowUs` (rate mode) or tops the window up.
    void tick(std::int64_t nowUs);
    // No more publishes; replies still count.
    void stop() { m_stopped = true; }
    void close() { m_connection->close(); }

    std::uint64_t sent() const { return m_sent; }
    std::uint64_t published() const { return m_published; }
    std::uint64_t errors() const { return m_errors; }
    std::uint64_t unanswered() const { return m_sent - m_published - m_errors; }
    const std::string &firstError() const { return m_firstError; }
    // The highest seq a `published` reply named; nullopt before any.
    std::optional<std::int64_t> lastSeq() const { return m_lastSeq; }

    void onOpen() override {}
    void onMessage(bool binary, std::string_view payload) override;
    void onClosed(const std::string &reason) override;

private:
    void sendOne();
    void fillWindow();

    const Options &m_options;
    std::unique_ptr<WsConnection> m_connection;
    TickWalk m_walk;
    std::string m_padding;
    bool m_ready = false;
    bool m_closed = false;
    bool m_running = false;
    bool m_stopped = false;
    std::string m_failure;
    std::int64_t m_startUs = 0;
    std::uint64_t m_sent = 0;
    std::uint64_t m_published = 0;
    std::uint64_t m_errors = 0;
    std::string m_firstError;
    std::optional<std::int64_t> m_lastSeq;
};

} // namespace loadgen
