#include "Inflater.h"

#include <libdeflate.h>

#include <cstdio>
#include <cstdlib>

namespace loadgen {

namespace {
constexpr std::size_t MaxInflated = std::size_t(256) << 20;
}

Inflater::Inflater() : m_decompressor(libdeflate_alloc_decompressor()), m_buffer(64 * 1024, '\0')
{
    if (!m_decompressor) {
        std::fputs("quantpush-loadgen: libdeflate_alloc_decompressor failed\n", stderr);
        std::exit(2);
    }
}

Inflater::~Inflater()
{
    libdeflate_free_decompressor(m_decompressor);
}

std::optional<std::string_view> Inflater::inflate(std::string_view compressed)
{
    for (;;) {
        std::size_t actual = 0;
        const libdeflate_result result = libdeflate_deflate_decompress(
            m_decompressor, compressed.data(), compressed.size(), m_buffer.data(), m_buffer.size(), &actual);
        if (result == LIBDEFLATE_SUCCESS)
            return std::string_view(m_buffer.data(), actual);
        if (result != LIBDEFLATE_INSUFFICIENT_SPACE || m_buffer.size() >= MaxInflated)
            return std::nullopt;
        m_buffer.resize(m_buffer.size() * 2);
    }
}

} // namespace loadgen
