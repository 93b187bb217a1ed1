#include "OriginPolicy.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QStringList OriginPolicy::localhostOrigins()
{
    QStringList origins;
    for (const QString &host : {u"localhost"_s, u"127.0.0.1"_s, u"[::1]"_s}) {
        origins.append(u"http://%1:*"_s.arg(host));
        origins.append(u"https://%1:*"_s.arg(host));
    }
    origins.append(u"null"_s);
    return origins;
}

bool OriginPolicy::matches(const QString &pattern, const QString &origin)
{
    if (pattern == u"*"_s || pattern.compare(origin, Qt::CaseInsensitive) == 0)
        return true;
    if (!pattern.endsWith(u":*"_s))
        return false;
    const QStringView base = QStringView(pattern).chopped(2);
    if (origin.compare(base, Qt::CaseInsensitive) == 0)
        return true; // default port
    if (!origin.startsWith(base + u':', Qt::CaseInsensitive))
        return false;
    const QStringView port = QStringView(origin).mid(base.size() + 1);
    bool ok = false;
    const uint number = port.toUInt(&ok);
    return ok && number <= 65535 && !port.startsWith(u'+');
}

bool OriginPolicy::allows(const QString &origin) const
{
    if (m_allowed.isEmpty() || origin.isEmpty())
        return true;
    return std::any_of(m_allowed.cbegin(), m_allowed.cend(),
                       [&origin](const QString &pattern) { return matches(pattern, origin); });
}

} // namespace QuantPush
