#pragma once

#include <QList>
#include <QtGlobal>

namespace QuantPush {

// Per-channel sequence bookkeeping: which seqs were delivered, which were
// skipped. A seq at or below the highest one seen is a duplicate unless it
// is a known hole: a priority channel may deliver out of order, and a
// redelivery may fill a gap, and neither must be dropped.
class ChannelSequence
{
public:
    struct Outcome
    {
        bool duplicate = false;
        qint64 gapExpected = -1; // first missing seq when this one jumped ahead, else -1
    };

    Outcome accept(qint64 seq);
    // Fresh subscription: the server's current seq, so a loss before the
    // first message is visible too. Ignored once a seq is known.
    void setBaseline(qint64 seq);
    // The server's sequence restarted (seq went backwards): forget the past.
    void reset(qint64 seq);
    // Resume was incomplete; the next jump is already reported another way.
    void expectDiscontinuity();
    // The server announced it skipped [from, to]; returns the first seq lost
    // silently before `from`, or -1.
    qint64 skip(qint64 from, qint64 to);

    bool hasLast() const { return m_last >= 0; }
    qint64 last() const { return m_last; }
    int holeRanges() const { return static_cast<int>(m_holes.size()); }

private:
    struct Range
    {
        qint64 from;
        qint64 to;
    };

    void addHole(qint64 from, qint64 to);
    bool takeHole(qint64 seq);
    void trimHoles();

    // Rate-limited channels skip seqs for good; keep only the newest holes
    // so memory stays bounded on a long-lived connection.
    static constexpr int MaxHoleRanges = 256;

    QList<Range> m_holes; // ascending and disjoint, all below m_last
    qint64 m_last = -1;
    bool m_discontinuityExpected = false;
};

} // namespace QuantPush
