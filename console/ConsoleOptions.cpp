#include "ConsoleOptions.h"

#include "WireNames.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace QuantPush {

QStringList ConsoleOptions::pages()
{
    return {u"dashboard"_s, u"connections"_s, u"statistics"_s, u"composer"_s, u"inspector"_s, u"alerts"_s};
}

QString ConsoleOptions::languageArgument(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == "--lang"_L1 && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (argument.startsWith("--lang="_L1))
            return argument.mid(7);
    }
    return {};
}

std::optional<ConsoleOptions> ConsoleOptions::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("QuantPush admin console: live statistics, connections, broadcasts, "
                                        "message inspector and alerts of a QuantPush server."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, tr("Connect to this server at start, e.g. ws://127.0.0.1:8765/ws."),
                                 tr("url"));
    const QCommandLineOption token(u"token"_s,
                                   tr("Admin JWT for --url (or set QUANTPUSH_TOKEN, which stays out of the "
                                      "process list)."),
                                   tr("jwt"));
    const QCommandLineOption apiKey(u"api-key"_s, tr("Admin API key for --url (or set QUANTPUSH_API_KEY)."),
                                    tr("key"));
    const QCommandLineOption insecure(u"insecure"_s, tr("Accept self-signed TLS certificates (testing only)."));
    const QCommandLineOption compression(u"compression"_s, tr("Ask for compressed pushes (deflate)."));
    const QCommandLineOption lang(u"lang"_s, tr("User interface language for this run: en or zh_CN."), tr("code"));
    const QCommandLineOption page(u"page"_s, tr("Page to open: %1.").arg(pages().join(u", "_s)), tr("page"));
    const QCommandLineOption sendTemplate(u"send-template"_s,
                                          tr("Once connected, publish the composer's template for this channel "
                                             "(for scripted demonstrations)."),
                                          tr("channel"));
    const QCommandLineOption inspect(u"inspect"_s, tr("Once connected, show this channel in the inspector."),
                                     tr("channel"));
    parser.addOptions({url, token, apiKey, insecure, compression, lang, page, sendTemplate, inspect});

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    ConsoleOptions options;
    options.helpRequested = parser.isSet(help);
    options.versionRequested = parser.isSet(version);
    options.helpText = parser.helpText();
    options.language = parser.value(lang);
    options.page = parser.value(page);
    options.sendTemplateChannel = parser.value(sendTemplate);
    options.inspectChannel = parser.value(inspect);
    if (!options.page.isEmpty() && !pages().contains(options.page)) {
        *error = tr("Unknown page \"%1\"; use one of: %2.").arg(options.page, pages().join(u", "_s));
        return std::nullopt;
    }
    for (const QString &channel : {options.sendTemplateChannel, options.inspectChannel}) {
        if (!channel.isEmpty() && !Wire::channels().contains(channel)) {
            *error = tr("Unknown channel \"%1\".").arg(channel);
            return std::nullopt;
        }
    }
    if (!parser.isSet(url))
        return options;

    ServerProfile profile;
    profile.url = ServerProfile::normalisedUrl(parser.value(url));
    profile.ignoreSslErrors = parser.isSet(insecure);
    profile.compression = parser.isSet(compression);
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString tokenValue = parser.isSet(token) ? parser.value(token) : environment.value(u"QUANTPUSH_TOKEN"_s);
    const QString keyValue = parser.isSet(apiKey) ? parser.value(apiKey) : environment.value(u"QUANTPUSH_API_KEY"_s);
    if (!tokenValue.isEmpty()) {
        profile.secret = tokenValue.trimmed();
    } else {
        profile.credential = ServerProfile::Credential::ApiKey;
        profile.secret = keyValue.trimmed();
    }
    if (!profile.isValid()) {
        *error = tr("--url must be a ws:// or wss:// URL with a host.");
        return std::nullopt;
    }
    options.profile = profile;
    return options;
}

} // namespace QuantPush
