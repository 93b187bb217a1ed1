#pragma once

#include "Poller.h"
#include "Url.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

// What a connection reports to its owner.
class WsHandler
{
public:
    virtual ~WsHandler() = default;
    virtual void onOpen() = 0;
    // One complete message (continuation frames already joined).
    virtual void onMessage(bool binary, std::string_view payload) = 0;
    // The connection is gone: after a close frame, a reset or a protocol
    // error; `reason` says which. Called once.
    virtual void onClosed(const std::string &reason) = 0;
};

// A client WebSocket (RFC 6455) on a non-blocking socket: connect, the HTTP
// upgrade with Sec-WebSocket-Accept checked, a frame parser for text, binary
// and continuation frames, ping answered with pong, the close handshake.
// Client frames are masked. No extensions are negotiated, so RSV bits are a
// protocol error. Text is not checked for valid UTF-8 (not needed to count).
class WsConnection : public PollTarget
{
public:
    enum class State { Idle, Connecting, Handshaking, Open, Closing, Closed };

    WsConnection(Poller &poller, WsHandler &handler, const Endpoint &endpoint, std::vector<std::string> extraHeaders,
                 unsigned seed);
    ~WsConnection() override;
    WsConnection(const WsConnection &) = delete;
    WsConnection &operator=(const WsConnection &) = delete;

    // Starts the non-blocking connect; false (and `error`) if it failed at once.
    bool start(std::string *error);
    // Appends a masked text frame to the output; flush() writes.
    void queueText(std::string_view text);
    void flush();
    void sendText(std::string_view text)
    {
        queueText(text);
        flush();
    }
    // Starts the close handshake (code 1000).
    void close();
    State state() const { return m_state; }
    std::size_t pendingOutput() const { return m_out.size() - m_outPos; }

    void onEvents(std::uint32_t events) override;

private:
    void onWritable();
    void onReadable();
    bool parseHandshake();
    // Parses whole frames from data; returns the bytes consumed, or npos
    // after a fatal error (the connection is closed then).
    std::size_t parseFrames(const char *data, std::size_t size);
    bool handleFrame(bool fin, int opcode, std::string_view payload);
    void queueFrame(int opcode, std::string_view payload);
    void fail(const std::string &reason);
    void updateInterest();

    Poller &m_poller;
    WsHandler &m_handler;
    const Endpoint &m_endpoint;
    std::vector<std::string> m_extraHeaders;
    std::string m_key;
    std::uint64_t m_rng;
    int m_fd = -1;
    State m_state = State::Idle;
    bool m_wantWrite = false;
    bool m_closeSent = false;
    std::string m_in;       // unparsed input (handshake or a partial frame)
    std::string m_out;      // queued output, written from m_outPos
    std::size_t m_outPos = 0;
    std::string m_message;  // a fragmented message being joined
    int m_messageOpcode = 0; // 0: none in progress
    std::string m_closeReason;
};

} // namespace loadgen
