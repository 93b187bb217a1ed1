#pragma once

#include "demo/Side.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace QuantPush {

// Lifecycle: New → PartiallyFilled → Filled, or Cancelled from either
// working state. Filled and Cancelled are final.
enum class OrderStatus { New, PartiallyFilled, Filled, Cancelled };

QString orderStatusName(OrderStatus status);

// A simulated limit order (the order_updates payload).
struct Order
{
    QString id;
    QString account;
    QString symbol;
    Side side = Side::Buy;
    double qty = 0;
    double price = 0; // limit price; fills happen at it
    double filledQty = 0;
    OrderStatus status = OrderStatus::New;
    qint64 tsMs = 0;

    bool isWorking() const { return status == OrderStatus::New || status == OrderStatus::PartiallyFilled; }
    double remainingQty() const { return qty - filledQty; }

    // `key` = order id: coalescing keeps the latest state of each order.
    QJsonObject toJson() const;
};

} // namespace QuantPush
