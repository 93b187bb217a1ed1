#pragma once

#include "eventloop/EventLoopChoice.h"
#include "config/ServerConfig.h"

#include <QtCore/QStringList>

#include <optional>

namespace QuantPush {

// The command line of quantpush-server, resolved into a config: the file
// (or the embedded defaults), then the flags on top.
struct ServerOptions
{
    ServerConfig config;
    bool demo = false;
    QString configPath;
    // --event-loop; main() installs it before this is parsed (see EventLoopChoice).
    EventLoopKind eventLoop = EventLoopChoice::defaultKind();
    // Set when --demo generated a JWT secret: an admin token for the console.
    QByteArray demoAdminToken;
    // Start-up findings for the log (weak or exposed secrets, plaintext keys).
    QStringList warnings;

    static std::optional<ServerOptions> parse(const QStringList &arguments, QString *error);
};

// Applies --log-level (debug, info, warning, critical) to every quantpush category.
void applyLogLevel(const QString &level);

} // namespace QuantPush
