#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QUrl>

namespace QuantPush {

class Metrics;

// Raw DEFLATE (RFC 1951: no zlib or gzip header, no context shared between
// frames) of whole push frames, for the connections that asked for
// `?compression=deflate` (docs/protocol.md, "Compression"). A frame is
// compressed once, whoever receives it (TextFrame::deflated); this class only
// says which frames qualify and does the work, with libdeflate, timed into
// the metrics. docs/benchmarks.md has the libdeflate-vs-zlib measurement
// behind the choice of library and level.
class FrameDeflater
{
public:
    // What a connection asked for in its URL (?compression=deflate|none).
    enum class Request { None, Deflate, Unknown };
    static Request requestOf(const QUrl &url, QString *value = nullptr);
    // What it gets: deflate only when asked and `enabled` (the operator's
    // websocket.compression_enabled); an unknown value gets text frames and
    // `refusal`, the bad_request text to send after welcome.
    struct Negotiation
    {
        bool deflate = false;
        QString refusal;
    };
    static Negotiation negotiate(const QUrl &url, bool enabled);

    static constexpr int Level = 6;

    FrameDeflater(qsizetype minBytes, Metrics *metrics);

    // Frames whose JSON text is shorter stay text frames for everyone: a
    // heartbeat-sized push saves a few bytes at most and costs a compression.
    bool qualifies(qsizetype payloadBytes) const { return payloadBytes >= m_minBytes; }
    qsizetype minBytes() const { return m_minBytes; }

    // Thread-safe: each thread keeps its own libdeflate compressor.
    QByteArray deflate(QByteArrayView payload) const;

private:
    qsizetype m_minBytes;
    Metrics *m_metrics;
};

} // namespace QuantPush
