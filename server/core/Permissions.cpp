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

std::optional<QStringList> Permissions::accountScope(const Identity &identity) const
{
    if (identity.accounts)
        return identity.accounts;
    const auto role = m_roles.constFind(identity.role);
    if (role == m_roles.constEnd() || role->requireAccounts)
        return QStringList(); // fail closed
    return std::nullopt;
}

bool Permissions::isAccountChannel(SubscriptionType channel)
{
    return channel == SubscriptionType::OrderUpdates || channel == SubscriptionType::PositionUpdates
        || channel == SubscriptionType::RiskAlerts;
}

bool Permissions::needsAccountsClaim(const Identity &identity, SubscriptionType channel) const
{
    if (!isAccountChannel(channel) || identity.accounts)
        return false;
    const auto role = m_roles.constFind(identity.role);
    return role == m_roles.constEnd() || role->requireAccounts;
}

QStringList Permissions::foreignAccounts(const Identity &identity, SubscriptionType, const Filter &filter) const
{
    const std::optional<QStringList> scope = accountScope(identity);
    if (!scope)
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
            // Accounts are strings: any other value names nothing the scope allows.
            if (!value.isString() || !scope->contains(value.toString()))
                foreign.append(value.isString() ? value.toString() : value.toVariant().toString());
        }
    }
    return foreign;
}

Filter Permissions::authorisationFilter(const Identity &identity, SubscriptionType channel) const
{
    const std::optional<QStringList> scope = accountScope(identity);
    if (!scope)
        return {};
    const QJsonArray accounts = QJsonArray::fromStringList(*scope);
    // Every channel: account data can travel on any of them (an admin's
    // publish on market_data), so a message with an account is scoped
    // everywhere. On the account channels themselves (orders, positions,
    // risk alerts) a message without a string account is not delivered to
    // a scoped client either: fail closed.
    if (!isAccountChannel(channel))
        return Filter::absentOrIn(QString(Key::Account), accounts);
    QString error;
    const QJsonObject spec {{Key::Account, QJsonObject {{u"in"_s, accounts}}}};
    if (std::optional<Filter> filter = Filter::parse(spec, &error, FilterLimits {1, 1 << 20}))
        return *filter;
    // A restriction we cannot express lets nothing through.
    const QJsonObject nothing {{Key::Account, QJsonObject {{u"in"_s, QJsonArray()}}}};
    return *Filter::parse(nothing, &error);
}

} // namespace QuantPush
