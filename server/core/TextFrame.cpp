#include "TextFrame.h"

namespace QuantPush {

TextFrame TextFrame::fromUtf8(const QByteArray &payload)
{
    TextFrame frame;
    const quint64 length = quint64(payload.size());
    QByteArray header;
    header.append(char(0x81)); // FIN + text
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
    frame.m_headerSize = header.size();
    frame.m_bytes.reserve(header.size() + payload.size());
    frame.m_bytes.append(header);
    frame.m_bytes.append(payload);
    return frame;
}

} // namespace QuantPush
