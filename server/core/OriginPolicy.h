#pragma once

#include <QtCore/QStringList>

namespace QuantPush {

// Which browser origins may open a WebSocket (`security.allowed_origins`).
// An entry is an exact origin (`https://trading.example`), `*` for any, or
// an origin with `:*` for any port (`http://localhost:*`, which also matches
// `http://localhost`). `null` is what a file:// page sends. A connection
// with no Origin header (not a browser) is not a browser's cross-site
// request and is always allowed; an empty list allows every origin.
class OriginPolicy
{
public:
    explicit OriginPolicy(const QStringList &allowed = {}) : m_allowed(allowed) { }

    bool allows(const QString &origin) const;
    // What --demo allows when the config names no origins: pages served
    // from this machine, and file:// pages.
    static QStringList localhostOrigins();

private:
    static bool matches(const QString &pattern, const QString &origin);

    QStringList m_allowed;
};

} // namespace QuantPush
