#pragma once

#include <QtCore/QString>

namespace QuantPush {

enum class Side { Buy, Sell };

inline QString sideName(Side side)
{
    using namespace Qt::Literals::StringLiterals;
    return side == Side::Buy ? u"buy"_s : u"sell"_s;
}

// +1 for a buy, -1 for a sell: the sign of a fill's effect on a position.
inline double sideSign(Side side) { return side == Side::Buy ? 1.0 : -1.0; }

inline Side opposite(Side side) { return side == Side::Buy ? Side::Sell : Side::Buy; }

} // namespace QuantPush
