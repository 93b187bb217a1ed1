#pragma once

#include <cstdint>

namespace loadgen {

// Something with a file descriptor in the poller.
class PollTarget
{
public:
    virtual ~PollTarget() = default;
    virtual void onEvents(std::uint32_t events) = 0;
};

// A thin epoll wrapper: level-triggered, one PollTarget per descriptor.
class Poller
{
public:
    Poller();
    ~Poller();
    Poller(const Poller &) = delete;
    Poller &operator=(const Poller &) = delete;

    bool add(int fd, PollTarget *target, std::uint32_t events);
    bool modify(int fd, PollTarget *target, std::uint32_t events);
    void remove(int fd);
    // Waits up to timeoutMs (-1: forever) and dispatches; returns the number
    // of events handled.
    int wait(int timeoutMs);

private:
    int m_fd = -1;
};

} // namespace loadgen
