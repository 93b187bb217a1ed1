#pragma once

#include <QLoggingCategory>

// The console's one logging category (STYLE.md: one per component).
Q_DECLARE_LOGGING_CATEGORY(lcConsole)
