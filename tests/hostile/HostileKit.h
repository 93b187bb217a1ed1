#pragma once

#include "SeqWatcher.h"
#include "TestServer.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>

#include <functional>

// What every attack in tst_hostile needs: tokens for an auth-required server,
// a feed, a bystander that must see every seq, and probes of what the server
// holds for an attacker.
namespace QuantPush::Testing::Hostile {

inline const QByteArray Secret = QByteArrayLiteral("hostile-test-secret-1d4e7a9c2f5b8e0a3c6f9b2e5a8d1c4f");
inline constexpr int AuthTimeoutMs = 1000;
inline constexpr int WaitMs = 20000; // generous upper bound for a shared CPU, never a timing assertion

// A signed JWT with the claims (an hour's `exp` unless given).
QString token(const QJsonObject &claims, const QByteArray &secret = Secret);
QUrl withToken(const QUrl &url, const QString &jwt);
// The server's WebSocket URL with a viewer's token: the bystanders' login.
QUrl viewerUrl(const WebSocketManager &server);
// testConfig() with auth required, the test secret and account-scoped traders.
ServerConfig authConfig();
QByteArray pingWithId(qsizetype idBytes);
// A POST announcing a 1 MB body that sends 1,000 bytes of it.
QByteArray slowBroadcast(const QByteArray &extraHeaders = {});
int unauthenticatedCount(const WebSocketManager &server);

// Publishes on a steady timer while it lives (strategy_status by default).
class SteadyFeed : public QObject
{
public:
    explicit SteadyFeed(WebSocketManager *server, SubscriptionType channel = SubscriptionType::StrategyStatus,
                        const QJsonObject &data = {{QStringLiteral("strategy"), QStringLiteral("s1")}});
    qint64 stop();

private:
    QTimer m_timer;
    int m_count = 0;
    qint64 m_lastSeq = 0;
};

// A well-behaved client of strategy_status next to the attack, and the feed
// it watches: after the attack it must have received every seq.
class Bystander
{
public:
    Bystander(WebSocketManager *server, const QUrl &url);
    bool isReady() const { return m_watcher.isReady(); }
    // Stops the feed and waits until every seq published arrived, in order,
    // with no gap notice or error; `why` says what was wrong.
    bool servedThroughout(QString *why);

private:
    SeqWatcher m_watcher;
    SteadyFeed m_feed;
};

// Largest `buffered_bytes` of any connection matching `pick`, sampled on a timer.
class BufferSampler : public QObject
{
public:
    BufferSampler(const WebSocketManager *server, std::function<bool(const QJsonObject &)> pick);
    qint64 maxBytes = 0;

private:
    QTimer m_timer;
};

// A raw HTTP request on its own socket, recording the status line's code and
// how long the answer took.
class HttpProbe : public QObject
{
public:
    HttpProbe(quint16 port, const QByteArray &request);
    QTcpSocket socket;
    QByteArray response;
    int status = -1;
    qint64 answeredAfterMs = -1;
    QElapsedTimer clock;
};

} // namespace QuantPush::Testing::Hostile
