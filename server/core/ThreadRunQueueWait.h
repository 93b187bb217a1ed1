#pragma once

#include <QtCore/QtGlobal>

#include <optional>

namespace QuantPush {

// How long the calling thread has waited, runnable, for a CPU since it
// started: the second field of /proc/thread-self/schedstat (Linux with
// schedstats, which Debian's kernels have). The file is opened once, by the
// thread it describes, and read with one pread per reading.
class ThreadRunQueueWait
{
public:
    // Opens the calling thread's file; readings are unavailable if it cannot.
    ThreadRunQueueWait();
    ~ThreadRunQueueWait();
    ThreadRunQueueWait(const ThreadRunQueueWait &) = delete;
    ThreadRunQueueWait &operator=(const ThreadRunQueueWait &) = delete;

    bool isAvailable() const { return m_fd >= 0; }
    // Nanoseconds waited so far, or nothing if the file is unavailable or unreadable.
    std::optional<qint64> waitedNs() const;

private:
    int m_fd = -1;
};

} // namespace QuantPush
