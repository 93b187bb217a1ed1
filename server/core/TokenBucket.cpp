#include "TokenBucket.h"

#include <algorithm>
#include <cmath>

namespace QuantPush {

TokenBucket::TokenBucket(double ratePerSec, double burst)
    : m_rate(ratePerSec), m_burst(std::max(1.0, burst)), m_tokens(m_burst)
{
}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
    m_lastMs = std::max(m_lastMs, nowMs);
}

bool TokenBucket::tryTake(qint64 nowMs, double tokens)
{
    refill(nowMs);
    if (m_tokens < tokens)
        return false;
    m_tokens -= tokens;
    return true;
}

qint64 TokenBucket::msUntilToken(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate));
}

} // namespace QuantPush
