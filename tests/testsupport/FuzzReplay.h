#pragma once

#include <QtCore/QObject>

// The replay test of a fuzz target (quantpush_add_fuzz in
// tests/QuantPushTest.cmake): runs the target's LLVMFuzzerTestOneInput over
// every file of its corpus/ and regressions/ folders, one data row each, in
// the normal build with any compiler. A violated invariant traps or aborts,
// which fails the test. The folders and the least number of inputs expected
// come from the target's compile definitions. A target with more to test
// derives from it (Qt Test runs the inherited test functions too).
class FuzzReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};
