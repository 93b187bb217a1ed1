#include "UnixSignalWatcher.h"

#include <QtCore/QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace QuantPush {
namespace {
int g_pipe[2] = {-1, -1};
} // namespace

UnixSignalWatcher::UnixSignalWatcher(QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0)
        return;
    m_notifier = new QSocketNotifier(g_pipe[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        int signalNumber = 0;
        if (::read(g_pipe[1], &signalNumber, sizeof signalNumber) != sizeof signalNumber)
            return;
        if (signalNumber == SIGHUP)
            Q_EMIT reloadRequested();
        else
            Q_EMIT terminationRequested(signalNumber);
    });
    struct sigaction action = {};
    action.sa_handler = &UnixSignalWatcher::handle;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGHUP, &action, nullptr);
}

UnixSignalWatcher::~UnixSignalWatcher()
{
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
}

void UnixSignalWatcher::handle(int signalNumber)
{
    // Only async-signal-safe work here: hand the number to the event loop.
    [[maybe_unused]] const auto written = ::write(g_pipe[0], &signalNumber, sizeof signalNumber);
}

} // namespace QuantPush
