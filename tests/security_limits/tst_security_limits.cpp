// Connection admission limits of a server with the configuration of
// tests/security, each on a server of its own: the per-address limit
// (1008) and max_connections (1013), the connections already in kept open.

#include "Probe.h"
#include "RawWebSocketClient.h"
#include "SecurityFixture.h"
#include "TestServer.h"
#include "WebSocketManager.h"
#include "config/ServerConfig.h"

#include <QtNetwork/QTcpSocket>
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
    void refusalsPastTheirShareCloseAtOnce();
    void serverFull();
    void pendingHeadsPerAddress();
    void pendingHeadsInAll();

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

void tst_SecurityLimits::refusalsPastTheirShareCloseAtOnce()
{
    // A refused connection waits out the close grace for the peer's answer,
    // holding its descriptor; only as many per address as the address may
    // have connections. Past that the refusal closes once its close frame is
    // written (session 27: one address refused at 11 k/s filled the
    // descriptor table).
    ServerConfig config = m_config;
    config.limits.maxConnectionsPerIp = 1;
    config.limits.closeGraceMs = 10000;
    const auto server = startServer(config);
    QVERIFY(server);
    Probe admitted;
    admitted.socket.open(url(server->port()));
    QTRY_VERIFY_WITH_TIMEOUT(admitted.has(u"welcome"_s), WaitMs);
    RawWebSocketClient lingering(server->port()); // never answers the close
    QTRY_COMPARE_WITH_TIMEOUT(lingering.closeCode, 1008, WaitMs);
    RawWebSocketClient pastShare(server->port());
    QTRY_COMPARE_WITH_TIMEOUT(pastShare.closeCode, 1008, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(pastShare.socket.state(), QAbstractSocket::UnconnectedState, WaitMs);
    QCOMPARE(lingering.socket.state(), QAbstractSocket::ConnectedState); // within its 10 s grace
    QVERIFY(!admitted.closed);
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

namespace {

// `count` connections from `address`, each sending one byte of a request
// head and nothing more (past TCP_DEFER_ACCEPT, short of a head).
std::vector<std::unique_ptr<QTcpSocket>> startHeads(quint16 port, const QHostAddress &address, int count)
{
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < count; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->bind(address, 0);
        socket->connectToHost(QHostAddress::LocalHost, port);
        socket->write("G");
        sockets.push_back(std::move(socket));
    }
    return sockets;
}

int closedByServer(const std::vector<std::unique_ptr<QTcpSocket>> &sockets)
{
    return int(std::count_if(sockets.cbegin(), sockets.cend(), [](const auto &socket) {
        return socket->state() == QAbstractSocket::UnconnectedState;
    }));
}

} // namespace

// Review, session 26: one address held 16,800 descriptors with a byte sent
// on each; connections still sending their head are capped per address
// (max_connections_per_ip) and in all (max_pending_handshakes), past which
// they are closed at once, and a client with a whole request gets in.
void tst_SecurityLimits::pendingHeadsPerAddress()
{
    ServerConfig config = m_config;
    config.limits.maxConnectionsPerIp = 10;
    config.limits.handshakeTimeoutMs = 60000; // only the cap closes them here
    const auto server = startServer(config);
    QVERIFY(server);
    const auto heads = startHeads(server->port(), QHostAddress(u"127.0.0.3"_s), 25);
    QTRY_COMPARE_WITH_TIMEOUT(closedByServer(heads), 15, WaitMs);
    QTest::qWait(300); // and no more than that
    QCOMPARE(closedByServer(heads), 15);
    // Another address, and a client whose request is whole at accept: served.
    const auto others = startHeads(server->port(), QHostAddress(u"127.0.0.4"_s), 5);
    Probe probe;
    probe.socket.open(url(server->port()));
    QTRY_VERIFY_WITH_TIMEOUT(probe.has(u"welcome"_s), WaitMs);
    QCOMPARE(closedByServer(others), 0);
}

void tst_SecurityLimits::pendingHeadsInAll()
{
    ServerConfig config = m_config;
    config.limits.maxPendingHandshakes = 12;
    config.limits.handshakeTimeoutMs = 60000;
    const auto server = startServer(config);
    QVERIFY(server);
    std::vector<std::unique_ptr<QTcpSocket>> heads;
    for (int i = 0; i < 4; ++i) {
        for (auto &socket : startHeads(server->port(), QHostAddress(u"127.0.1.%1"_s.arg(i + 1)), 5))
            heads.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(closedByServer(heads), 8, WaitMs);
    QTest::qWait(300);
    QCOMPARE(closedByServer(heads), 8);
    Probe probe;
    probe.socket.open(url(server->port()));
    QTRY_VERIFY_WITH_TIMEOUT(probe.has(u"welcome"_s), WaitMs);
    // The heads that time out or complete free their places.
    heads.clear();
    const auto later = startHeads(server->port(), QHostAddress(u"127.0.1.9"_s), 3);
    QTest::qWait(300);
    QTRY_COMPARE_WITH_TIMEOUT(closedByServer(later), 0, WaitMs);
}

QTEST_GUILESS_MAIN(tst_SecurityLimits)
#include "tst_security_limits.moc"
