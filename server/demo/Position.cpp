#include "demo/Position.h"

#include "demo/DemoKeys.h"
#include "demo/RandomWalk.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QJsonObject Position::toJson(double markPrice, qint64 tsMs) const
{
    constexpr int MoneyDecimals = 2;
    constexpr int QtyDecimals = 8;
    const int priceDecimals = RandomWalk::priceDecimals(avgPrice > 0 ? avgPrice : markPrice);
    return QJsonObject {
        {DemoKey::Account, account},
        {DemoKey::Symbol, symbol},
        {DemoKey::Qty, RandomWalk::roundTo(qty, QtyDecimals)},
        {DemoKey::AvgPrice, RandomWalk::roundTo(avgPrice, priceDecimals)},
        {DemoKey::MarkPrice, markPrice},
        {DemoKey::UnrealizedPnl, RandomWalk::roundTo(unrealizedPnl(markPrice), MoneyDecimals)},
        {DemoKey::RealizedPnl, RandomWalk::roundTo(realizedPnl, MoneyDecimals)},
        {DemoKey::TsMs, tsMs},
        {DemoKey::CoalesceKey, QString(account + u':' + symbol)},
    };
}

} // namespace QuantPush
