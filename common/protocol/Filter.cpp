#include "Filter.h"

#include "FilterValueIndex.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <array>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr std::array<std::pair<const char16_t *, Filter::Op>, 10> operatorNames {{
    {u"eq", Filter::Op::Eq},   {u"ne", Filter::Op::Ne},   {u"in", Filter::Op::In},
    {u"nin", Filter::Op::Nin}, {u"gt", Filter::Op::Gt},   {u"gte", Filter::Op::Gte},
    {u"lt", Filter::Op::Lt},   {u"lte", Filter::Op::Lte}, {u"prefix", Filter::Op::Prefix},
    {u"exists", Filter::Op::Exists},
}};

std::optional<Filter::Op> operatorFromName(QStringView name)
{
    for (const auto &[wire, op] : operatorNames) {
        if (name == QStringView(wire))
            return op;
    }
    return std::nullopt;
}

bool isScalar(const QJsonValue &value)
{
    return value.isString() || value.isDouble() || value.isBool() || value.isNull();
}

// Fills *error and returns false when the operand cannot serve the operator.
bool operandIsValid(Filter::Op op, const QJsonValue &operand, const QString &field,
                    const FilterLimits &limits, QString *error)
{
    switch (op) {
    case Filter::Op::Eq:
    case Filter::Op::Ne:
        if (isScalar(operand))
            return true;
        *error = u"filter \"%1\": eq/ne need a scalar"_s.arg(field);
        return false;
    case Filter::Op::In:
    case Filter::Op::Nin: {
        if (!operand.isArray()) {
            *error = u"filter \"%1\": in/nin need an array"_s.arg(field);
            return false;
        }
        const QJsonArray values = operand.toArray();
        if (values.size() > limits.maxListSize) {
            *error = u"filter \"%1\": more than %2 values"_s.arg(field).arg(limits.maxListSize);
            return false;
        }
        for (const QJsonValue &value : values) {
            if (!isScalar(value)) {
                *error = u"filter \"%1\": in/nin values must be scalars"_s.arg(field);
                return false;
            }
        }
        return true;
    }
    case Filter::Op::Gt:
    case Filter::Op::Gte:
    case Filter::Op::Lt:
    case Filter::Op::Lte:
        if (operand.isDouble() || operand.isString())
            return true;
        *error = u"filter \"%1\": gt/gte/lt/lte need a number or a string"_s.arg(field);
        return false;
    case Filter::Op::Prefix:
        if (operand.isString())
            return true;
        *error = u"filter \"%1\": prefix needs a string"_s.arg(field);
        return false;
    case Filter::Op::Exists:
        if (operand.isBool())
            return true;
        *error = u"filter \"%1\": exists needs true or false"_s.arg(field);
        return false;
    case Filter::Op::AbsentOrIn:
        break; // never parsed
    }
    return false;
}

std::optional<QStringList> splitPath(const QString &field, QString *error)
{
    const QStringList path = field.split(u'.');
    for (const QString &segment : path) {
        if (segment.isEmpty()) {
            *error = u"filter field \"%1\" has an empty segment"_s.arg(field);
            return std::nullopt;
        }
    }
    return path;
}

std::optional<QJsonValue> lookup(const QJsonObject &data, const QStringList &path)
{
    QJsonObject current = data;
    for (qsizetype i = 0; i < path.size(); ++i) {
        const auto it = current.constFind(path.at(i));
        if (it == current.constEnd())
            return std::nullopt;
        if (i + 1 == path.size())
            return it.value();
        if (!it.value().isObject())
            return std::nullopt;
        current = it.value().toObject();
    }
    return std::nullopt;
}

// <0, 0, >0, or nullopt when the two cannot be ordered (different kinds).
std::optional<int> compare(const QJsonValue &value, const QJsonValue &operand)
{
    if (value.isDouble() && operand.isDouble()) {
        const double a = value.toDouble();
        const double b = operand.toDouble();
        return a < b ? -1 : (a > b ? 1 : 0);
    }
    if (value.isString() && operand.isString())
        return value.toString().compare(operand.toString());
    return std::nullopt;
}

bool anyEqual(const QJsonValue &value, const QJsonArray &candidates)
{
    for (const QJsonValue &candidate : candidates) {
        if (jsonValuesEqual(value, candidate))
            return true;
    }
    return false;
}

} // namespace

bool jsonValuesEqual(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    return a == b;
}

