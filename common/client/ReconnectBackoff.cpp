#include "client/ReconnectBackoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace QuantPush {

int ReconnectBackoff::baseDelayMs(const ReconnectPolicy &policy, int attempt)
{
    // A policy from a config file may be nonsense; clamp instead of producing
    // a zero, negative or overflowing delay.
    const int initial = std::max(1, policy.initialDelayMs);
    const int cap = std::max(initial, policy.maxDelayMs);
    const double multiplier = std::max(1.0, policy.backoffMultiplier);
    const double raw = initial * std::pow(multiplier, std::max(0, attempt - 1));
    if (!std::isfinite(raw) || raw >= cap)
        return cap;
    return static_cast<int>(raw);
}

int ReconnectBackoff::delayMs(const ReconnectPolicy &policy, int attempt, QRandomGenerator &rng)
{
    const int base = baseDelayMs(policy, attempt);
    if (!policy.jitterEnabled)
        return base;
    const int low = base / 2;
    return low + static_cast<int>(rng.bounded(base - low + 1));
}

} // namespace QuantPush
