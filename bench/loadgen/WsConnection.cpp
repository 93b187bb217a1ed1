#include "WsConnection.h"

#include "HandshakeKey.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace loadgen {

namespace {

constexpr int OpContinuation = 0x0;
constexpr int OpText = 0x1;
constexpr int OpBinary = 0x2;
constexpr int OpClose = 0x8;
constexpr int OpPing = 0x9;
constexpr int OpPong = 0xA;
constexpr std::size_t MaxMessage = std::size_t(256) << 20; // 256 MiB: far above any push
constexpr std::size_t ReadChunk = 256 * 1024;
constexpr std::size_t MaxHandshake = 16 * 1024;

// One read buffer for every connection: the generator is single-threaded,
// and only the unparsed tail of a read is copied into the connection.
char g_readBuffer[ReadChunk];

// Case-insensitive equality with a lower-case name, without allocating: the
// handshake is parsed once per connection, and connect mode times it.
bool equalsLower(std::string_view text, std::string_view lowerName)
{
    return text.size() == lowerName.size()
        && std::equal(text.begin(), text.end(), lowerName.begin(),
                      [](char a, char b) { return char(std::tolower(static_cast<unsigned char>(a))) == b; });
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

} // namespace

WsConnection::WsConnection(Poller &poller, WsHandler &handler, const Endpoint &endpoint,
                           std::vector<std::string> extraHeaders, unsigned seed)
    : m_poller(poller), m_handler(handler), m_endpoint(endpoint), m_extraHeaders(std::move(extraHeaders)),
      m_key(makeWebSocketKey(seed)), m_rng(0x9E3779B97F4A7C15ull ^ (std::uint64_t(seed) * 0xBF58476D1CE4E5B9ull))
{
}

WsConnection::~WsConnection()
{
    if (m_fd >= 0) {
        m_poller.remove(m_fd);
        ::close(m_fd);
    }
}

bool WsConnection::start(std::string *error)
{
    m_fd = ::socket(m_endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        *error = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    const int one = 1;
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&m_endpoint.address), m_endpoint.addressLength) != 0
        && errno != EINPROGRESS) {
        *error = std::string("connect: ") + std::strerror(errno);
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    m_state = State::Connecting;
    m_wantWrite = true;
    if (!m_poller.add(m_fd, this, EPOLLIN | EPOLLOUT)) {
        *error = std::string("epoll_ctl: ") + std::strerror(errno);
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    return true;
}

void WsConnection::onEvents(std::uint32_t events)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Connecting) {
        // A failed connect always reports EPOLLERR; a writable socket without
        // it is connected, and the getsockopt is one syscall per connection saved.
        int soError = 0;
        socklen_t length = sizeof soError;
        if ((events & (EPOLLERR | EPOLLHUP)) && getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0
            && soError != 0) {
            fail(std::string("connect: ") + std::strerror(soError));
            return;
        }
        if (events & (EPOLLERR | EPOLLHUP)) {
            fail("connect: the connection was closed before the handshake");
            return;
        }
        if (!(events & EPOLLOUT))
            return;
        m_state = State::Handshaking;
        // Appended piece by piece to the (empty) output buffer: one allocation.
        m_out.reserve(256);
        m_out.append("GET ").append(m_endpoint.url.target).append(" HTTP/1.1\r\nHost: ");
        m_out.append(m_endpoint.url.hostHeader);
        m_out.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: ");
        m_out.append(m_key).append("\r\n");
        for (const std::string &header : m_extraHeaders)
            m_out.append(header).append("\r\n");
        m_out.append("\r\n");
        flush();
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        onReadable();
    if (m_state != State::Closed && (events & EPOLLOUT))
        onWritable();
}

void WsConnection::onWritable()
{
    flush();
}

void WsConnection::flush()
{
    if (m_fd < 0 || m_state == State::Connecting || m_state == State::Closed)
        return;
    while (m_outPos < m_out.size()) {
        const ssize_t n = ::send(m_fd, m_out.data() + m_outPos, m_out.size() - m_outPos, MSG_NOSIGNAL);
        if (n > 0) {
            m_outPos += std::size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0 && errno == EINTR)
            continue;
        fail(std::string("send: ") + std::strerror(errno));
        return;
    }
    if (m_outPos == m_out.size()) {
        m_out.clear();
        m_outPos = 0;
    } else if (m_outPos > (std::size_t(1) << 20)) {
        m_out.erase(0, m_outPos);
        m_outPos = 0;
    }
    updateInterest();
}

