// main() of a fuzz target's replay test that has nothing but the replay
// (quantpush_add_fuzz without REPLAY_SOURCES).
#include "FuzzReplay.h"

#include <QtTest/QTest>

QTEST_GUILESS_MAIN(FuzzReplay)
