#include "SubscriberGroup.h"

#include "Clock.h"

namespace loadgen {

SubscriberGroup::SubscriberGroup(Poller &poller, const std::vector<Endpoint> &endpoints, SubscriberContext &context,
                                 int count, int firstIndex, const std::string &apiKey)
    : m_poller(poller), m_context(context)
{
    m_subscribers.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        m_subscribers.push_back(
            std::make_unique<Subscriber>(poller, endpoints[std::size_t(i) % endpoints.size()], context,
                                                         firstIndex + i, apiKey));
    }
}

bool SubscriberGroup::open(int concurrency, std::int64_t deadlineUs, bool stopOnFailure)
{
    const std::size_t total = m_subscribers.size();
    for (;;) {
        const std::size_t settled = m_context.subscribed + m_context.failed;
        if (settled == total)
            return true;
        if ((stopOnFailure && m_context.failed > 0) || monotonicUs() > deadlineUs)
            return false;
        while (m_started < total && m_started - settled < std::size_t(concurrency)) {
            // A start that fails at once (no descriptors, no ports) is
            // counted by the subscriber as failed, like any other.
            std::string error;
            if (!m_subscribers[m_started++]->start(&error) && stopOnFailure)
                return false;
        }
        m_poller.wait(5);
    }
}

void SubscriberGroup::closeAll(std::int64_t timeoutUs)
{
    for (const auto &s : m_subscribers)
        s->close();
    const std::int64_t deadline = monotonicUs() + timeoutUs;
    while (m_context.live > 0 && monotonicUs() < deadline)
        m_poller.wait(5);
}

std::string SubscriberGroup::firstFailure() const
{
    for (const auto &s : m_subscribers) {
        if (s->phase() == Subscriber::Phase::Failed)
            return s->failure();
    }
    return {};
}

std::map<std::string, int> SubscriberGroup::failureReasons() const
{
    std::map<std::string, int> reasons;
    for (const auto &s : m_subscribers) {
        if (s->phase() == Subscriber::Phase::Failed)
            ++reasons[s->failure()];
    }
    return reasons;
}

} // namespace loadgen
