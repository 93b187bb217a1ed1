#include "Bystander.h"

#include "TestServer.h"
#include "WebSocketManager.h"

#include <QtTest/QTest>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

Bystander::Bystander(WebSocketManager *server)
    : m_watcher(webSocketUrl(*server), u"order_updates"_s)
{
    // Publishing starts once subscribed: every seq from 1 is then owed.
    connect(&m_timer, &QTimer::timeout, this, [this, server] {
        m_lastSeq = server->broadcastOrderUpdate({{u"account"_s, u"A1"_s}, {u"n"_s, m_lastSeq + 1}}).seq;
    });
    m_timer.start(5);
}

void Bystander::verifySawEverything()
{
    QTest::qWait(50);
    m_timer.stop();
    QVERIFY(m_lastSeq > 0);
    QString why;
    // Generous: the machine running the suite may be busy.
    const bool served = QTest::qWaitFor([&] { return m_watcher.sawEverythingUpTo(m_lastSeq, &why); }, 20000);
    QVERIFY2(served, qPrintable(why));
}

} // namespace QuantPush::Testing
