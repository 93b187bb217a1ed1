#include "client/FrameInflater.h"

#include <libdeflate.h>

#include <algorithm>

namespace QuantPush {

FrameInflater::FrameInflater(qsizetype maxBytes)
    : m_decompressor(libdeflate_alloc_decompressor()), m_maxBytes(maxBytes)
{
}

FrameInflater::~FrameInflater()
{
    libdeflate_free_decompressor(m_decompressor);
}

std::optional<QByteArray> FrameInflater::inflate(QByteArrayView data)
{
    if (!m_decompressor || data.isEmpty())
        return std::nullopt;
    // libdeflate inflates whole buffers into a buffer of a size given up
    // front; JSON market data shrinks 4-8x, so start at 8x and grow.
    qsizetype capacity = std::min(m_maxBytes, std::max<qsizetype>(4096, data.size() * 8));
    for (;;) {
        QByteArray out(capacity, Qt::Uninitialized);
        std::size_t produced = 0;
        const libdeflate_result result = libdeflate_deflate_decompress(
            m_decompressor, data.data(), std::size_t(data.size()), out.data(), std::size_t(out.size()), &produced);
        if (result == LIBDEFLATE_SUCCESS) {
            out.truncate(qsizetype(produced));
            return out;
        }
        if (result != LIBDEFLATE_INSUFFICIENT_SPACE || capacity >= m_maxBytes)
            return std::nullopt;
        capacity = std::min(m_maxBytes, capacity * 4);
    }
}

} // namespace QuantPush
