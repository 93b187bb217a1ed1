#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace QuantPush {

// One top-of-book quote of the simulated market (the market_data payload).
struct MarketTick
{
    QString symbol;
    double price = 0;
    double bid = 0;
    double ask = 0;
    double volume = 0;
    double changePct = 0; // since the walk started
    qint64 tsMs = 0;

    // Carries `key` = symbol so rate-limited coalescing keeps one quote per symbol.
    QJsonObject toJson() const;
};

} // namespace QuantPush
