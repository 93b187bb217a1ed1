#include "TextFrame.h"

#include "FrameDeflater.h"
#include "ws/WsFrameHeader.h"

namespace QuantPush {
TextFrame TextFrame::fromUtf8(const QByteArray &payload)
{
    TextFrame frame;
    const QByteArray header = wsServerFrameHeader(WsOpcode::Text, quint64(payload.size()));
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
        const QByteArray header = wsServerFrameHeader(WsOpcode::Binary, quint64(deflatedPayload.size()));
        DeflatedFrame &twin = m_twin->frame;
        twin.headerSize = header.size();
        twin.bytes.reserve(header.size() + deflatedPayload.size());
        twin.bytes.append(header);
        twin.bytes.append(deflatedPayload);
    });
    return m_twin->frame;
}

} // namespace QuantPush
