#pragma once

#include "Delivery.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

class QTimer;

namespace QuantPush {

class Clock;
class ClockTimer;

// Holds a channel's published messages until its broadcast strategy lets
// them go. One subclass per strategy of PROTOCOL.md.
class StrategyQueue : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void enqueue(const PublishedMessagePtr &message) = 0;
    // Lets everything go now (graceful shutdown).
    virtual void flush() = 0;
    virtual int pending() const = 0;

    static StrategyQueue *create(BroadcastStrategy strategy, const ChannelConfig &config, Clock *clock,
                                 QObject *parent);

Q_SIGNALS:
    // `asBatch`: send the messages as one `batch` frame per recipient.
    void released(const QList<QuantPush::PublishedMessagePtr> &messages, bool asBatch);
    // A message superseded by a newer one with the same key (rate_limited).
    void coalesced(const QuantPush::PublishedMessagePtr &message);
};

class ImmediateQueue final : public StrategyQueue
{
    Q_OBJECT
public:
    using StrategyQueue::StrategyQueue;
    void enqueue(const PublishedMessagePtr &message) override;
    void flush() override { }
    int pending() const override { return 0; }
};

// Collects for up to batch_interval_ms or batch_max_messages.
class BatchQueue final : public StrategyQueue
{
    Q_OBJECT
public:
    BatchQueue(int intervalMs, int maxMessages, Clock *clock, QObject *parent);
    void enqueue(const PublishedMessagePtr &message) override;
    void flush() override;
    int pending() const override { return int(m_pending.size()); }

private:
    ClockTimer *m_timer;
    int m_maxMessages;
    QList<PublishedMessagePtr> m_pending;
};

// Everything published before the event loop turns is sent highest priority
// first, equal priorities in seq order.
class PriorityQueue final : public StrategyQueue
{
    Q_OBJECT
public:
    explicit PriorityQueue(QObject *parent);
    void enqueue(const PublishedMessagePtr &message) override;
    void flush() override;
    int pending() const override { return int(m_pending.size()); }

private:
    QTimer *m_drainTimer;
    QList<PublishedMessagePtr> m_pending;
};

// At most `ratePerSec` messages in any one-second window; while waiting, a
// newer message replaces an older one with the same key (data.key, else the
// channel), keeping the older one's place in line.
class RateLimitedQueue final : public StrategyQueue
{
    Q_OBJECT
public:
    RateLimitedQueue(double ratePerSec, Clock *clock, QObject *parent);
    void enqueue(const PublishedMessagePtr &message) override;
    void flush() override;
    int pending() const override { return int(m_order.size()); }

private:
    void releaseWhatIsAllowed();
    bool windowHasRoom() const { return m_sentAtMs.size() < m_windowCount; }
    qint64 msUntilAllowed(qint64 nowMs) const;

    Clock *m_clock;
    ClockTimer *m_timer;
    double m_ratePerSec;
    int m_windowCount;        // messages allowed per window
    qint64 m_windowMs;        // window length
    QList<qint64> m_sentAtMs; // release times inside the current window
    QList<QString> m_order;   // keys in line, oldest first
    QHash<QString, PublishedMessagePtr> m_newestByKey;
};

} // namespace QuantPush
