#include "demo/MarketTick.h"

#include "demo/DemoKeys.h"

namespace QuantPush {

QJsonObject MarketTick::toJson() const
{
    return QJsonObject {
        {DemoKey::Symbol, symbol},
        {DemoKey::Price, price},
        {DemoKey::Bid, bid},
        {DemoKey::Ask, ask},
        {DemoKey::Volume, volume},
        {DemoKey::ChangePct, changePct},
        {DemoKey::TsMs, tsMs},
        {DemoKey::CoalesceKey, symbol},
    };
}

} // namespace QuantPush
