#include "JsonScan.h"

#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace loadgen {

namespace json {

namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr int MaxDepth = 512;

// Position after the string whose opening quote is at `pos`. Inline, not
// memchr: the strings of a push are mostly short keys, where a call costs
// more than it saves; with SSE2, 16 bytes are looked at once, so a short
// string is usually one step. (Control characters inside strings are not
// rejected: this only has to find where the string ends.)
std::size_t skipString(std::string_view text, std::size_t pos)
{
    const char *data = text.data();
    const std::size_t size = text.size();
    std::size_t i = pos + 1;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (i + 16 <= size) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
        const unsigned mask = unsigned(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash))));
        if (mask == 0) {
            i += 16;
            continue;
        }
        i += std::size_t(__builtin_ctz(mask));
        if (data[i] == '"')
            return i + 1;
        i += 2; // a backslash and the character it escapes
    }
#endif
    for (; i < size; ++i) {
        const char c = data[i];
        if (c == '"')
            return i + 1;
        if (c == '\\')
            ++i; // the escaped character, whatever it is (\uXXXX's digits hold no quote)
    }
    return npos;
}

bool isNumberChar(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

std::size_t skipLiteral(std::string_view text, std::size_t pos, std::string_view literal)
{
    return text.compare(pos, literal.size(), literal) == 0 ? pos + literal.size() : npos;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Decodes the escapes of a raw string body to UTF-8; false if malformed.
bool unescape(std::string_view raw, std::string &out)
{
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            out.push_back(raw[i]);
            continue;
        }
        if (++i >= raw.size())
            return false;
        switch (raw[i]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
            if (i + 4 >= raw.size())
                return false;
            unsigned code = 0;
            for (int k = 1; k <= 4; ++k) {
                const int digit = hexValue(raw[i + std::size_t(k)]);
                if (digit < 0)
                    return false;
                code = code * 16 + unsigned(digit);
            }
            i += 4;
            // Keys the generator looks for are ASCII; anything else only
            // has to compare unequal, so surrogates stay undecoded bytes.
            if (code < 0x80) {
                out.push_back(char(code));
            } else if (code < 0x800) {
                out.push_back(char(0xC0 | (code >> 6)));
                out.push_back(char(0x80 | (code & 0x3F)));
            } else {
                out.push_back(char(0xE0 | (code >> 12)));
                out.push_back(char(0x80 | ((code >> 6) & 0x3F)));
                out.push_back(char(0x80 | (code & 0x3F)));
            }
            break;
        }
        default: return false;
        }
    }
    return true;
}

// The state of a walk over nested containers: a stack of the open
// brackets, so that a ']' cannot close a '{', and whether the walk is inside
// a string (whose brackets do not count).
class ContainerWalk
{
public:
    enum Result { More, Done, Malformed };

    // One structural character (quote, backslash, bracket); `escapeNext` is set when
    // the character after it is escaped and must not be looked at.
    Result step(char c, bool &escapeNext)
    {
        if (m_inString) {
            if (c == '"')
                m_inString = false;
            else if (c == '\\')
                escapeNext = true;
            return More;
        }
        switch (c) {
        case '"': m_inString = true; return More;
        case '{':
        case '[':
            if (m_depth == MaxDepth)
                return Malformed;
            m_stack[m_depth++] = c == '{' ? '}' : ']';
            return More;
        case '}':
        case ']':
            if (m_depth == 0 || m_stack[m_depth - 1] != c)
                return Malformed;
            return --m_depth == 0 ? Done : More;
        default: return Malformed; // a backslash outside a string
        }
    }

private:
    char m_stack[MaxDepth];
    int m_depth = 0;
    bool m_inString = false;
};

bool isStructural(char c)
{
    return c == '"' || c == '\\' || c == '{' || c == '}' || c == '[' || c == ']';
}

// Position after the object or array starting at `pos`. This is where the
// generator spends most of its time (skipping every push's payload), so with
// SSE2 it looks at 16 bytes at once and only visits structural characters.
std::size_t skipContainer(std::string_view text, std::size_t pos)
{
    ContainerWalk walk;
    const char *data = text.data();
    const std::size_t size = text.size();
    bool escapeNext = false;
    std::size_t i = pos;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i openBrace = _mm_set1_epi8('{');
    const __m128i closeBrace = _mm_set1_epi8('}');
    const __m128i openBracket = _mm_set1_epi8('[');
    const __m128i closeBracket = _mm_set1_epi8(']');
    for (; i + 16 <= size; i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
        const __m128i hits = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                         _mm_or_si128(_mm_cmpeq_epi8(chunk, openBrace), _mm_cmpeq_epi8(chunk, closeBrace))),
            _mm_or_si128(_mm_cmpeq_epi8(chunk, openBracket), _mm_cmpeq_epi8(chunk, closeBracket)));
        unsigned mask = unsigned(_mm_movemask_epi8(hits));
        if (escapeNext) { // the previous block ended in a backslash
            mask &= ~1u;
            escapeNext = false;
        }
        while (mask != 0) {
            const int bit = __builtin_ctz(mask);
            mask &= mask - 1;
            switch (walk.step(data[i + std::size_t(bit)], escapeNext)) {
            case ContainerWalk::Done: return i + std::size_t(bit) + 1;
            case ContainerWalk::Malformed: return npos;
            case ContainerWalk::More: break;
            }
            if (escapeNext && bit < 15) {
                mask &= ~(1u << (bit + 1));
                escapeNext = false;
            }
        }
    }
