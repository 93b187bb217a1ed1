#pragma once

#include "ServerProfile.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

namespace QuantPush {

// The command line: --url with --token or --api-key connects straight away;
// --lang overrides the language for this run; --page opens a page.
class ConsoleOptions
{
    Q_DECLARE_TR_FUNCTIONS(QuantPush::ConsoleOptions)

public:
    std::optional<ServerProfile> profile; // set when --url was given
    QString language;                     // "" = settings / system
    QString page;                         // dashboard, composer, connections, inspector, alerts
    QString sendTemplateChannel;          // --send-template CHANNEL
    QString inspectChannel;               // --inspect CHANNEL
    bool helpRequested = false;
    bool versionRequested = false;
    QString helpText;

    static QStringList pages();
    // Reads only --lang, before translations are installed, so the rest of
    // the parsing (and --help) can speak the chosen language.
    static QString languageArgument(const QStringList &arguments);
    static std::optional<ConsoleOptions> parse(const QStringList &arguments, QString *error);
};

} // namespace QuantPush
