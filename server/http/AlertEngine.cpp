#include "AlertEngine.h"

#include "Clock.h"
#include "Metrics.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAlerts, "quantpush.alerts", QtInfoMsg)

namespace QuantPush {

QString alertMetricName(AlertMetric metric)
{
    return AlertMetricNames[std::size_t(metric)];
}

AlertEngine::AlertEngine(const QList<AlertRuleConfig> &rules, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_timer(new QTimer(this))
{
    for (const AlertRuleConfig &rule : rules) {
        m_rules.append(RuleState { rule, std::nullopt, {}, false });
        m_metrics->setAlertActive(rule.name, false);
    }
    m_timer->setInterval(IntervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] { evaluate(Clock::system()->nowMs()); });
    if (!m_rules.isEmpty()) {
        m_timer->start();
        qCInfo(lcAlerts) << m_rules.size() << "alert rules, evaluated every" << IntervalMs << "ms";
    }
}

std::optional<double> AlertEngine::valueOf(AlertMetric metric) const
{
    const Metrics::ProcessUsage &process = m_metrics->processUsage();
    switch (metric) {
    case AlertMetric::Connections:
        return double(m_metrics->openConnections());
    case AlertMetric::P99LatencyMs:
        return m_metrics->recentLatencyQuantile(0.99) * 1000.0;
    case AlertMetric::ErrorRate:
        return m_metrics->errorsPerSec();
    case AlertMetric::CpuPercent:
        return process.known ? std::optional<double>(process.cpuPercent) : std::nullopt;
    case AlertMetric::RssBytes:
        return process.known ? std::optional<double>(double(process.rssBytes)) : std::nullopt;
    case AlertMetric::BytesInPerSec:
        return m_metrics->bytesInPerSec();
    case AlertMetric::BytesOutPerSec:
        return m_metrics->bytesOutPerSec();
    case AlertMetric::QueuedFrames:
        return double(m_metrics->queuedFrames());
    case AlertMetric::PendingMessages:
        return double(m_metrics->pendingMessages());
    case AlertMetric::CpuWaitPercent:
        return process.cpuWaitPercent >= 0 ? std::optional<double>(process.cpuWaitPercent) : std::nullopt;
    }
    return std::nullopt;
}

bool AlertEngine::isFiring(const QString &rule) const
{
    return std::any_of(m_rules.cbegin(), m_rules.cend(),
        [&](const RuleState &state) { return state.rule.name == rule && state.firing; });
}

void AlertEngine::evaluate(qint64 nowMs)
{
    m_metrics->refresh(); // the worker threads' counters summed in first
    for (RuleState &state : m_rules) {
        // An unknown value changes nothing: no evidence either way.
        if (const std::optional<double> value = valueOf(state.rule.metric))
            evaluate(state, *value, nowMs);
    }
}

void AlertEngine::evaluate(RuleState &state, double value, qint64 nowMs)
{
    const AlertRuleConfig &rule = state.rule;
    const bool holds = rule.op == AlertOp::Above ? value > rule.threshold : value < rule.threshold;
    if (!holds) {
        state.holdingSinceMs.reset();
        if (state.firing) {
            state.firing = false;
            state.holdingSince = QDateTime::currentDateTimeUtc();
            announce(state, value);
        }
        return;
    }
    if (!state.holdingSinceMs) {
        state.holdingSinceMs = nowMs;
        state.holdingSince = QDateTime::currentDateTimeUtc();
    }
    if (!state.firing && nowMs - *state.holdingSinceMs >= qint64(rule.forSec) * 1000) {
        state.firing = true;
        announce(state, value);
    }
}

void AlertEngine::announce(const RuleState &state, double value)
{
    const AlertRuleConfig &rule = state.rule;
    const QString condition = u"%1 = %2 %3 %4"_s.arg(alertMetricName(rule.metric))
                                  .arg(value)
                                  .arg(rule.op == AlertOp::Above ? u"above"_s : u"below"_s)
                                  .arg(rule.threshold);
    if (state.firing)
        qCWarning(lcAlerts).noquote() << "alert" << rule.name << "FIRING:" << condition << "for" << rule.forSec << "s";
    else
        qCInfo(lcAlerts).noquote() << "alert" << rule.name << "resolved:" << alertMetricName(rule.metric) << "="
                                   << value;
    m_metrics->setAlertActive(rule.name, state.firing);
    Q_EMIT alertChanged(AlertTransition { rule, state.firing, value, state.holdingSince });
}

} // namespace QuantPush
