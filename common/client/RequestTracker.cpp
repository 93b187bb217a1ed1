#include "client/RequestTracker.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace QuantPush {

RequestTracker::RequestTracker()
{
    m_clock.start();
}

QString RequestTracker::nextId()
{
    return u"c"_s + QString::number(++m_counter);
}

void RequestTracker::track(const QString &id, const Request &request)
{
    m_pending.insert(id, request);
}

RequestTracker::Request RequestTracker::take(const QString &id)
{
    return id.isEmpty() ? Request{} : m_pending.take(id);
}

void RequestTracker::pingSent(const QString &id)
{
    if (m_pingsSent.size() >= MaxOutstandingPings) {
        const auto oldest = std::min_element(m_pingsSent.begin(), m_pingsSent.end());
        m_pingsSent.erase(oldest);
    }
    m_pingsSent.insert(id, m_clock.nsecsElapsed());
}

std::optional<double> RequestTracker::pongReceived(const QString &id)
{
    const auto it = m_pingsSent.constFind(id);
    if (it == m_pingsSent.cend())
        return std::nullopt;
    const double rttMs = double(m_clock.nsecsElapsed() - it.value()) / 1e6;
    m_pingsSent.erase(it);
    return rttMs;
}

bool RequestTracker::pongOverdue(int timeoutMs) const
{
    if (m_pingsSent.isEmpty())
        return false;
    const qint64 oldest = *std::min_element(m_pingsSent.cbegin(), m_pingsSent.cend());
    return m_clock.nsecsElapsed() - oldest > qint64(timeoutMs) * 1000000;
}

void RequestTracker::clear()
{
    m_pending.clear();
    m_pingsSent.clear();
}

} // namespace QuantPush
