// Connection admission limits of a server with the configuration of
// tests/security, each on a server of its own: the per-address limit
// (1008) and max_connections (1013), the connections already in kept open.

#include "Probe.h"
#include "RawWebSocketClient.h"
#include "SecurityFixture.h"
#include "TestServer.h"
#include "WebSocketManager.h"
#include "config/ServerConfig.h"

#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace QuantPush;
using namespace QuantPush::Testing;
using namespace QuantPush::SecurityTesting;
using namespace Qt::Literals::StringLiterals;

class tst_SecurityLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void perAddressLimit();
    void serverFull();

private:
    ServerConfig m_config;
};

void tst_SecurityLimits::initTestCase()
{
    m_config = securityConfig();
}

void tst_SecurityLimits::perAddressLimit()
{
    ServerConfig config = m_config;
    config.limits.maxConnectionsPerIp = 2;
    const auto server = startServer(config);
    QVERIFY(server);
    Probe first;
    Probe second;
    Probe third;
    for (Probe *probe : {&first, &second}) {
        probe->socket.open(url(server->port()));
        QTRY_VERIFY_WITH_TIMEOUT(probe->has(u"welcome"_s), WaitMs);
    }
    third.socket.open(url(server->port()));
    QTRY_VERIFY_WITH_TIMEOUT(third.closed, WaitMs);
    QCOMPARE(third.closeCode, 1008);
    QVERIFY(!third.has(u"welcome"_s));
    QVERIFY(!first.closed && !second.closed);
}

void tst_SecurityLimits::serverFull()
{
    ServerConfig config = m_config;
    config.websocket.maxConnections = 1;
    const auto server = startServer(config);
    QVERIFY(server);
    Probe first;
    first.socket.open(url(server->port()));
    QTRY_VERIFY_WITH_TIMEOUT(first.has(u"welcome"_s), WaitMs);
    RawWebSocketClient second(server->port());
    QTRY_VERIFY_WITH_TIMEOUT(second.closeCode != -1, WaitMs);
    QVERIFY(second.upgraded);
    QCOMPARE(second.closeCode, 1013);
    QVERIFY(second.texts.isEmpty()); // no welcome
    QVERIFY(!first.closed);
}

QTEST_GUILESS_MAIN(tst_SecurityLimits)
#include "tst_security_limits.moc"
