#pragma once

#include <cstdint>
#include <ctime>

namespace loadgen {

// Wall clock in microseconds: the server's `ts` is CLOCK_REALTIME too, and
// generator and server share the machine, so now - ts is the latency.
inline std::int64_t realtimeUs()
{
    timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    return std::int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// Monotonic microseconds for pacing and deadlines (never jumps).
inline std::int64_t monotonicUs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// CPU seconds (user + system) this process has used.
inline double processCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace loadgen
