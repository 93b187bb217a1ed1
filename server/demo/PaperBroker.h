#pragma once

#include "demo/Order.h"
#include "demo/Position.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QRandomGenerator>
#include <QtCore/QString>

#include <optional>

namespace QuantPush {

// A paper-trading venue: accepts limit orders, walks each through its
// lifecycle one step at a time, fills at the limit price and keeps net
// positions with average price and realised PnL. No timers: the caller
// decides when time passes, which keeps it deterministic under test.
class PaperBroker
{
public:
    struct Fill
    {
        QString account;
        QString symbol;
        Side side = Side::Buy;
        double qty = 0;
        double price = 0;
        double realizedPnl = 0; // of the part that reduced the position
        bool reducing = false;  // closed (part of) an existing position
    };

    // What one lifecycle step did: the order's new state and, when it
    // traded, the fill and the position after it.
    struct Step
    {
        Order order;
        std::optional<Fill> fill;
        std::optional<Position> position;
    };

    Order place(const QString &account, const QString &symbol, Side side, double qty, double price,
                qint64 tsMs);
    // Moves the oldest working order one step; nullopt when none is working.
    std::optional<Step> advanceOldest(QRandomGenerator &rng, qint64 tsMs);

    int workingOrderCount() const { return int(m_working.size()); }
    Position position(const QString &account, const QString &symbol) const;
    int openPositionCount() const;
    double realizedPnl() const;
    // Realised plus unrealised PnL, marking each position at `marks`
    // (positions in symbols without a mark count at their average price).
    double equity(const QHash<QString, double> &marks) const;

    // Quantity decimals that make one unit worth a few cents to a few dollars.
    static int qtyDecimals(double price);

private:
    static QString positionKey(const QString &account, const QString &symbol);
    double partialQty(const Order &order, QRandomGenerator &rng) const;
    Step trade(Order &order, double qty, OrderStatus status);
    Fill applyFill(Position &position, Side side, double qty, double price);

    QList<Order> m_working; // oldest first
    QHash<QString, Position> m_positions;
    quint64 m_nextOrderId = 1;
};

} // namespace QuantPush
