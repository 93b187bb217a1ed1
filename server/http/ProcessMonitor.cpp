#include "ProcessMonitor.h"

#include "Metrics.h"

#include <QtCore/QTimer>

namespace QuantPush {

ProcessMonitor::ProcessMonitor(Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(IntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ProcessMonitor::sample);
    m_timer->start();
    sample();
}

void ProcessMonitor::sample()
{
    const ProcessSampler::Sample sample = m_sampler.sample();
    Metrics::ProcessUsage usage;
    // Without /proc every reading is "unknown": leave the registry saying so.
    usage.known = sample.threads >= 0;
    usage.cpuPercent = sample.cpuPercent;
    usage.cpuSecondsTotal = sample.cpuSecondsTotal;
    usage.rssBytes = sample.rssBytes;
    usage.threads = sample.threads;
    usage.openFds = sample.openFds;
    m_metrics->setProcessUsage(usage);
}

} // namespace QuantPush
