// quantpush-console: thin entry point; everything lives in quantpush_console_lib.

#include "ConsoleController.h"
#include "ConsoleOptions.h"
#include "ConsoleResources.h"
#include "ConsoleSettings.h"
#include "LanguageManager.h"
#include "MainWindow.h"

#include <QApplication>

#include <cstdio>

using namespace QuantPush;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"QuantPush"_s);
    QApplication::setApplicationName(u"quantpush-console"_s);
    QApplication::setApplicationVersion(QStringLiteral(QUANTPUSH_VERSION));
    QGuiApplication::setDesktopFileName(u"quantpush-console"_s);
    initConsoleResources();

    // The language first, so --help and every message speak it.
    LanguageManager languages;
    const QStringList arguments = QApplication::arguments();
    const QString requested = ConsoleOptions::languageArgument(arguments);
    languages.apply(requested.isEmpty() ? ConsoleSettings::language() : requested);

    QString error;
    const std::optional<ConsoleOptions> options = ConsoleOptions::parse(arguments, &error);
    if (!options) {
        std::fprintf(stderr, "quantpush-console: %s\n", qPrintable(error));
        return 2;
    }
    if (options->helpRequested) {
        std::fputs(qPrintable(options->helpText), stdout);
        return 0;
    }
    if (options->versionRequested) {
        std::printf("quantpush-console %s\n", QUANTPUSH_VERSION);
        return 0;
    }

    ConsoleController controller;
    MainWindow window(&controller, &languages);
    window.show();
    window.start(*options);
    return QApplication::exec();
}
