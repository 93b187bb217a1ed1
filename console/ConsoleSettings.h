#pragma once

#include <QByteArray>
#include <QString>

namespace QuantPush {

// The console's own preferences in QSettings, behind typed accessors so the
// keys and defaults live in one place.
class ConsoleSettings
{
public:
    static constexpr int DefaultWindowMinutes = 5;
    static constexpr int DefaultInspectorRows = 2000;
    static constexpr int MinInspectorRows = 200;
    static constexpr int MaxInspectorRows = 20000;

    // "" follows the system locale; otherwise "en" or "zh_CN".
    static QString language();
    static void setLanguage(const QString &language);

    static int chartWindowMinutes(); // 1, 5 or 15
    static void setChartWindowMinutes(int minutes);

    static int inspectorRowLimit();
    static void setInspectorRowLimit(int rows);

    static bool desktopNotifications();
    static void setDesktopNotifications(bool on);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray &state);
};

} // namespace QuantPush
