#pragma once

// Registers the console's compiled-in icons (resources/console.qrc). The
// resources live in a static library, whose unreferenced objects the linker
// would drop, so every user calls this once before loading ":/icons/...".
void initConsoleResources();
