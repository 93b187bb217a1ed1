#include "ConsoleSettings.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr auto KeyLanguage = "ui/language"_L1;
constexpr auto KeyWindowMinutes = "dashboard/windowMinutes"_L1;
constexpr auto KeyInspectorRows = "inspector/rowLimit"_L1;
constexpr auto KeyNotifications = "alerts/desktopNotifications"_L1;
constexpr auto KeyGeometry = "window/geometry"_L1;
constexpr auto KeyState = "window/state"_L1;

int validMinutes(int minutes)
{
    return (minutes == 1 || minutes == 5 || minutes == 15) ? minutes : ConsoleSettings::DefaultWindowMinutes;
}

} // namespace

QString ConsoleSettings::language() { return QSettings().value(KeyLanguage).toString(); }
void ConsoleSettings::setLanguage(const QString &language) { QSettings().setValue(KeyLanguage, language); }

int ConsoleSettings::chartWindowMinutes()
{
    return validMinutes(QSettings().value(KeyWindowMinutes, DefaultWindowMinutes).toInt());
}

void ConsoleSettings::setChartWindowMinutes(int minutes)
{
    QSettings().setValue(KeyWindowMinutes, validMinutes(minutes));
}

int ConsoleSettings::inspectorRowLimit()
{
    return qBound(MinInspectorRows, QSettings().value(KeyInspectorRows, DefaultInspectorRows).toInt(),
                  MaxInspectorRows);
}

void ConsoleSettings::setInspectorRowLimit(int rows)
{
    QSettings().setValue(KeyInspectorRows, qBound(MinInspectorRows, rows, MaxInspectorRows));
}

bool ConsoleSettings::desktopNotifications() { return QSettings().value(KeyNotifications, true).toBool(); }
void ConsoleSettings::setDesktopNotifications(bool on) { QSettings().setValue(KeyNotifications, on); }

QByteArray ConsoleSettings::windowGeometry() { return QSettings().value(KeyGeometry).toByteArray(); }
void ConsoleSettings::setWindowGeometry(const QByteArray &geometry) { QSettings().setValue(KeyGeometry, geometry); }
QByteArray ConsoleSettings::windowState() { return QSettings().value(KeyState).toByteArray(); }
void ConsoleSettings::setWindowState(const QByteArray &state) { QSettings().setValue(KeyState, state); }

} // namespace QuantPush
