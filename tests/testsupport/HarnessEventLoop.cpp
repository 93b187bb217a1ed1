// Compiled into every Qt Test executable of the project (QuantPushTest.cmake)
// except those that bring their own dispatcher: the in-process servers of
// the tests then run on the same event dispatcher as quantpush-server
// (epoll by default), so the whole suite exercises it.
// QUANTPUSH_TEST_EVENT_LOOP=poll runs the suite on Qt's own dispatcher.
#include "eventloop/EventLoopChoice.h"

#include <QtCore/QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace {

struct InstallHarnessEventLoop
{
    InstallHarnessEventLoop()
    {
        // Before main() and so before the test's QCoreApplication, which
        // is the only time a thread's dispatcher can be chosen.
        const QString name = qEnvironmentVariable("QUANTPUSH_TEST_EVENT_LOOP");
        const std::optional<QuantPush::EventLoopKind> kind = name.isEmpty()
            ? QuantPush::EventLoopChoice::defaultKind()
            : QuantPush::EventLoopChoice::parse(name);
        if (!kind) {
            std::fprintf(stderr, "QUANTPUSH_TEST_EVENT_LOOP: '%s' is not one of epoll, poll\n", qPrintable(name));
            std::exit(2);
        }
        QuantPush::EventLoopChoice::installForMainThread(*kind);
    }
};

const InstallHarnessEventLoop installHarnessEventLoop;

} // namespace
