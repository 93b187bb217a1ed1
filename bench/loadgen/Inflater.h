#pragma once

#include <optional>
#include <string>
#include <string_view>

struct libdeflate_decompressor;

namespace loadgen {

// Raw DEFLATE (RFC 1951, no header, no shared context between frames: see
// PROTOCOL.md, "Compression") into a reused buffer that grows as needed.
class Inflater
{
public:
    Inflater();
    ~Inflater();
    Inflater(const Inflater &) = delete;
    Inflater &operator=(const Inflater &) = delete;

    // The inflated bytes (valid until the next call), or nullopt if the data
    // is not a complete raw DEFLATE stream.
    std::optional<std::string_view> inflate(std::string_view compressed);

private:
    libdeflate_decompressor *m_decompressor = nullptr;
    std::string m_buffer;
};

} // namespace loadgen