void WsConnection::updateInterest()
{
    const bool want = m_outPos < m_out.size();
    if (want == m_wantWrite || m_fd < 0)
        return;
    m_wantWrite = want;
    m_poller.modify(m_fd, this, EPOLLIN | (want ? EPOLLOUT : 0u));
}

void WsConnection::onReadable()
{
    const ssize_t n = ::recv(m_fd, g_readBuffer, ReadChunk, 0);
    if (n == 0) {
        fail(m_closeReason.empty() ? std::string("connection closed by the server without a close frame")
                                   : m_closeReason);
        return;
    }
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        fail(m_closeReason.empty() ? std::string("recv: ") + std::strerror(errno) : m_closeReason);
        return;
    }
    if (m_state == State::Handshaking) {
        m_in.append(g_readBuffer, std::size_t(n));
        if (!parseHandshake())
            return;
        if (m_in.empty())
            return;
    } else if (m_in.empty()) {
        // The common case: frames parsed straight from the shared buffer,
        // only a partial frame at the end is kept.
        const std::size_t used = parseFrames(g_readBuffer, std::size_t(n));
        if (used != std::string_view::npos && m_state != State::Closed)
            m_in.assign(g_readBuffer + used, std::size_t(n) - used);
        return;
    } else {
        m_in.append(g_readBuffer, std::size_t(n));
    }
    const std::size_t used = parseFrames(m_in.data(), m_in.size());
    if (used != std::string_view::npos && m_state != State::Closed)
        m_in.erase(0, used);
}

bool WsConnection::parseHandshake()
{
    const std::size_t end = m_in.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (m_in.size() > MaxHandshake)
            fail("handshake response over 16 KiB");
        return false;
    }
    const std::string_view head(m_in.data(), end + 2);
    const std::size_t lineEnd = head.find("\r\n");
    const std::string_view status = head.substr(0, lineEnd);
    if (status.size() < 12 || status.substr(0, 5) != "HTTP/" || status.substr(9, 3) != "101") {
        fail("handshake refused: " + std::string(status));
        return false;
    }
    std::string_view accept;
    bool upgrade = false;
    for (std::size_t pos = lineEnd + 2; pos < head.size();) {
        const std::size_t next = head.find("\r\n", pos);
        const std::string_view line = head.substr(pos, next - pos);
        pos = next + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (equalsLower(name, "sec-websocket-accept"))
            accept = value;
        else if (equalsLower(name, "upgrade"))
            upgrade = equalsLower(value, "websocket");
        else if (equalsLower(name, "sec-websocket-extensions"))
            return fail("server chose extensions that were not offered: " + std::string(value)), false;
    }
    if (!upgrade || accept != expectedAccept(m_key)) {
        fail("bad handshake response (Upgrade or Sec-WebSocket-Accept)");
        return false;
    }
    m_in.erase(0, end + 4);
    m_state = State::Open;
    m_handler.onOpen();
    return m_state == State::Open;
}

