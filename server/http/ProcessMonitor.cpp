#include "ProcessMonitor.h"

#include "Metrics.h"

#include <QtCore/QThread>
#include <QtCore/QTimer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

ProcessMonitor::ProcessMonitor(Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_thread(new QThread(this))
{
    m_thread->setObjectName(u"quantpush-monitor"_s);
    // The timer lives on the monitor thread and goes with it.
    auto *timer = new QTimer;
    timer->setInterval(IntervalMs);
    timer->moveToThread(m_thread);
    connect(timer, &QTimer::timeout, timer, [this] {
        const ProcessSampler::Sample sample = takeSample();
        QMetaObject::invokeMethod(this, [this, sample] { apply(sample); }, Qt::QueuedConnection);
    });
    connect(m_thread, &QThread::started, timer, qOverload<>(&QTimer::start));
    connect(m_thread, &QThread::finished, timer, &QObject::deleteLater);
    sample();
    m_thread->start(QThread::LowPriority);
}

ProcessMonitor::~ProcessMonitor()
{
    // No reading is under way past this point; samples still queued to
    // this object are dropped with it.
    m_thread->quit();
    m_thread->wait();
}

void ProcessMonitor::sample()
{
    apply(takeSample());
}

ProcessSampler::Sample ProcessMonitor::takeSample()
{
    const QMutexLocker locker(&m_samplerLock);
    return m_sampler.sample();
}

void ProcessMonitor::apply(const ProcessSampler::Sample &sample)
{
    Metrics::ProcessUsage usage;
    // Without /proc every reading is "unknown": leave the registry saying so.
    usage.known = sample.threads >= 0;
    usage.cpuPercent = sample.cpuPercent;
    usage.cpuSecondsTotal = sample.cpuSecondsTotal;
    usage.rssBytes = sample.rssBytes;
    usage.threads = sample.threads;
    usage.openFds = sample.openFds;
    usage.cpuWaitSecondsTotal = sample.cpuWaitSecondsTotal;
    usage.cpuWaitPercent = sample.cpuWaitPercent;
    m_metrics->setProcessUsage(usage);
}

} // namespace QuantPush
