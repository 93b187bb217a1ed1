#pragma once

namespace QuantPush {

// How PushClient retries after an unexpected close. Kept in its own header so
// ReconnectBackoff can compute delays without knowing about sockets.
struct ReconnectPolicy
{
    bool enabled = true;
    int maxAttempts = 10;          // consecutive failed attempts before State::Failed; 0 = unlimited
    int initialDelayMs = 1000;
    int maxDelayMs = 30000;
    double backoffMultiplier = 2.0;
    bool jitterEnabled = true;     // spread reconnects of many clients after a server restart
};

} // namespace QuantPush
