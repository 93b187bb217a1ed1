#include "Formatting.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace QuantPush::Format {

QString count(qint64 value) { return QLocale().toString(value); }

QString rate(double perSecond)
{
    return QLocale().toString(perSecond, 'f', perSecond >= 100 ? 0 : 1);
}

QString milliseconds(double ms)
{
    const int decimals = ms >= 100 ? 0 : ms >= 10 ? 1 : 2;
    return QLocale().toString(ms, 'f', decimals) + u" ms"_s;
}

QString bytes(qint64 bytes)
{
    static const char16_t *const units[] = {u"B", u"KiB", u"MiB", u"GiB", u"TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return QLocale().toString(value, 'f', unit == 0 || value >= 100 ? 0 : 1) + u' ' + QString::fromUtf16(units[unit]);
}

QString percent(double value) { return QLocale().toString(value, 'f', 1) + u" %"_s; }

QString clockTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(u"HH:mm:ss"_s);
}

QString clockTimeMs(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(u"HH:mm:ss.zzz"_s);
}

} // namespace QuantPush::Format
