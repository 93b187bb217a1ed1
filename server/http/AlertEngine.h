#pragma once

#include "config/ServerConfig.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <optional>

class QTimer;

namespace QuantPush {

class Metrics;

// A rule starting or stopping to fire.
struct AlertTransition
{
    AlertRuleConfig rule;
    bool firing = false;
    double value = 0; // the metric when it changed
    QDateTime since; // firing: when the condition began to hold; resolved: now
};

// Evaluates the `alerts:` rules of the config against the metrics registry
// once a second. A rule fires when its condition has held for for_s seconds
// and resolves as soon as it does not. Each change is logged (category
// quantpush.alerts), mirrored in the registry (quantpush_alert_active) and
// announced by alertChanged, which AdminStatsStream sends to admins.
//
// Values: connections = open WebSocket connections; p99_latency_ms = p99 of
// publish-to-write latency over the last Metrics::RecentWindowSec seconds;
// error_rate = error frames per second; cpu_percent = of one core;
// rss_bytes = resident memory; bytes_in_per_sec / bytes_out_per_sec =
// WebSocket payload bytes over the last second; queued_frames = frames
// waiting behind slow sockets; pending_messages = messages held by the
// channels' strategy queues (the last two as of the last rate sample);
// cpu_wait_percent = time the server's threads waited for a CPU over the
// last second, in percent of one thread's time (summed over threads: two
// threads each waiting half the time make 100), unknown without schedstat.
class AlertEngine : public QObject
{
    Q_OBJECT
public:
    static constexpr int IntervalMs = 1000;

    AlertEngine(const QList<AlertRuleConfig> &rules, Metrics *metrics, QObject *parent = nullptr);

    // One evaluation at monotonic time nowMs (the timer passes the real one;
    // tests pass their own to step through for_s without waiting).
    void evaluate(qint64 nowMs);
    // The metric's current value, or nothing while it is unknown (no /proc).
    std::optional<double> valueOf(AlertMetric metric) const;
    bool isFiring(const QString &rule) const;

Q_SIGNALS:
    void alertChanged(const QuantPush::AlertTransition &transition);

private:
    struct RuleState
    {
        AlertRuleConfig rule;
        std::optional<qint64> holdingSinceMs; // monotonic, while the condition holds
        QDateTime holdingSince; // the same moment, wall clock, for the message
        bool firing = false;
    };

    void evaluate(RuleState &state, double value, qint64 nowMs);
    void announce(const RuleState &state, double value);

    Metrics *m_metrics;
    QList<RuleState> m_rules;
    QTimer *m_timer;
};

QString alertMetricName(AlertMetric metric);

} // namespace QuantPush
