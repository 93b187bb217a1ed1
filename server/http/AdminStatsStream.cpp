#include "AdminStatsStream.h"

#include "WebSocketManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/StatsKeys.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTimer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

AdminStatsStream::AdminStatsStream(WebSocketManager *manager, AlertEngine *alerts, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_admins(adminsOnly(manager->config()))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(IntervalMs);
    connect(m_timer, &QTimer::timeout, this, &AdminStatsStream::publishStats);
    m_timer->start();
    if (alerts)
        connect(alerts, &AlertEngine::alertChanged, this, &AdminStatsStream::publishAlert);
}

Filter AdminStatsStream::adminsOnly(const ServerConfig &config)
{
    // Every role with admin: true, not just the one named "admin".
    QJsonArray roles;
    for (auto it = config.roles.cbegin(); it != config.roles.cend(); ++it) {
        if (it->admin)
            roles.append(it.key());
    }
    QString error;
    const FilterLimits limits { 4, 1 << 20 };
    if (auto filter = Filter::parse(QJsonObject { { Key::Role, QJsonObject { { u"in"_s, roles } } } }, &error, limits))
        return *filter;
    // Fail closed: a filter we cannot build lets nobody have the stats.
    return *Filter::parse(QJsonObject { { Key::Role, QJsonObject { { u"in"_s, QJsonArray() } } } }, &error, limits);
}

void AdminStatsStream::publishStats()
{
    // Nobody listening: spare the channel's seq and history a message a
    // second, and the server a pass over every session to build it.
    if (m_manager->subscriptionCount(SubscriptionType::SystemMonitor) == 0)
        return;
    const QJsonObject stats = m_manager->statsJson();
    PublishRequest request;
    request.channel = SubscriptionType::SystemMonitor;
    request.payload = QJsonObject {
        { u"kind"_s, u"stats"_s },
        { Key::Key, StatsKey },
        { u"stats"_s, stats },
    };
    request.recipientFilter = m_admins;
    m_manager->publish(request);
}

void AdminStatsStream::publishAlert(const AlertTransition &transition)
{
    const AlertRuleConfig &rule = transition.rule;
    PublishRequest request;
    request.channel = SubscriptionType::SystemMonitor;
    request.payload = QJsonObject {
        { u"kind"_s, u"alert"_s },
        { Key::Key, u"alert:%1:%2"_s.arg(rule.name).arg(++m_alertCount) },
        { u"alert"_s,
            QJsonObject {
                { u"rule"_s, rule.name },
                { u"state"_s, transition.firing ? u"firing"_s : u"resolved"_s },
                { u"metric"_s, alertMetricName(rule.metric) },
                { u"op"_s, rule.op == AlertOp::Above ? u"above"_s : u"below"_s },
                { u"value"_s, transition.value },
                { u"threshold"_s, rule.threshold },
                { u"for_s"_s, rule.forSec },
                { u"since"_s, transition.since.toString(Qt::ISODateWithMs) },
            } },
    };
    request.recipientFilter = m_admins;
    m_manager->publish(request);
}

} // namespace QuantPush
