#include "WsFrameParser.h"

#include <QtCore/QStringDecoder>

#include <algorithm>
#include <optional>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

constexpr quint64 MaxUpfrontReserve = 16 * 1024;

bool isControl(WsFrameParser::Opcode opcode)
{
    return (quint8(opcode) & 0x8) != 0;
}

// Decodes UTF-8 strictly: nullopt when the bytes are not valid UTF-8.
// A leading BOM is kept as U+FEFF (it is text the peer sent).
std::optional<QString> strictUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

bool WsFrameParser::isValidCloseCode(int code)
{
    // 1004-1006 and 1015 are reserved and must never be sent; 1016-2999
    // are unassigned; 3000-4999 belong to libraries and applications.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

bool WsFrameParser::fail(int code, const QString &reason, const Sink &sink)
{
    m_finished = true;
    m_message = QByteArray();
    m_control = QByteArray();
    m_headerFill = 0;
    Event event;
    event.kind = Event::Kind::Error;
    event.closeCode = code;
    event.reason = reason;
    sink(std::move(event));
    return false;
}

void WsFrameParser::unmaskInto(QByteArray &target, const char *data, qsizetype size)
{
    const qsizetype start = target.size();
    target.resize(start + size);
    char *out = target.data() + start;
    for (qsizetype i = 0; i < size; ++i) {
        out[i] = char(quint8(data[i]) ^ m_mask[m_maskOffset]);
        m_maskOffset = (m_maskOffset + 1) & 3;
    }
}

bool WsFrameParser::startFrame(const Sink &sink)
{
    const quint8 first = m_header[0];
    const quint8 second = m_header[1];
    m_fin = (first & 0x80) != 0;
    m_opcode = Opcode(first & 0x0F);
    if ((first & 0x70) != 0)
        return fail(1002, u"reserved bits set without an extension"_s, sink);
    switch (m_opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        break;
    default:
        return fail(1002, u"unknown opcode %1"_s.arg(int(m_opcode)), sink);
    }
    if ((second & 0x80) == 0)
        return fail(1002, u"client frame not masked"_s, sink);
    quint64 length = second & 0x7F;
    int at = 2;
    if (length == 126) {
        length = (quint64(m_header[2]) << 8) | m_header[3];
        at = 4;
    } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | m_header[2 + i];
        at = 10;
        if (length >> 63)
            return fail(1002, u"frame length has its top bit set"_s, sink);
    }
    std::copy_n(m_header.begin() + at, 4, m_mask.begin());
    m_maskOffset = 0;
    m_remaining = length;
    if (isControl(m_opcode)) {
        if (!m_fin)
            return fail(1002, u"fragmented control frame"_s, sink);
        if (length > 125)
            return fail(1002, u"control frame over 125 bytes"_s, sink);
    } else if (m_opcode == Opcode::Continuation) {
        if (!m_inMessage)
            return fail(1002, u"continuation frame without a message"_s, sink);
        if (++m_messageFrames > MaxFramesPerMessage)
            return fail(1009, u"message in more than %1 frames"_s.arg(MaxFramesPerMessage), sink);
    } else if (m_inMessage) {
        return fail(1002, u"new message inside a fragmented one"_s, sink);
    }
    if (!isControl(m_opcode)) {
        // Checked against the declared length before any of it is buffered.
        if (length > m_maxMessageSize || quint64(m_message.size()) + length > m_maxMessageSize)
            return fail(1009, u"message over %1 bytes"_s.arg(m_maxMessageSize), sink);
        if (m_opcode != Opcode::Continuation) {
            m_inMessage = true;
            m_messageOpcode = m_opcode;
            m_messageFrames = 1;
        }
        // Reserve a single frame's declared size at once, not more: a peer
        // announcing a large message in many small frames grows it as sent.
        // Capped: a declared length costs nothing to send, so a peer that
        // announces megabytes and sends a trickle holds only what it sent.
        if (m_fin && m_message.isEmpty() && length > 0)
            m_message.reserve(qsizetype(std::min<quint64>(length, MaxUpfrontReserve)));
    }
    m_inPayload = true;
    return true;
}

bool WsFrameParser::finishFrame(const Sink &sink)
{
    m_inPayload = false;
    m_headerFill = 0;
    Event event;
    switch (m_opcode) {
    case Opcode::Ping:
        event.kind = Event::Kind::Ping;
        event.payload = std::exchange(m_control, QByteArray());
        return sink(std::move(event));
    case Opcode::Pong:
        event.kind = Event::Kind::Pong;
        event.payload = std::exchange(m_control, QByteArray());
        return sink(std::move(event));
    case Opcode::Close: {
        const QByteArray body = std::exchange(m_control, QByteArray());
        if (body.size() == 1)
            return fail(1002, u"close frame with a one-byte body"_s, sink);
        event.kind = Event::Kind::Close;
        if (body.size() >= 2) {
            event.closeCode = (quint8(body[0]) << 8) | quint8(body[1]);
            if (!isValidCloseCode(event.closeCode))
                return fail(1002, u"invalid close code %1"_s.arg(event.closeCode), sink);
            const std::optional<QString> reason = strictUtf8(body.mid(2));
            if (!reason)
                return fail(1007, u"close reason is not UTF-8"_s, sink);
            event.reason = *reason;
        }
        m_finished = true;
        m_message = QByteArray();
        sink(std::move(event));
        return false;
    }
    default:
        break;
    }
    if (!m_fin)
        return true; // more fragments follow
    m_inMessage = false;
    QByteArray message = std::exchange(m_message, QByteArray());
    if (m_messageOpcode == Opcode::Text) {
        std::optional<QString> text = strictUtf8(message);
        if (!text)
            return fail(1007, u"text message is not UTF-8"_s, sink);
        event.kind = Event::Kind::Text;
        event.text = std::move(*text);
    } else {
        event.kind = Event::Kind::Binary;
        event.payload = std::move(message);
    }
    return sink(std::move(event));
}

bool WsFrameParser::feed(const char *data, qsizetype size, const Sink &sink)
{
    while (size > 0 && !m_finished) {
        if (!m_inPayload) {
            // Two bytes tell how long the header is: 2 + 0/2/8 + 4 (mask).
            const auto need = [this]() -> int {
                if (m_headerFill < 2)
                    return 2;
                const quint8 len = m_header[1] & 0x7F;
                const int extended = len == 126 ? 2 : len == 127 ? 8 : 0;
                return 2 + extended + ((m_header[1] & 0x80) ? 4 : 0);
            };
            int wanted = need();
            while (m_headerFill < wanted && size > 0) {
                m_header[m_headerFill++] = quint8(*data++);
                --size;
                if (m_headerFill == 2) {
                    wanted = need();
                    // Unmasked: refuse now rather than read a header for it.
                    if ((m_header[1] & 0x80) == 0)
                        wanted = 2;
                }
            }
            if (m_headerFill < wanted)
                return true;
            if (!startFrame(sink))
                return false;
            if (m_remaining == 0) {
                if (!finishFrame(sink))
                    return false;
                continue;
            }
        }
        const qsizetype take = qsizetype(std::min<quint64>(m_remaining, quint64(size)));
        unmaskInto(isControl(m_opcode) ? m_control : m_message, data, take);
        data += take;
        size -= take;
        m_remaining -= quint64(take);
        if (m_remaining == 0 && !finishFrame(sink))
            return false;
    }
    return !m_finished;
}

} // namespace QuantPush
