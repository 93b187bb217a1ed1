#pragma once

#include "Delivery.h"

#include <deque>
#include <functional>

namespace QuantPush {

// The retained tail of one channel, for `subscribe` with `since`.
class ChannelHistory
{
public:
    explicit ChannelHistory(int capacity) : m_capacity(capacity) { }

    void append(const PublishedMessagePtr &message);

    struct Replay
    {
        QList<PublishedMessagePtr> messages;
        bool recovered = true;
    };
    // Released messages with seq > since that pass `accept`, oldest first.
    // Messages still in a strategy queue are left out: they arrive live.
    Replay after(qint64 since, qint64 lastSeq,
                 const std::function<bool(const PublishedMessage &)> &accept) const;

    qsizetype size() const { return qsizetype(m_messages.size()); }
    qint64 oldestSeq() const { return m_messages.empty() ? -1 : m_messages.front()->seq; }

private:
    int m_capacity;
    std::deque<PublishedMessagePtr> m_messages;
};

} // namespace QuantPush
