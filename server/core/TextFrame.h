#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <memory>
#include <mutex>

namespace QuantPush {

class FrameDeflater;

// One complete RFC 6455 binary frame (FIN, opcode 2, no mask) holding the raw
// DEFLATE of a text frame's payload: what a compressed connection receives
// instead (docs/protocol.md, "Compression").
struct DeflatedFrame
{
    QByteArray bytes;
    qsizetype headerSize = 0;
    QByteArrayView payload() const { return QByteArrayView(bytes).sliced(headerSize); }
};

// One complete RFC 6455 text frame as a server sends it (FIN, opcode 1, no
// mask), encoded once and written unchanged to every recipient's socket.
// QWebSocket::sendTextMessage would re-encode the text to UTF-8 and build a
// new frame for each recipient; a fan-out to thousands pays that thousands
// of times (docs/benchmarks.md).
class TextFrame
{
public:
    TextFrame() = default;
    static TextFrame fromUtf8(const QByteArray &payload);

    const QByteArray &bytes() const { return m_bytes; }
    QByteArrayView payload() const { return QByteArrayView(m_bytes).sliced(m_headerSize); }
    bool isEmpty() const { return m_bytes.isEmpty(); }

    // The compressed twin, made on the first call (by whichever compressed
    // recipient writes first) and shared by every copy of this frame: one
    // compression per message or batch however many compressed recipients,
    // and none while nobody compressed receives it. Thread-safe.
    const DeflatedFrame &deflated(const FrameDeflater &deflater) const;

private:
    struct Twin
    {
        std::once_flag once;
        DeflatedFrame frame;
    };

    QByteArray m_bytes;
    qsizetype m_headerSize = 0;
    std::shared_ptr<Twin> m_twin; // made with the frame, so that every copy shares it
};

} // namespace QuantPush
