#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

struct libdeflate_decompressor;

namespace QuantPush {

// Inflates the binary frames a QuantPush server sends to a connection that
// asked for ?compression=deflate: each one raw DEFLATE (RFC 1951) of one JSON
// text frame, no header, no context shared between frames (PROTOCOL.md,
// "Compression").
class FrameInflater
{
public:
    // A frame inflating to more than maxBytes is refused rather than
    // allocated (a hostile or broken peer's "deflate bomb").
    explicit FrameInflater(qsizetype maxBytes = qsizetype(64) << 20);
    ~FrameInflater();
    FrameInflater(const FrameInflater &) = delete;
    FrameInflater &operator=(const FrameInflater &) = delete;

    // The JSON text, or nothing when `data` is not one complete raw DEFLATE
    // stream or inflates past maxBytes.
    std::optional<QByteArray> inflate(QByteArrayView data);

private:
    libdeflate_decompressor *m_decompressor;
    qsizetype m_maxBytes;
    // Reused between frames: a fresh oversized buffer per frame made malloc
    // grow and trim the heap for every frame (page faults and TLB shootdowns
    // were a third of a 1,000-subscriber load generator's time).
    QByteArray m_scratch;
};

} // namespace QuantPush
