#pragma once

// A scripted fake push server for PushClient's tests (tests/pushclient and
// tests/pushclient_recovery), and the helpers both test programs share.

#include "client/PushClient.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

namespace QuantPush::PushClientTesting {

// Speaks just enough protocol v1 to drive the client; records every frame.
class FakeServer : public QObject
{
    Q_OBJECT

public:
    struct Received
    {
        int connection;
        QJsonObject frame;
    };

    // Script
    QString validToken = QStringLiteral("good");
    bool sendWelcome = true;
    int refuseWith = 0; // close code for every new connection instead of welcome (the real server's admission)
    bool answerPings = true;
    bool recovered = true;
    QHash<QString, qint64> channelSeq; // "seq" reported in subscribed

    // Record
    QList<Received> received;
    int connections = 0;
    int closedByPeer = 0;
    bool subscribeBeforeAuth = false;

    FakeServer();

    bool listen();
    QUrl url() const;
    // Stop listening so every later connect is refused; the URL stays valid.
    void stop();
    void send(const QJsonObject &frame);
    void closeClients(int code, const QString &reason);
    QList<QJsonObject> frames(const QString &type, int connection = 0) const;
    QStringList typesOn(int connection) const;

private:
    // Like the real server, "seq" in subscribed is the channel's latest seq.
    void noteSeq(const QJsonObject &push);
    QWebSocket *current() const;
    void onNewConnection();
    void reply(QWebSocket *client, const QJsonObject &frame);
    void replyTo(QWebSocket *client, const QJsonObject &request, const QString &type, const QJsonValue &data);
    void error(QWebSocket *client, const QJsonObject &request, const QString &code);
    void onFrame(QWebSocket *client, int index, const QString &text);
    void onAuth(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data);
    void onSubscribe(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data);

    QWebSocketServer m_server;
    quint16 m_port = 0;
    QList<QPointer<QWebSocket>> m_clients;
    QSet<QWebSocket *> m_authenticated;
};

QJsonObject pushFrame(const QString &channel, qint64 seq, bool redelivered = false);
QList<qint64> seqsOf(const QSignalSpy &spy, int argument);
QList<PushClient::State> statesOf(const QSignalSpy &spy);
PushClient::ReconnectPolicy fastPolicy(int maxAttempts = 10);

// Opens the client against the server and waits until every channel is subscribed.
void connectClient(PushClient &client, FakeServer &server, const QStringList &channels,
                   const QJsonObject &filters = {});
// Round trip through the server: everything the client sent before is recorded after.
void flushToServer(PushClient &client, FakeServer &server);

} // namespace QuantPush::PushClientTesting

#define CONNECT_OR_RETURN(...)                   \
    connectClient(__VA_ARGS__);                  \
    if (QTest::currentTestFailed())              \
        return;
