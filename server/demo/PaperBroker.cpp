#include "demo/PaperBroker.h"

#include "demo/RandomWalk.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

namespace {

// Lifecycle odds per step, chosen so most orders trade and some do not.
constexpr double NewToPartial = 0.55;
constexpr double NewToFilled = 0.30;  // the rest of New is cancelled
constexpr double PartialToFilled = 0.80; // the rest of PartiallyFilled is cancelled

} // namespace

int PaperBroker::qtyDecimals(double price)
{
    if (price <= 0)
        return 4;
    return qBound(0, int(std::floor(std::log10(price))) + 1, 6);
}

QString PaperBroker::positionKey(const QString &account, const QString &symbol)
{
    return account + u'\n' + symbol;
}

Order PaperBroker::place(const QString &account, const QString &symbol, Side side, double qty,
                         double price, qint64 tsMs)
{
    Order order;
    order.id = u"ORD-%1"_s.arg(m_nextOrderId++, 8, 10, QLatin1Char('0'));
    order.account = account;
    order.symbol = symbol;
    order.side = side;
    order.qty = qty;
    order.price = price;
    order.tsMs = tsMs;
    m_working.append(order);
    return order;
}

std::optional<PaperBroker::Step> PaperBroker::advanceOldest(QRandomGenerator &rng, qint64 tsMs)
{
    if (m_working.isEmpty())
        return std::nullopt;
    Order order = m_working.takeFirst();
    order.tsMs = tsMs;
    const double roll = rng.generateDouble();

    Step step;
    if (order.status == OrderStatus::New && roll < NewToPartial) {
        step = trade(order, partialQty(order, rng), OrderStatus::PartiallyFilled);
    } else if ((order.status == OrderStatus::New && roll < NewToPartial + NewToFilled)
               || (order.status == OrderStatus::PartiallyFilled && roll < PartialToFilled)) {
        step = trade(order, order.remainingQty(), OrderStatus::Filled);
    } else {
        order.status = OrderStatus::Cancelled;
        step.order = order;
    }
    // A partly filled order goes to the back so other orders get their turn.
    if (step.order.isWorking())
        m_working.append(step.order);
    return step;
}

double PaperBroker::partialQty(const Order &order, QRandomGenerator &rng) const
{
    const int decimals = qtyDecimals(order.price);
    const double part = RandomWalk::roundTo(order.qty * (0.2 + 0.6 * rng.generateDouble()), decimals);
    const double unit = std::pow(10.0, -decimals);
    return qBound(unit, part, order.qty - unit);
}

PaperBroker::Step PaperBroker::trade(Order &order, double qty, OrderStatus status)
{
    // An order of a single unit cannot be split: it fills completely.
    if (qty <= 0 || qty >= order.remainingQty()) {
        qty = order.remainingQty();
        status = OrderStatus::Filled;
    }
    const int decimals = qtyDecimals(order.price);
    order.filledQty = RandomWalk::roundTo(order.filledQty + qty, decimals);
    order.status = status;

    Position &position = m_positions[positionKey(order.account, order.symbol)];
    position.account = order.account;
    position.symbol = order.symbol;
    Step step;
    step.fill = applyFill(position, order.side, qty, order.price);
    step.order = order;
    step.position = position;
    return step;
}

PaperBroker::Fill PaperBroker::applyFill(Position &position, Side side, double qty, double price)
{
    Fill fill {position.account, position.symbol, side, qty, price};
    const double signedQty = sideSign(side) * qty;
    const bool sameDirection = position.isFlat() || (position.qty > 0) == (signedQty > 0);
    if (sameDirection) {
        const double total = std::abs(position.qty) + qty;
        position.avgPrice = (std::abs(position.qty) * position.avgPrice + qty * price) / total;
        position.qty = RandomWalk::roundTo(position.qty + signedQty, 8);
        return fill;
    }
    // Reducing: realise PnL on the closed part; a flip opens the rest at `price`.
    const double closed = qMin(qty, std::abs(position.qty));
    const double direction = position.qty > 0 ? 1.0 : -1.0;
    fill.realizedPnl = closed * (price - position.avgPrice) * direction;
    fill.reducing = true;
    position.realizedPnl += fill.realizedPnl;
    position.qty = RandomWalk::roundTo(position.qty + signedQty, 8);
    if (position.isFlat()) {
        position.qty = 0;
        position.avgPrice = 0;
    } else if ((position.qty > 0) != (direction > 0)) {
        position.avgPrice = price;
    }
    return fill;
}

Position PaperBroker::position(const QString &account, const QString &symbol) const
{
    Position flat;
    flat.account = account;
    flat.symbol = symbol;
    return m_positions.value(positionKey(account, symbol), flat);
}

int PaperBroker::openPositionCount() const
{
    int open = 0;
    for (const Position &position : m_positions)
        open += position.isFlat() ? 0 : 1;
    return open;
}

double PaperBroker::realizedPnl() const
{
    double pnl = 0;
    for (const Position &position : m_positions)
        pnl += position.realizedPnl;
    return pnl;
}

double PaperBroker::equity(const QHash<QString, double> &marks) const
{
    double pnl = 0;
    for (const Position &position : m_positions)
        pnl += position.realizedPnl + position.unrealizedPnl(marks.value(position.symbol, position.avgPrice));
    return pnl;
}

} // namespace QuantPush
