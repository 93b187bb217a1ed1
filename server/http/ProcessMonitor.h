#pragma once

#include "demo/ProcessSampler.h"

#include <QtCore/QObject>

class QTimer;

namespace QuantPush {

class Metrics;

// Reads this process's CPU time, RSS, threads and open descriptors once a
// second into the metrics registry, where the stats, /metrics and the alert
// rules read them.
class ProcessMonitor : public QObject
{
    Q_OBJECT
public:
    static constexpr int IntervalMs = 1000;

    explicit ProcessMonitor(Metrics *metrics, QObject *parent = nullptr);

    void sample();

private:
    Metrics *m_metrics;
    ProcessSampler m_sampler;
    QTimer *m_timer;
};

} // namespace QuantPush
