#include "ChannelHistory.h"

#include <algorithm>

namespace QuantPush {

void ChannelHistory::append(const PublishedMessagePtr &message)
{
    if (m_capacity <= 0)
        return;
    m_messages.push_back(message);
    while (m_messages.size() > std::size_t(m_capacity))
        m_messages.pop_front();
}

ChannelHistory::Replay ChannelHistory::after(qint64 since, qint64 lastSeq,
                                             const std::function<bool(const PublishedMessage &)> &accept) const
{
    Replay replay;
    if (since > lastSeq) {
        // The client saw seqs this channel never reached here: a restarted
        // server (or another deployment). What followed `since` is gone.
        replay.recovered = false;
        return replay;
    }
    if (since == lastSeq)
        return replay;
    // Everything after `since` is here only if the oldest retained message is
    // the very next one (or older).
    replay.recovered = !m_messages.empty() && m_messages.front()->seq <= since + 1;
    auto it = std::upper_bound(m_messages.cbegin(), m_messages.cend(), since,
                               [](qint64 seq, const PublishedMessagePtr &m) { return seq < m->seq; });
    for (; it != m_messages.cend(); ++it) {
        const PublishedMessage &message = **it;
        if (message.released && accept(message))
            replay.messages.append(*it);
    }
    return replay;
}

} // namespace QuantPush
