#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonValue>

#include <utility>
#include <vector>

namespace QuantPush {

// The operands of a long in / nin list, hashed once at subscribe time, so
// that matching a message against the list is a lookup, not a walk over it.
//
// Why: walking a list builds a QJsonValue (a QString for a string) per
// operand per message. A few hundred connections, each with its 5,000
// distinct filter values (limits.max_filter_values_per_connection), made
// every publish cost over a million comparisons on the broadcaster's thread:
// publishing fell from 2,055/s to 94/s (review, session 26).
//
// 16 bytes per operand: its hash and its place in the list (kept for the
// check that rules out a collision).
class FilterValueIndex
{
public:
    // Lists shorter than this are walked: cheaper than hashing the value.
    static constexpr qsizetype MinSize = 8;

    explicit FilterValueIndex(const QJsonArray &values);

    // Whether `value` equals one of the operands (jsonValuesEqual: 1 == 1.0).
    bool contains(const QJsonValue &value) const;

private:
    static size_t hashOf(const QJsonValue &value);

    QJsonArray m_values;
    std::vector<std::pair<size_t, qsizetype>> m_entries; // sorted by hash
};

} // namespace QuantPush
