#include "TextFrame.h"

#include "FrameDeflater.h"

namespace QuantPush {
namespace {

QByteArray frameHeader(char opcode, quint64 length)
{
    QByteArray header;
    header.append(char(0x80 | opcode)); // FIN + opcode
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

constexpr char TextOpcode = 0x1;
constexpr char BinaryOpcode = 0x2;

} // namespace

TextFrame TextFrame::fromUtf8(const QByteArray &payload)
{
    TextFrame frame;
    const QByteArray header = frameHeader(TextOpcode, quint64(payload.size()));
    frame.m_headerSize = header.size();
    frame.m_bytes.reserve(header.size() + payload.size());
    frame.m_bytes.append(header);
    frame.m_bytes.append(payload);
    frame.m_twin = std::make_shared<Twin>();
    return frame;
}

const DeflatedFrame &TextFrame::deflated(const FrameDeflater &deflater) const
{
    static const DeflatedFrame none;
    if (!m_twin)
        return none;
    std::call_once(m_twin->once, [this, &deflater] {
        const QByteArray deflatedPayload = deflater.deflate(payload());
        const QByteArray header = frameHeader(BinaryOpcode, quint64(deflatedPayload.size()));
        DeflatedFrame &twin = m_twin->frame;
        twin.headerSize = header.size();
        twin.bytes.reserve(header.size() + deflatedPayload.size());
        twin.bytes.append(header);
        twin.bytes.append(deflatedPayload);
    });
    return m_twin->frame;
}

} // namespace QuantPush
