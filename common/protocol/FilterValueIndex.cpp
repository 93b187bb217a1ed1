#include "FilterValueIndex.h"

#include "Filter.h"

#include <QtCore/QHashFunctions>

#include <algorithm>

namespace QuantPush {

FilterValueIndex::FilterValueIndex(const QJsonArray &values) : m_values(values)
{
    m_entries.reserve(std::size_t(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i)
        m_entries.emplace_back(hashOf(values.at(i)), i);
    std::sort(m_entries.begin(), m_entries.end());
}

size_t FilterValueIndex::hashOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return qHash(value.toString());
    case QJsonValue::Double: {
        // Equal numbers hash alike: 1 and 1.0 are one value, and so are 0 and -0.
        const double number = value.toDouble();
        return qHash(number == 0 ? 0.0 : number);
    }
    case QJsonValue::Bool:
        return value.toBool() ? 1 : 2;
    case QJsonValue::Null:
        return 3;
    default:
        return 4; // arrays and objects: one bucket, told apart by the check below
    }
}

bool FilterValueIndex::contains(const QJsonValue &value) const
{
    const size_t hash = hashOf(value);
    auto it = std::lower_bound(m_entries.cbegin(), m_entries.cend(), std::pair<size_t, qsizetype>(hash, 0));
    for (; it != m_entries.cend() && it->first == hash; ++it) {
        if (jsonValuesEqual(value, m_values.at(it->second)))
            return true;
    }
    return false;
}

} // namespace QuantPush
