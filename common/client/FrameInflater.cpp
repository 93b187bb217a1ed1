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
    // front; JSON market data shrinks 4-8x, so make room for 8x and grow.
    const qsizetype wanted = std::min(m_maxBytes, std::max<qsizetype>(4096, data.size() * 8));
    if (m_scratch.size() < wanted)
        m_scratch.resize(wanted);
    for (;;) {
        std::size_t produced = 0;
        const libdeflate_result result =
            libdeflate_deflate_decompress(m_decompressor, data.data(), std::size_t(data.size()), m_scratch.data(),
                                          std::size_t(m_scratch.size()), &produced);
        if (result == LIBDEFLATE_SUCCESS)
            return QByteArray(m_scratch.constData(), qsizetype(produced));
        if (result != LIBDEFLATE_INSUFFICIENT_SPACE || m_scratch.size() >= m_maxBytes)
            return std::nullopt;
        m_scratch.resize(std::min(m_maxBytes, m_scratch.size() * 4));
    }
}

} // namespace QuantPush
