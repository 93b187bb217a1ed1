#include "Poller.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace loadgen {

Poller::Poller() : m_fd(epoll_create1(EPOLL_CLOEXEC))
{
    if (m_fd < 0) {
        std::perror("quantpush-loadgen: epoll_create1");
        std::exit(2);
    }
}

Poller::~Poller()
{
    ::close(m_fd);
}

bool Poller::add(int fd, PollTarget *target, std::uint32_t events)
{
    epoll_event event {};
    event.events = events;
    event.data.ptr = target;
    return epoll_ctl(m_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool Poller::modify(int fd, PollTarget *target, std::uint32_t events)
{
    epoll_event event {};
    event.events = events;
    event.data.ptr = target;
    return epoll_ctl(m_fd, EPOLL_CTL_MOD, fd, &event) == 0;
}

void Poller::remove(int fd)
{
    epoll_ctl(m_fd, EPOLL_CTL_DEL, fd, nullptr);
}

int Poller::wait(int timeoutMs)
{
    epoll_event events[256];
    const int n = epoll_wait(m_fd, events, 256, timeoutMs);
    if (n < 0) {
        if (errno == EINTR)
            return 0;
        std::perror("quantpush-loadgen: epoll_wait");
        std::exit(2);
    }
    for (int i = 0; i < n; ++i)
        static_cast<PollTarget *>(events[i].data.ptr)->onEvents(events[i].events);
    return n;
}

} // namespace loadgen
