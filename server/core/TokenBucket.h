#pragma once

#include <QtCore/QtGlobal>

namespace QuantPush {

// A token bucket on a caller-supplied millisecond clock (so tests and the
// event loop share one notion of time): `rate` tokens a second, at most
// `burst` saved up.
class TokenBucket
{
public:
    TokenBucket(double ratePerSec, double burst);

    bool tryTake(qint64 nowMs) { return tryTake(nowMs, 1.0); }
    // Takes `tokens` at once, or none.
    bool tryTake(qint64 nowMs, double tokens);
    // Milliseconds until one token is available (0 when one is).
    qint64 msUntilToken(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs = -1;
};

} // namespace QuantPush
