#pragma once

#include <QString>

// Number formatting shared by the pages, in the UI locale (digit grouping
// and decimal separator follow the chosen language).
namespace QuantPush::Format {

QString count(qint64 value);
QString rate(double perSecond);           // "1,234" or "12.5" per second, unit left to the caption
QString milliseconds(double ms);          // "0.42 ms", "12.3 ms", "1,204 ms"
QString bytes(qint64 bytes);              // "812 KiB", "85.2 MiB"
QString percent(double value);            // "12.3 %"
QString clockTime(qint64 msSinceEpoch);   // "14:03:27"
QString clockTimeMs(qint64 msSinceEpoch); // "14:03:27.118"

} // namespace QuantPush::Format
