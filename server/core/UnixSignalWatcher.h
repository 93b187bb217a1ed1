#pragma once

#include <QtCore/QObject>

class QSocketNotifier;

namespace QuantPush {

// Turns SIGINT/SIGTERM (and SIGHUP, the reload) into a Qt signal on the event loop (self-pipe trick),
// so shutdown runs as ordinary slots rather than inside a signal handler.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    void reloadRequested();

private:
    static void handle(int signalNumber);
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace QuantPush
