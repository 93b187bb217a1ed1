#include "demo/TradeSignal.h"

#include "demo/DemoKeys.h"

namespace QuantPush {

QJsonObject TradeSignal::toJson() const
{
    return QJsonObject {
        {DemoKey::Symbol, symbol},
        {DemoKey::Side, sideName(side)},
        {DemoKey::Strength, strength},
        {DemoKey::Price, price},
        {DemoKey::ShortMa, shortMa},
        {DemoKey::LongMa, longMa},
        {DemoKey::Strategy, strategy},
        {DemoKey::Reason, reason},
        {DemoKey::TsMs, tsMs},
    };
}

} // namespace QuantPush
