#pragma once

#include <QtCore/QString>

#include <optional>

class QAbstractEventDispatcher;
class QThread;

namespace QuantPush {

// Which event dispatcher a server thread runs: Qt's own (poll(2) over every
// socket notifier on every turn) or ours on epoll. Kept selectable so the two
// can be compared in bench/ and a problem in ours can be ruled out in the field.
enum class EventLoopKind { Poll, Epoll };

namespace EventLoopChoice {

// epoll on Linux, the only platform the epoll dispatcher exists on.
EventLoopKind defaultKind();
std::optional<EventLoopKind> parse(const QString &name);
QString name(EventLoopKind kind);

// A new dispatcher of that kind, or nullptr for Poll (Qt then creates its own).
QAbstractEventDispatcher *createDispatcher(EventLoopKind kind);

// The value of --event-loop in argv ("--event-loop X" or "--event-loop=X"),
// read before QCoreApplication exists because the main thread's dispatcher
// must be installed before the application object is created. Empty when absent.
QString fromArguments(int argc, char **argv);

// Installs the dispatcher for the main thread; call before QCoreApplication.
void installForMainThread(EventLoopKind kind);
// Installs it for a QThread that has not been started yet.
void installForThread(QThread *thread, EventLoopKind kind);

} // namespace EventLoopChoice
} // namespace QuantPush
