#include "demo/Order.h"

#include "demo/DemoKeys.h"
#include "demo/RandomWalk.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QString orderStatusName(OrderStatus status)
{
    switch (status) {
    case OrderStatus::New: return u"new"_s;
    case OrderStatus::PartiallyFilled: return u"partially_filled"_s;
    case OrderStatus::Filled: return u"filled"_s;
    case OrderStatus::Cancelled: return u"cancelled"_s;
    }
    return {};
}

QJsonObject Order::toJson() const
{
    // The remaining quantity is derived, so round away the subtraction's tail.
    constexpr int QtyDecimals = 8;
    return QJsonObject {
        {DemoKey::OrderId, id},
        {DemoKey::Account, account},
        {DemoKey::Symbol, symbol},
        {DemoKey::Side, sideName(side)},
        {DemoKey::Qty, qty},
        {DemoKey::Price, price},
        {DemoKey::Status, orderStatusName(status)},
        {DemoKey::FilledQty, filledQty},
        {DemoKey::RemainingQty, RandomWalk::roundTo(remainingQty(), QtyDecimals)},
        {DemoKey::TsMs, tsMs},
        {DemoKey::CoalesceKey, id},
    };
}

} // namespace QuantPush
