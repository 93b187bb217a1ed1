#include "ServerProfile.h"

using namespace Qt::StringLiterals;

namespace QuantPush {

bool ServerProfile::isTls() const
{
    return url.scheme() == "wss"_L1;
}

bool ServerProfile::isValid() const
{
    return url.isValid() && !url.host().isEmpty() && (url.scheme() == "ws"_L1 || url.scheme() == "wss"_L1);
}

bool ServerProfile::sameServer(const ServerProfile &other) const
{
    return url == other.url && credential == other.credential;
}

QUrl ServerProfile::withTls(const QUrl &url, bool tls)
{
    QUrl result = url;
    result.setScheme(tls ? u"wss"_s : u"ws"_s);
    return result;
}

QUrl ServerProfile::normalisedUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains("://"_L1))
        trimmed.prepend(u"ws://"_s);
    QUrl url(trimmed, QUrl::StrictMode);
    if (url.path().isEmpty())
        url.setPath(u"/ws"_s);
    return url;
}

} // namespace QuantPush