std::optional<Filter> Filter::parse(const QJsonValue &filters, QString *error,
                                    const FilterLimits &limits)
{
    Filter filter;
    if (filters.isUndefined() || filters.isNull())
        return filter;
    if (!filters.isObject()) {
        *error = u"\"filters\" must be an object"_s;
        return std::nullopt;
    }
    filter.m_source = filters.toObject();
    for (auto it = filter.m_source.constBegin(); it != filter.m_source.constEnd(); ++it) {
        const QString field = it.key();
        const std::optional<QStringList> path = splitPath(field, error);
        if (!path)
            return std::nullopt;

        QList<std::pair<Op, QJsonValue>> parts;
        const QJsonValue spec = it.value();
        if (spec.isArray()) {
            parts.append({Op::In, spec});
        } else if (spec.isObject()) {
            const QJsonObject operators = spec.toObject();
            if (operators.isEmpty()) {
                *error = u"filter \"%1\": empty operator object"_s.arg(field);
                return std::nullopt;
            }
            for (auto op = operators.constBegin(); op != operators.constEnd(); ++op) {
                const std::optional<Op> parsed = operatorFromName(op.key());
                if (!parsed) {
                    *error = u"filter \"%1\": unknown operator \"%2\""_s.arg(field, op.key().left(32));
                    return std::nullopt;
                }
                parts.append({*parsed, op.value()});
            }
        } else {
            parts.append({Op::Eq, spec});
        }

        for (const auto &[op, operand] : std::as_const(parts)) {
            if (!operandIsValid(op, operand, field, limits, error))
                return std::nullopt;
            filter.m_conditions.append(makeCondition(*path, op, operand));
            if (filter.m_conditions.size() > limits.maxConditions) {
                *error = u"filter has more than %1 conditions"_s.arg(limits.maxConditions);
                return std::nullopt;
            }
        }
    }
    return filter;
}

QByteArray Filter::fingerprint() const
{
    QByteArray bytes;
    for (const Condition &condition : m_conditions) {
        bytes += condition.path.join(QChar(0x1f)).toUtf8();
        bytes += '\x1e' + QByteArray::number(int(condition.op)) + '\x1e';
        bytes += QJsonDocument(QJsonArray {condition.operand}).toJson(QJsonDocument::Compact);
        bytes += '\x1d';
    }
    return bytes;
}

int Filter::weight() const
{
    int weight = 0;
    for (const Condition &condition : m_conditions)
        weight += 1 + (condition.operand.isArray() ? int(condition.operand.toArray().size()) : 0);
    return weight;
}

Filter Filter::absentOrIn(const QString &field, const QJsonArray &values)
{
    Filter filter;
    filter.m_conditions.append(makeCondition(QStringList {field}, Op::AbsentOrIn, values));
    filter.m_source = QJsonObject {{field, QJsonObject {{u"absent_or_in"_s, values}}}};
    return filter;
}

Filter::Condition Filter::makeCondition(const QStringList &path, Op op, const QJsonValue &operand)
{
    Condition condition {path, op, operand, nullptr};
    const bool list = op == Op::In || op == Op::Nin || op == Op::AbsentOrIn;
    if (list && operand.isArray() && operand.toArray().size() >= FilterValueIndex::MinSize)
        condition.index = std::make_shared<const FilterValueIndex>(operand.toArray());
    return condition;
}

bool Filter::inList(const Condition &condition, const QJsonValue &value)
{
    return condition.index ? condition.index->contains(value) : anyEqual(value, condition.operand.toArray());
}

bool Filter::matches(const QJsonObject &data) const
{
    for (const Condition &condition : m_conditions) {
        if (!holds(condition, data))
            return false;
    }
    return true;
}

bool Filter::holds(const Condition &condition, const QJsonObject &data)
{
    const std::optional<QJsonValue> value = lookup(data, condition.path);
    switch (condition.op) {
    case Op::Exists:
        return value.has_value() == condition.operand.toBool();
    case Op::Ne:
        return !value || !jsonValuesEqual(*value, condition.operand);
    case Op::Nin:
        return !value || !inList(condition, *value);
    case Op::AbsentOrIn:
        return !value || value->isNull() || inList(condition, *value);
    default:
        break;
    }
    if (!value)
        return false;
    switch (condition.op) {
    case Op::Eq: return jsonValuesEqual(*value, condition.operand);
    case Op::In: return inList(condition, *value);
    case Op::Prefix: return value->isString() && value->toString().startsWith(condition.operand.toString());
    case Op::Gt: { const auto c = compare(*value, condition.operand); return c && *c > 0; }
    case Op::Gte: { const auto c = compare(*value, condition.operand); return c && *c >= 0; }
    case Op::Lt: { const auto c = compare(*value, condition.operand); return c && *c < 0; }
    case Op::Lte: { const auto c = compare(*value, condition.operand); return c && *c <= 0; }
    default: return false;
    }
}

} // namespace QuantPush
