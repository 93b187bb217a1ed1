#pragma once

#include "client/ReconnectPolicy.h"

class QRandomGenerator;

namespace QuantPush {

// Pure delay arithmetic for reconnects, separate from PushClient so it can be
// tested with a seeded generator and no network.
class ReconnectBackoff
{
public:
    // min(maxDelay, initial * multiplier^(attempt-1)); attempt starts at 1.
    static int baseDelayMs(const ReconnectPolicy &policy, int attempt);
    // baseDelayMs, or a uniform pick in [base/2, base] when jitter is on, so
    // clients that lost the same server do not come back in lockstep.
    static int delayMs(const ReconnectPolicy &policy, int attempt, QRandomGenerator &rng);
};

} // namespace QuantPush
