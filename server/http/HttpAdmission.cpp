#include "HttpAdmission.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QString HttpAdmission::keyOf(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : peer.toString(); // ::ffff:a.b.c.d is a.b.c.d
}

QString HttpAdmission::admit(const QHostAddress &peer)
{
    if (m_total >= m_maxTotal)
        return u"more than %1 HTTP requests in progress; retry shortly"_s.arg(m_maxTotal);
    int &mine = m_perAddress[keyOf(peer)];
    if (mine >= m_maxPerAddress)
        return u"more than %1 HTTP requests in progress from this address; retry shortly"_s.arg(m_maxPerAddress);
    ++mine;
    ++m_total;
    return {};
}

void HttpAdmission::release(const QHostAddress &peer)
{
    const QString key = keyOf(peer);
    const auto it = m_perAddress.find(key);
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
    --m_total;
}

} // namespace QuantPush