#endif
    for (; i < size; ++i) {
        if (escapeNext) {
            escapeNext = false;
            continue;
        }
        if (!isStructural(data[i]))
            continue;
        switch (walk.step(data[i], escapeNext)) {
        case ContainerWalk::Done: return i + 1;
        case ContainerWalk::Malformed: return npos;
        case ContainerWalk::More: break;
        }
    }
    return npos;
}

} // namespace

std::size_t skipWhitespace(std::string_view text, std::size_t pos)
{
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
        ++pos;
    return pos;
}

std::size_t skipValue(std::string_view text, std::size_t pos)
{
    pos = skipWhitespace(text, pos);
    if (pos >= text.size())
        return npos;
    const char first = text[pos];
    if (first == '"')
        return skipString(text, pos);
    if (first == 't')
        return skipLiteral(text, pos, "true");
    if (first == 'f')
        return skipLiteral(text, pos, "false");
    if (first == 'n')
        return skipLiteral(text, pos, "null");
    if (first == '-' || (first >= '0' && first <= '9')) {
        while (pos < text.size() && isNumberChar(text[pos]))
            ++pos;
        return pos;
    }
    if (first != '{' && first != '[')
        return npos;
    return skipContainer(text, pos);
}

bool keyIs(std::string_view rawKey, std::string_view plain)
{
    // Every escape makes the decoded text shorter than the raw, so only a raw
    // key longer than `plain` can need decoding. Keys are short: an inline
    // loop, not a memchr call per comparison (a push frame makes a dozen).
    const auto hasBackslash = [](std::string_view text) {
        for (const char c : text) {
            if (c == '\\')
                return true;
        }
        return false;
    };
    if (rawKey.size() < plain.size())
        return false;
    if (rawKey.size() == plain.size())
        return rawKey == plain && !hasBackslash(rawKey);
    if (!hasBackslash(rawKey))
        return false;
    std::string decoded;
    return unescape(rawKey, decoded) && decoded == plain;
}

bool stringIs(std::string_view value, std::string_view plain)
{
    if (value.size() < 2 || value.front() != '"' || value.back() != '"')
        return false;
    return keyIs(value.substr(1, value.size() - 2), plain);
}

std::optional<std::int64_t> toInt(std::string_view value)
{
    std::size_t i = 0;
    const bool negative = !value.empty() && value[0] == '-';
    if (negative)
        ++i;
    if (i >= value.size())
        return std::nullopt;
    std::int64_t result = 0;
    for (; i < value.size(); ++i) {
        const char c = value[i];
        if (c < '0' || c > '9' || result > (INT64_MAX - 9) / 10)
            return std::nullopt;
        result = result * 10 + (c - '0');
    }
    return negative ? -result : result;
}

} // namespace json

JsonMembers::JsonMembers(std::string_view object) : m_text(object)
{
    m_pos = json::skipWhitespace(m_text, 0);
    if (m_pos >= m_text.size() || m_text[m_pos] != '{')
        m_failed = true;
    else
        ++m_pos;
}

bool JsonMembers::nextKey(std::string_view &key)
{
    if (m_failed || m_done)
        return false;
    m_pos = json::skipWhitespace(m_text, m_pos);
    // `{"a":1,}` fails below: after a comma a key must follow.
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        m_done = true;
        return false;
    }
    if (!m_first) {
        if (m_pos >= m_text.size() || m_text[m_pos] != ',')
            return fail();
        m_pos = json::skipWhitespace(m_text, m_pos + 1);
    }
    m_first = false;
    if (m_pos >= m_text.size() || m_text[m_pos] != '"')
        return fail();
    const std::size_t keyEnd = json::skipValue(m_text, m_pos);
    if (keyEnd == std::string_view::npos)
        return fail();
    key = m_text.substr(m_pos + 1, keyEnd - m_pos - 2);
    m_pos = json::skipWhitespace(m_text, keyEnd);
    if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        return fail();
    m_pos = json::skipWhitespace(m_text, m_pos + 1);
    return true;
}

bool JsonMembers::skipValue(std::string_view &value)
{
    const std::size_t valueEnd = json::skipValue(m_text, m_pos);
    if (valueEnd == std::string_view::npos)
        return fail();
    value = m_text.substr(m_pos, valueEnd - m_pos);
    m_pos = valueEnd;
    return true;
}

bool JsonMembers::consumeValue(std::size_t length)
{
    if (length == 0 || length > m_text.size() - m_pos)
        return fail();
    m_pos += length;
    return true;
}

bool JsonMembers::next(std::string_view &key, std::string_view &value)
{
    return nextKey(key) && skipValue(value);
}

bool JsonMembers::fail()
{
    m_failed = true;
    return false;
}

JsonElements::JsonElements(std::string_view array) : m_text(array)
{
    m_pos = json::skipWhitespace(m_text, 0);
    if (m_pos >= m_text.size() || m_text[m_pos] != '[')
        m_failed = true;
    else
        ++m_pos;
}

bool JsonElements::next(std::string_view &value)
{
    if (m_failed || m_done)
        return false;
    m_pos = json::skipWhitespace(m_text, m_pos);
    // "[1,]" fails below: after a comma a value must follow.
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        m_done = true;
        return false;
    }
    if (!m_first) {
        if (m_pos >= m_text.size() || m_text[m_pos] != ',') {
            m_failed = true;
            return false;
        }
        m_pos = json::skipWhitespace(m_text, m_pos + 1);
    }
    m_first = false;
    const std::size_t end = json::skipValue(m_text, m_pos);
    if (end == std::string_view::npos) {
        m_failed = true;
        return false;
    }
    value = m_text.substr(m_pos, end - m_pos);
    m_pos = end;
    return true;
}

} // namespace loadgen