std::size_t WsConnection::parseFrames(const char *data, std::size_t size)
{
    std::size_t pos = 0;
    while (m_state != State::Closed && size - pos >= 2) {
        const auto *p = reinterpret_cast<const unsigned char *>(data + pos);
        const bool fin = p[0] & 0x80;
        const int opcode = p[0] & 0x0f;
        const bool masked = p[1] & 0x80;
        std::uint64_t length = p[1] & 0x7f;
        std::size_t header = 2;
        if (p[0] & 0x70)
            return fail("frame with RSV bits set, but no extension was negotiated"), std::string_view::npos;
        if (masked)
            return fail("masked frame from the server (RFC 6455 5.1)"), std::string_view::npos;
        if (length == 126) {
            if (size - pos < 4)
                break;
            length = std::uint64_t(p[2]) << 8 | p[3];
            header = 4;
        } else if (length == 127) {
            if (size - pos < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = length << 8 | p[2 + i];
            header = 10;
        }
        if (length > MaxMessage)
            return fail("frame of " + std::to_string(length) + " bytes"), std::string_view::npos;
        if (size - pos - header < length)
            break;
        if (!handleFrame(fin, opcode, std::string_view(data + pos + header, std::size_t(length))))
            return std::string_view::npos;
        pos += header + std::size_t(length);
    }
    return pos;
}

bool WsConnection::handleFrame(bool fin, int opcode, std::string_view payload)
{
    if (opcode >= 0x8) {
        if (!fin || payload.size() > 125)
            return fail("fragmented or oversized control frame"), false;
        if (opcode == OpPing) {
            queueFrame(OpPong, payload);
            flush();
        } else if (opcode == OpClose) {
            const int code = payload.size() >= 2 ? (std::uint8_t(payload[0]) << 8 | std::uint8_t(payload[1])) : 1005;
            m_closeReason = "closed by the server with code " + std::to_string(code);
            if (payload.size() > 2)
                m_closeReason += " (" + std::string(payload.substr(2)) + ")";
            if (!m_closeSent) {
                queueFrame(OpClose, payload.substr(0, std::min<std::size_t>(payload.size(), 2)));
                m_closeSent = true;
                flush();
            }
            m_state = State::Closing;
            ::shutdown(m_fd, SHUT_WR);
        } else if (opcode != OpPong) {
            return fail("unknown control opcode " + std::to_string(opcode)), false;
        }
        return true;
    }
    if (opcode == OpText || opcode == OpBinary) {
        if (m_messageOpcode != 0)
            return fail("new data frame inside a fragmented message"), false;
        if (fin) {
            m_handler.onMessage(opcode == OpBinary, payload);
            return m_state != State::Closed;
        }
        m_messageOpcode = opcode;
        m_message.assign(payload);
        return true;
    }
    if (opcode == OpContinuation) {
        if (m_messageOpcode == 0)
            return fail("continuation frame without a message"), false;
        if (m_message.size() + payload.size() > MaxMessage)
            return fail("fragmented message over 256 MiB"), false;
        m_message.append(payload);
        if (fin) {
            const bool binary = m_messageOpcode == OpBinary;
            m_messageOpcode = 0;
            std::string message;
            message.swap(m_message);
            m_handler.onMessage(binary, message);
        }
        return m_state != State::Closed;
    }
    return fail("reserved opcode " + std::to_string(opcode)), false;
}

void WsConnection::queueFrame(int opcode, std::string_view payload)
{
    unsigned char header[14];
    std::size_t length = 0;
    header[length++] = std::uint8_t(0x80 | opcode);
    if (payload.size() < 126) {
        header[length++] = std::uint8_t(0x80 | payload.size());
    } else if (payload.size() <= 0xffff) {
        header[length++] = 0x80 | 126;
        header[length++] = std::uint8_t(payload.size() >> 8);
        header[length++] = std::uint8_t(payload.size());
    } else {
        header[length++] = 0x80 | 127;
        for (int i = 7; i >= 0; --i)
            header[length++] = std::uint8_t(std::uint64_t(payload.size()) >> (i * 8));
    }
    // xorshift64*: masks need not be cryptographic here, only present and varied.
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    const std::uint32_t mask = std::uint32_t((m_rng * 0x2545F4914F6CDD1Dull) >> 32);
    unsigned char maskBytes[4] = {std::uint8_t(mask >> 24), std::uint8_t(mask >> 16), std::uint8_t(mask >> 8),
                                  std::uint8_t(mask)};
    std::memcpy(header + length, maskBytes, 4);
    length += 4;
    m_out.append(reinterpret_cast<const char *>(header), length);
    const std::size_t start = m_out.size();
    m_out.append(payload);
    char *out = m_out.data() + start;
    for (std::size_t i = 0; i < payload.size(); ++i)
        out[i] = char(out[i] ^ maskBytes[i & 3]);
}

void WsConnection::queueText(std::string_view text)
{
    if (m_state == State::Open)
        queueFrame(OpText, text);
}

void WsConnection::close()
{
    if (m_state != State::Open || m_closeSent)
        return;
    const char code[2] = {char(0x03), char(0xE8)}; // 1000
    queueFrame(OpClose, std::string_view(code, 2));
    m_closeSent = true;
    m_state = State::Closing;
    flush();
}

void WsConnection::fail(const std::string &reason)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_fd >= 0) {
        m_poller.remove(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    m_handler.onClosed(reason);
}

} // namespace loadgen
