#include "PayloadTemplates.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

QJsonObject templateFor(const QString &channel)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    static const QHash<QString, QJsonObject> templates {
        {u"trading_signals"_s, {{u"symbol"_s, u"BTCUSDT"_s}, {u"side"_s, u"buy"_s}, {u"strength"_s, 0.8},
                                {u"strategy"_s, u"manual"_s}, {u"reason"_s, u"operator signal"_s}}},
        {u"strategy_status"_s, {{u"strategy"_s, u"momentum"_s}, {u"state"_s, u"paused"_s},
                                {u"reason"_s, u"paused by the operator"_s}}},
        {u"market_data"_s, {{u"symbol"_s, u"BTCUSDT"_s}, {u"price"_s, 65000.0}, {u"bid"_s, 64999.5},
                            {u"ask"_s, 65000.5}, {u"volume"_s, 0.0}}},
        {u"system_monitor"_s, {{u"kind"_s, u"notice"_s}, {u"key"_s, u"notice"_s},
                               {u"message"_s, u"Maintenance window tonight 22:00-22:30 UTC"_s}}},
        {u"order_updates"_s, {{u"account"_s, u"DEMO-A1"_s}, {u"order_id"_s, u"manual-1"_s}, {u"symbol"_s, u"BTCUSDT"_s},
                              {u"side"_s, u"buy"_s}, {u"qty"_s, 0.01}, {u"price"_s, 65000.0},
                              {u"status"_s, u"cancelled"_s}}},
        {u"position_updates"_s, {{u"account"_s, u"DEMO-A1"_s}, {u"symbol"_s, u"BTCUSDT"_s}, {u"qty"_s, 0.0},
                                 {u"avg_price"_s, 0.0}}},
        {u"risk_alerts"_s, {{u"account"_s, u"DEMO-A1"_s}, {u"level"_s, u"warning"_s}, {u"rule"_s, u"manual"_s},
                            {u"message"_s, u"Reduce exposure before the close"_s}}},
        {u"performance_metrics"_s, {{u"strategy"_s, u"momentum"_s}, {u"pnl"_s, 0.0}, {u"sharpe"_s, 0.0}}},
    };
    QJsonObject object = templates.value(channel);
    if (!object.isEmpty())
        object.insert(u"ts_ms"_s, now);
    return object;
}

} // namespace

QString PayloadTemplates::forChannel(const QString &channel)
{
    return QString::fromUtf8(QJsonDocument(templateFor(channel)).toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace QuantPush
