#pragma once

#include <QtCore/QByteArray>

namespace QuantPush {

// RFC 6455 opcodes of the frames the server writes.
namespace WsOpcode {
inline constexpr quint8 Text = 0x1;
inline constexpr quint8 Binary = 0x2;
inline constexpr quint8 Close = 0x8;
inline constexpr quint8 Ping = 0x9;
inline constexpr quint8 Pong = 0xA;
} // namespace WsOpcode

// The header of one unmasked server frame with FIN set: opcode, then the
// payload length in the shortest of the three encodings.
inline QByteArray wsServerFrameHeader(quint8 opcode, quint64 length)
{
    QByteArray header;
    header.reserve(10);
    header.append(char(0x80 | opcode));
    if (length < 126) {
        header.append(char(length));
    } else if (length <= 0xFFFF) {
        header.append(char(126));
        header.append(char(length >> 8));
        header.append(char(length & 0xFF));
    } else {
        header.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            header.append(char((length >> shift) & 0xFF));
    }
    return header;
}

} // namespace QuantPush
