#pragma once

#include "SeqWatcher.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

namespace QuantPush {
class WebSocketManager;
}

namespace QuantPush::Testing {

// A well-behaved client on order_updates of an in-process server (a
// SeqWatcher), and the feed it watches: while it lives the server publishes
// an order update every 5 ms, and whatever another client does meanwhile, it
// must end up with every seq from 1, in order, with no gap notice, no error
// and its connection open. (The hostile tests have their own on
// strategy_status, HostileKit.h.)
class Bystander : public QObject
{
public:
    explicit Bystander(WebSocketManager *server);

    // Subscribed before anything was published: every seq from 1 is owed.
    bool isReady() const { return m_watcher.isReady() && m_watcher.subscribedAt() == 0; }
    // Stops the feed and waits for the last seq published; fails the
    // running test (QTest) with what was wrong.
    void verifySawEverything();

private:
    SeqWatcher m_watcher;
    QTimer m_timer;
    qint64 m_lastSeq = 0;
};

} // namespace QuantPush::Testing
