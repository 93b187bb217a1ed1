#include "ConsoleResources.h"

#include <QtGlobal>

void initConsoleResources()
{
    static bool done = false;
    if (done)
        return;
    done = true;
    // Outside any namespace: Q_INIT_RESOURCE declares a global function.
    Q_INIT_RESOURCE(console);
}
