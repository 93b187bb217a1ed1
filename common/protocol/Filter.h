#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>
#include <optional>

namespace QuantPush {

class FilterValueIndex;

struct FilterLimits
{
    int maxConditions = 32;   // keys plus operators, over the whole filter object
    int maxListSize = 1000;   // operands of in / nin / an array shorthand
};

// A subscription filter (PROTOCOL.md "Filters"): every condition must hold on
// the message's `data`. Parsed once at subscribe time; matching never allocates.
class Filter
{
public:
    // AbsentOrIn is the server's own (authorisation filters), never parsed
    // from a client: the field is absent or null, or one of the operands.
    enum class Op { Eq, Ne, In, Nin, Gt, Gte, Lt, Lte, Prefix, Exists, AbsentOrIn };

    struct Condition
    {
        QStringList path; // "a.b.c" split on dots
        Op op = Op::Eq;
        QJsonValue operand;
        // in / nin / absent-or-in lists of FilterValueIndex::MinSize or
        // more: their operands hashed (shared by copies of the filter).
        std::shared_ptr<const FilterValueIndex> index;
    };

    // An absent or empty filter object matches everything.
    static std::optional<Filter> parse(const QJsonValue &filters, QString *error,
                                       const FilterLimits &limits = {});

    // `field` (a top-level key) absent or null, or equal to one of `values`.
    static Filter absentOrIn(const QString &field, const QJsonArray &values);

    bool matches(const QJsonObject &data) const;
    bool isEmpty() const { return m_conditions.isEmpty(); }
    // The size a filter costs to keep and to match: one per condition plus
    // one per value of an in / nin list (limits.max_filter_values).
    int weight() const;
    const QList<Condition> &conditions() const { return m_conditions; }
    // The conditions as bytes: equal for filters that match alike (routing
    // shares one copy of equal filters and evaluates it once per message).
    QByteArray fingerprint() const;
    QJsonObject source() const { return m_source; }


private:
    static Condition makeCondition(const QStringList &path, Op op, const QJsonValue &operand);
    static bool holds(const Condition &condition, const QJsonObject &data);
    static bool inList(const Condition &condition, const QJsonValue &value);

    QList<Condition> m_conditions;
    QJsonObject m_source;
};

// JSON equality where 1 and 1.0 are the same number.
bool jsonValuesEqual(const QJsonValue &a, const QJsonValue &b);

} // namespace QuantPush
