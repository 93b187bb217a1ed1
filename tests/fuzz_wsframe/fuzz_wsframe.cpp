// Fuzz target for the server's WebSocket frame parser (server/ws): the
// input's first byte picks how the rest is split into TCP-sized pieces, the
// second the maximum message size. Invariants: the parser never holds more
// than a message, a control frame and a header; after a close or an error it
// reports nothing more; every error carries a close code the server may send.
#include "ws/WsFrameParser.h"

#include <cstdint>
#include <cstdlib>

using namespace QuantPush;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 2)
        return 0;
    const std::size_t piece = std::size_t(bytes[0] % 32) + 1;
    const quint64 maxMessage = quint64(bytes[1]) * 16 + 1;
    const char *data = reinterpret_cast<const char *>(bytes + 2);
    const std::size_t length = size - 2;

    WsFrameParser parser(maxMessage);
    bool ended = false;
    const WsFrameParser::Sink sink = [&](WsFrameParser::Event &&event) {
        require(!ended);
        using Kind = WsFrameParser::Event::Kind;
        switch (event.kind) {
        case Kind::Text:
            require(quint64(event.text.toUtf8().size()) <= maxMessage);
            break;
        case Kind::Binary:
            require(quint64(event.payload.size()) <= maxMessage);
            break;
        case Kind::Ping:
        case Kind::Pong:
            require(event.payload.size() <= 125);
            break;
        case Kind::Close:
            require(event.closeCode == 1005 || WsFrameParser::isValidCloseCode(event.closeCode));
            ended = true;
            break;
        case Kind::Error:
            require(event.closeCode == 1002 || event.closeCode == 1007 || event.closeCode == 1009);
            require(!event.reason.isEmpty());
            ended = true;
            break;
        }
        return true;
    };
    for (std::size_t at = 0; at < length; at += piece) {
        const std::size_t n = std::min(piece, length - at);
        parser.feed(data + at, qsizetype(n), sink);
        require(quint64(parser.bufferedBytes()) <= maxMessage + 125 + 14);
        require(parser.isFinished() == ended);
    }
    return 0;
}
