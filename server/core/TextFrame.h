#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

namespace QuantPush {

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

private:
    QByteArray m_bytes;
    qsizetype m_headerSize = 0;
};

} // namespace QuantPush
