#pragma once

#include <QString>
#include <QUrl>

namespace QuantPush {

// Where and how the console connects: what the connect dialog edits, the
// command line fills in, and the recent-servers list remembers.
struct ServerProfile
{
    enum class Credential { Token, ApiKey };

    QUrl url;
    Credential credential = Credential::Token;
    QString secret;              // the JWT or the API key
    bool ignoreSslErrors = false; // self-signed test certificates only
    bool rememberSecret = false;  // the user ticked "store it (unencrypted)"
    bool compression = false;     // ask for compressed pushes (?compression=deflate)

    bool isTls() const;
    bool isValid() const;
    // Same server and credential kind: the key of the recent-servers list.
    bool sameServer(const ServerProfile &other) const;

    // ws <-> wss, keeping host, port and path.
    static QUrl withTls(const QUrl &url, bool tls);
    // Accepts "host:port" and "ws://host:port" alike; adds the /ws path when none is given.
    static QUrl normalisedUrl(const QString &text);
};

} // namespace QuantPush
