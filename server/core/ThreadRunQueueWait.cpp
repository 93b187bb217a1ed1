#include "ThreadRunQueueWait.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace QuantPush {

ThreadRunQueueWait::ThreadRunQueueWait() : m_fd(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) { }

ThreadRunQueueWait::~ThreadRunQueueWait()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::optional<qint64> ThreadRunQueueWait::waitedNs() const
{
    if (m_fd < 0)
        return std::nullopt;
    // "<ns on a CPU> <ns waiting for one> <timeslices>\n"
    char text[96];
    const ssize_t got = ::pread(m_fd, text, sizeof text - 1, 0);
    if (got <= 0)
        return std::nullopt;
    text[got] = '\0';
    char *end = nullptr;
    std::strtoull(text, &end, 10);
    if (end == text)
        return std::nullopt;
    char *waitEnd = nullptr;
    const unsigned long long waited = std::strtoull(end, &waitEnd, 10);
    if (waitEnd == end)
        return std::nullopt;
    return qint64(waited);
}

} // namespace QuantPush
