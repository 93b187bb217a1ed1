#include "StrategyQueue.h"

#include "Clock.h"

#include <QtCore/QTimer>

#include <algorithm>
#include <cmath>

namespace QuantPush {

StrategyQueue *StrategyQueue::create(BroadcastStrategy strategy, const ChannelConfig &config, Clock *clock,
                                     QObject *parent)
{
    switch (strategy) {
    case BroadcastStrategy::Immediate: return new ImmediateQueue(parent);
    case BroadcastStrategy::Batched: return new BatchQueue(config.batchIntervalMs, config.batchMaxMessages, clock, parent);
    case BroadcastStrategy::PriorityQueue: return new PriorityQueue(parent);
    case BroadcastStrategy::RateLimited: return new RateLimitedQueue(config.rateLimitPerSec, clock, parent);
    }
    return new ImmediateQueue(parent);
}

void ImmediateQueue::enqueue(const PublishedMessagePtr &message)
{
    Q_EMIT released({message}, false);
}

BatchQueue::BatchQueue(int intervalMs, int maxMessages, Clock *clock, QObject *parent)
    : StrategyQueue(parent), m_timer(clock->createTimer(this)), m_maxMessages(maxMessages)
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(intervalMs);
    connect(m_timer, &ClockTimer::timeout, this, &BatchQueue::flush);
}

void BatchQueue::enqueue(const PublishedMessagePtr &message)
{
    m_pending.append(message);
    if (m_pending.size() >= m_maxMessages)
        flush();
    else if (!m_timer->isActive())
        m_timer->start();
}

void BatchQueue::flush()
{
    m_timer->stop();
    if (m_pending.isEmpty())
        return;
    const QList<PublishedMessagePtr> batch = std::exchange(m_pending, {});
    Q_EMIT released(batch, true);
}

PriorityQueue::PriorityQueue(QObject *parent)
    : StrategyQueue(parent), m_drainTimer(new QTimer(this))
{
    // A zero timer fires once the event loop has handled everything already
    // queued: that burst is the backlog that gets sorted.
    m_drainTimer->setSingleShot(true);
    m_drainTimer->setInterval(0);
    connect(m_drainTimer, &QTimer::timeout, this, &PriorityQueue::flush);
}

void PriorityQueue::enqueue(const PublishedMessagePtr &message)
{
    m_pending.append(message);
    if (!m_drainTimer->isActive())
        m_drainTimer->start();
}

void PriorityQueue::flush()
{
    m_drainTimer->stop();
    if (m_pending.isEmpty())
        return;
    QList<PublishedMessagePtr> ordered = std::exchange(m_pending, {});
    std::stable_sort(ordered.begin(), ordered.end(), [](const PublishedMessagePtr &a, const PublishedMessagePtr &b) {
        return a->priority > b->priority;
    });
    // Released one by one: priority decides the order, not a shared frame.
    for (const PublishedMessagePtr &message : std::as_const(ordered))
        Q_EMIT released({message}, false);
}

RateLimitedQueue::RateLimitedQueue(double ratePerSec, Clock *clock, QObject *parent)
    : StrategyQueue(parent), m_clock(clock), m_timer(clock->createTimer(this)), m_ratePerSec(ratePerSec)
{
    // Whole messages per second become "N per 1000 ms"; slower rates become
    // "1 per 1000/rate ms". Either way no window of that length holds more.
    if (ratePerSec >= 1.0) {
        m_windowCount = int(std::floor(ratePerSec));
        m_windowMs = 1000;
    } else {
        m_windowCount = 1;
        m_windowMs = qint64(std::ceil(1000.0 / ratePerSec));
    }
    m_timer->setSingleShot(true);
    connect(m_timer, &ClockTimer::timeout, this, &RateLimitedQueue::releaseWhatIsAllowed);
}

void RateLimitedQueue::enqueue(const PublishedMessagePtr &message)
{
    const QString key = message->coalescingKey();
    auto it = m_newestByKey.find(key);
    if (it != m_newestByKey.end()) {
        Q_EMIT coalesced(it.value());
        it.value() = message;
    } else {
        m_newestByKey.insert(key, message);
        m_order.append(key);
    }
    releaseWhatIsAllowed();
}

qint64 RateLimitedQueue::msUntilAllowed(qint64 nowMs) const
{
    // The oldest release in the window must age out first.
    return std::max<qint64>(1, m_sentAtMs.first() + m_windowMs - nowMs + 1);
}

void RateLimitedQueue::releaseWhatIsAllowed()
{
    const qint64 now = m_clock->nowMs();
    while (!m_sentAtMs.isEmpty() && m_sentAtMs.first() + m_windowMs <= now)
        m_sentAtMs.removeFirst();
    while (!m_order.isEmpty() && windowHasRoom()) {
        const QString key = m_order.takeFirst();
        const PublishedMessagePtr message = m_newestByKey.take(key);
        m_sentAtMs.append(now);
        Q_EMIT released({message}, false);
    }
    if (!m_order.isEmpty() && !m_timer->isActive())
        m_timer->start(int(msUntilAllowed(now)));
}

void RateLimitedQueue::flush()
{
    m_timer->stop();
    while (!m_order.isEmpty()) {
        const PublishedMessagePtr message = m_newestByKey.take(m_order.takeFirst());
        Q_EMIT released({message}, false);
    }
}

} // namespace QuantPush
