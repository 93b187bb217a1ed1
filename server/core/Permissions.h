#pragma once

#include "auth/Identity.h"
#include "config/ServerConfig.h"
#include "protocol/Filter.h"

namespace QuantPush {

// What a role (narrowed by its token's claims) may do. Pure functions of the
// config and the identity.
class Permissions
{
public:
    explicit Permissions(const QHash<QString, RoleConfig> &roles) : m_roles(roles) { }

    bool knowsRole(const QString &role) const { return m_roles.contains(role); }
    bool maySubscribe(const Identity &identity, SubscriptionType channel) const;
    bool mayPublish(const Identity &identity) const;
    bool isAdmin(const Identity &identity) const;
    // The accounts an identity may see: its `accounts` claim; none at all
    // when its role has require_accounts and the claim is missing (fail
    // closed); nullopt (every account) otherwise.
    std::optional<QStringList> accountScope(const Identity &identity) const;
    // The data an identity may see on a channel: on every channel, a message
    // whose `data.account` is set only for the accounts in its scope.
    // Empty filter: no restriction.
    Filter authorisationFilter(const Identity &identity, SubscriptionType channel) const;
    // Accounts a client's subscribe filter asks for by name (eq, in, or the
    // array shorthand on `account`) outside the identity's scope: such a
    // subscribe is refused as forbidden rather than silently narrowed.
    QStringList foreignAccounts(const Identity &identity, SubscriptionType channel, const Filter &filter) const;
    // True for an account channel (orders, positions, risk alerts) that the
    // identity's role refuses without an accounts claim (require_accounts).
    bool needsAccountsClaim(const Identity &identity, SubscriptionType channel) const;
    static bool isAccountChannel(SubscriptionType channel);

private:
    const QHash<QString, RoleConfig> &m_roles;
};

} // namespace QuantPush
