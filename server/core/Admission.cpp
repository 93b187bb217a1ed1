#include "Admission.h"

#include "Logging.h"
#include "protocol/Message.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QString networkOf(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return u"%1/24"_s.arg(QHostAddress(v4 & 0xFFFFFF00u).toString());
    Q_IPV6ADDR v6 = address.toIPv6Address();
    for (int i = 6; i < 16; ++i)
        v6[i] = 0;
    return u"%1/48"_s.arg(QHostAddress(v6).toString());
}

Admission::Admission(const ServerConfig &config)
    : m_maxConnections(config.websocket.maxConnections)
    , m_maxPerAddress(config.limits.maxConnectionsPerIp)
    , m_maxHeldRefusals(config.limits.maxPendingHandshakes)
    , m_origins(config.security.allowedOrigins)
{
}

std::optional<Admission::Refusal> Admission::admit(const QString &origin, const QHostAddress &peer)
{
    const QString address = peer.toString();
    const QMutexLocker lock(&m_mutex);
    if (!m_accepting)
        return Refusal {int(CloseCode::GoingAway), u"server shutting down"_s};
    if (m_admitted >= m_maxConnections)
        return Refusal {int(CloseCode::TryAgainLater), u"server full"_s};
    if (!m_origins.allows(origin))
        return Refusal {int(CloseCode::PolicyViolation), u"origin not allowed"_s};
    int &fromAddress = m_perAddress[address];
    if (fromAddress >= m_maxPerAddress) {
        if (fromAddress == 0)
            m_perAddress.remove(address);
        return Refusal {int(CloseCode::PolicyViolation), u"too many connections from this address"_s};
    }
    ++fromAddress;
    ++m_admitted;
    qCDebug(lcAdmission).noquote() << "admitted" << address << ":" << fromAddress << "from it," << m_admitted
                                   << "in all";
    return std::nullopt;
}

void Admission::release(const QHostAddress &peer)
{
    const QString address = peer.toString();
    const QMutexLocker lock(&m_mutex);
    --m_admitted;
    const auto it = m_perAddress.find(address);
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
}

bool Admission::holdRefusal(const QHostAddress &peer)
{
    const QString address = peer.toString();
    const QMutexLocker lock(&m_mutex);
    if (m_heldRefusals >= m_maxHeldRefusals)
        return false;
    int &fromAddress = m_heldRefusalsPerAddress[address];
    if (fromAddress >= std::max(1, m_maxPerAddress)) {
        if (fromAddress == 0)
            m_heldRefusalsPerAddress.remove(address);
        return false;
    }
    ++fromAddress;
    ++m_heldRefusals;
    return true;
}

void Admission::releaseRefusal(const QHostAddress &peer)
{
    const QString address = peer.toString();
    const QMutexLocker lock(&m_mutex);
    --m_heldRefusals;
    const auto it = m_heldRefusalsPerAddress.find(address);
    if (it != m_heldRefusalsPerAddress.end() && --it.value() <= 0)
        m_heldRefusalsPerAddress.erase(it);
}

void Admission::stopAccepting()
{
    const QMutexLocker lock(&m_mutex);
    m_accepting = false;
}

bool Admission::isAccepting() const
{
    const QMutexLocker lock(&m_mutex);
    return m_accepting;
}

int Admission::admitted() const
{
    const QMutexLocker lock(&m_mutex);
    return m_admitted;
}

} // namespace QuantPush
