#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace loadgen {

// A minimal JSON tokenizer for the few top-level keys the generator needs
// (type, id, seq, ts, data...). It walks one level of an object or array and
// skips every other value whole (nested objects and arrays, strings with
// escapes), so a payload that itself holds a "seq" key is never mistaken for
// the envelope's. Values are returned as views of the input, undecoded.
class JsonMembers
{
public:
    // `object` must start (after whitespace) with '{'.
    explicit JsonMembers(std::string_view object);
    // The next member: `key` is the raw text between the quotes (escapes
    // undecoded, see keyIs), `value` the value's text. False at the end or on
    // malformed input (then failed() is true).
    bool next(std::string_view &key, std::string_view &value);
    bool failed() const { return m_failed; }

    // The same in two steps, for a caller that reads a value itself in the
    // same pass (a batch's items): nextKey stops at the value, whose text
    // runs from valueText(); then either skipValue or consumeValue(length).
    bool nextKey(std::string_view &key);
    std::string_view valueText() const { return m_text.substr(m_pos); }
    bool skipValue(std::string_view &value);
    bool consumeValue(std::size_t length);
    // Once next/nextKey returned false without failure: the object's length.
    std::size_t consumed() const { return m_pos; }

private:
    bool fail();

    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_first = true;
    bool m_failed = false;
    bool m_done = false;
};

class JsonElements
{
public:
    // `array` must start (after whitespace) with '['.
    explicit JsonElements(std::string_view array);
    bool next(std::string_view &value);
    bool failed() const { return m_failed; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_first = true;
    bool m_failed = false;
    bool m_done = false;
};

namespace json {

// Position just after the value starting at `pos` (whitespace skipped
// first), or npos if it is malformed.
std::size_t skipValue(std::string_view text, std::size_t pos);
std::size_t skipWhitespace(std::string_view text, std::size_t pos);
// Raw key (between quotes) equals `plain`, decoding escapes if any.
bool keyIs(std::string_view rawKey, std::string_view plain);
// A string value (with its quotes) equals `plain`.
bool stringIs(std::string_view value, std::string_view plain);
// An integer value (no fraction or exponent); nullopt for anything else.
std::optional<std::int64_t> toInt(std::string_view value);
inline bool isObject(std::string_view value) { return !value.empty() && value.front() == '{'; }
inline bool isArray(std::string_view value) { return !value.empty() && value.front() == '['; }

} // namespace json

} // namespace loadgen
