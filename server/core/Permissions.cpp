#include "Permissions.h"

#include "protocol/JsonKeys.h"

#include <QtCore/QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

bool Permissions::maySubscribe(const Identity &identity, SubscriptionType channel) const
{
    const auto role = m_roles.constFind(identity.role);
    if (role == m_roles.constEnd())
        return false;
    const QString name = wireName(channel);
    const bool roleAllows = role->channels.contains(u"*"_s) || role->channels.contains(name);
    const bool claimAllows = !identity.channels || identity.channels->contains(name);
    return roleAllows && claimAllows;
}

bool Permissions::mayPublish(const Identity &identity) const
{
    const auto role = m_roles.constFind(identity.role);
    return role != m_roles.constEnd() && (role->publish || role->admin);
}

bool Permissions::isAdmin(const Identity &identity) const
{
    const auto role = m_roles.constFind(identity.role);
    return role != m_roles.constEnd() && role->admin;
}

QStringList Permissions::foreignAccounts(const Identity &identity, SubscriptionType channel, const Filter &filter) const
{
    const bool accountScoped = channel == SubscriptionType::OrderUpdates || channel == SubscriptionType::PositionUpdates;
    if (!accountScoped || !identity.accounts)
        return {};
    QStringList foreign;
    for (const Filter::Condition &condition : filter.conditions()) {
        if (condition.path != QStringList {QString(Key::Account)})
            continue;
        QJsonArray named;
        if (condition.op == Filter::Op::Eq)
            named.append(condition.operand);
        else if (condition.op == Filter::Op::In)
            named = condition.operand.toArray();
        for (const QJsonValue &value : std::as_const(named)) {
            // Accounts are strings: any other value names nothing the claim allows.
            if (!value.isString() || !identity.accounts->contains(value.toString()))
                foreign.append(value.isString() ? value.toString() : value.toVariant().toString());
        }
    }
    return foreign;
}

Filter Permissions::authorisationFilter(const Identity &identity, SubscriptionType channel) const
{
    const bool accountScoped = channel == SubscriptionType::OrderUpdates || channel == SubscriptionType::PositionUpdates;
    if (!accountScoped || !identity.accounts)
        return {};
    QString error;
    const QJsonObject spec {{Key::Account, QJsonObject {{u"in"_s, QJsonArray::fromStringList(*identity.accounts)}}}};
    if (std::optional<Filter> filter = Filter::parse(spec, &error, FilterLimits {1, 1 << 20}))
        return *filter;
    // Fail closed: a restriction we cannot express lets nothing through.
    const QJsonObject nothing {{Key::Account, QJsonObject {{u"in"_s, QJsonArray()}}}};
    return *Filter::parse(nothing, &error);
}

} // namespace QuantPush
