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
    // The data an identity may see on a channel: its own accounts on order
    // and position updates. Empty filter: no restriction.
    Filter authorisationFilter(const Identity &identity, SubscriptionType channel) const;
    // Accounts a client's subscribe filter asks for by name (eq, in, or the
    // array shorthand on `account`) outside the identity's accounts claim:
    // such a subscribe is refused as forbidden rather than silently narrowed.
    QStringList foreignAccounts(const Identity &identity, SubscriptionType channel, const Filter &filter) const;

private:
    const QHash<QString, RoleConfig> &m_roles;
};

} // namespace QuantPush
