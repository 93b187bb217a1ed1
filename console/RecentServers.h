#pragma once

#include "ServerProfile.h"

#include <QList>

namespace QuantPush {

// The recent-servers list of the connect dialog, kept in QSettings. A
// secret is written only for a profile whose rememberSecret is set (the
// user ticked the box that says it is stored unencrypted); otherwise only
// the URL and the credential kind are remembered.
class RecentServers
{
public:
    static constexpr int MaxEntries = 10;

    static QList<ServerProfile> load();
    // Moves (or adds) the profile to the top of the list.
    static void remember(const ServerProfile &profile);
    static void forgetSecrets();
};

} // namespace QuantPush
