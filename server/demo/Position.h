#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace QuantPush {

// A net position of one account in one symbol; qty < 0 is short.
struct Position
{
    QString account;
    QString symbol;
    double qty = 0;
    double avgPrice = 0;
    double realizedPnl = 0;

    double unrealizedPnl(double markPrice) const { return qty * (markPrice - avgPrice); }
    bool isFlat() const { return qFuzzyIsNull(qty); }

    // `key` = "account:symbol": coalescing keeps the latest of each position.
    QJsonObject toJson(double markPrice, qint64 tsMs) const;
};

} // namespace QuantPush
