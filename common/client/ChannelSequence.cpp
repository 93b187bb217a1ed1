#include "client/ChannelSequence.h"

#include <algorithm>

namespace QuantPush {

ChannelSequence::Outcome ChannelSequence::accept(qint64 seq)
{
    Outcome outcome;
    if (!hasLast()) {
        m_last = seq;
        m_discontinuityExpected = false;
        return outcome;
    }
    if (seq > m_last) {
        if (seq > m_last + 1) {
            addHole(m_last + 1, seq - 1);
            if (!m_discontinuityExpected)
                outcome.gapExpected = m_last + 1;
        }
        m_last = seq;
        m_discontinuityExpected = false;
        return outcome;
    }
    outcome.duplicate = !takeHole(seq);
    return outcome;
}

void ChannelSequence::setBaseline(qint64 seq)
{
    if (!hasLast() && seq >= 0)
        m_last = seq;
}

void ChannelSequence::reset(qint64 seq)
{
    m_holes.clear();
    m_last = seq;
    m_discontinuityExpected = false;
}

void ChannelSequence::expectDiscontinuity()
{
    m_discontinuityExpected = true;
}

qint64 ChannelSequence::skip(qint64 from, qint64 to)
{
    qint64 silentlyMissing = -1;
    if (hasLast() && from > m_last + 1) {
        addHole(m_last + 1, from - 1);
        if (!m_discontinuityExpected)
            silentlyMissing = m_last + 1;
    }
    m_last = std::max(m_last, to);
    m_discontinuityExpected = false;
    return silentlyMissing;
}

void ChannelSequence::addHole(qint64 from, qint64 to)
{
    m_holes.append({from, to});
    trimHoles();
}

void ChannelSequence::trimHoles()
{
    // The oldest holes are the least likely to be filled by a late message.
    while (m_holes.size() > MaxHoleRanges)
        m_holes.removeFirst();
}

bool ChannelSequence::takeHole(qint64 seq)
{
    const auto it = std::find_if(m_holes.begin(), m_holes.end(),
                                 [seq](const Range &r) { return seq >= r.from && seq <= r.to; });
    if (it == m_holes.end())
        return false;
    const Range hole = *it;
    const auto index = it - m_holes.begin();
    m_holes.removeAt(index);
    // Split around the filled seq, keeping ascending order.
    if (seq < hole.to)
        m_holes.insert(index, {seq + 1, hole.to});
    if (hole.from < seq)
        m_holes.insert(index, {hole.from, seq - 1});
    trimHoles();
    return true;
}

} // namespace QuantPush
