#include "ConsoleLogging.h"

Q_LOGGING_CATEGORY(lcConsole, "quantpush.console")
