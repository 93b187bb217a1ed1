#pragma once

#include "demo/Side.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace QuantPush {

// A strategy's recommendation (the trading_signals payload).
struct TradeSignal
{
    QString symbol;
    Side side = Side::Buy;
    double strength = 0; // 0..1
    int priority = 0;    // 0..9, the publish priority, derived from strength
    double price = 0;
    double shortMa = 0;
    double longMa = 0;
    QString strategy;
    QString reason;
    qint64 tsMs = 0;

    QJsonObject toJson() const;
};

} // namespace QuantPush
