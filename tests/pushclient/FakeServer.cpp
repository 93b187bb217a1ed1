#include "FakeServer.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace QuantPush::PushClientTesting {

namespace {

QString pushTypeFor(const QString &channel)
{
    static const QHash<QString, QString> types{
        {u"trading_signals"_s, u"trading_signal"_s}, {u"order_updates"_s, u"order_update"_s},
        {u"position_updates"_s, u"position_update"_s}, {u"risk_alerts"_s, u"risk_alert"_s}};
    return types.value(channel, channel);
}

} // namespace

QJsonObject pushFrame(const QString &channel, qint64 seq, bool redelivered)
{
    QJsonObject data;
    data.insert(u"n"_s, seq);
    QJsonObject frame{{u"type"_s, pushTypeFor(channel)}, {u"channel"_s, channel}, {u"seq"_s, seq},
                      {u"ts"_s, 1700000000000000LL + seq}, {u"data"_s, data}};
    if (redelivered)
        frame.insert(u"redelivered"_s, true);
    return frame;
}

QList<qint64> seqsOf(const QSignalSpy &spy, int argument)
{
    QList<qint64> seqs;
    for (const QList<QVariant> &args : spy)
        seqs.append(args.at(argument).toLongLong());
    return seqs;
}

QList<PushClient::State> statesOf(const QSignalSpy &spy)
{
    QList<PushClient::State> states;
    for (const QList<QVariant> &args : spy)
        states.append(args.at(0).value<PushClient::State>());
    return states;
}

PushClient::ReconnectPolicy fastPolicy(int maxAttempts)
{
    PushClient::ReconnectPolicy policy;
    policy.initialDelayMs = 20;
    policy.maxDelayMs = 80;
    policy.jitterEnabled = false;
    policy.maxAttempts = maxAttempts;
    return policy;
}

void connectClient(PushClient &client, FakeServer &server, const QStringList &channels,
                   const QJsonObject &filters)
{
    QVERIFY(server.listen());
    client.setUrl(server.url());
    client.setReconnectPolicy(fastPolicy());
    QSignalSpy subscribed(&client, &PushClient::subscribed);
    for (const QString &channel : channels)
        client.subscribe(channel, filters);
    client.open();
    QTRY_COMPARE(client.state(), PushClient::State::Connected);
    QTRY_COMPARE(subscribed.count(), channels.size());
}

void flushToServer(PushClient &client, FakeServer &server)
{
    const qsizetype pings = server.frames(u"ping"_s).size();
    client.ping();
    QTRY_COMPARE(server.frames(u"ping"_s).size(), pings + 1);
}

FakeServer::FakeServer() : m_server(u"fake"_s, QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeServer::onNewConnection);
}

bool FakeServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl FakeServer::url() const
{
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port ? m_port : m_server.serverPort());
    url.setPath(u"/ws"_s);
    return url;
}

void FakeServer::stop()
{
    m_port = m_server.serverPort();
    m_server.close();
    closeClients(QWebSocketProtocol::CloseCodeGoingAway, u"bye"_s);
}

void FakeServer::send(const QJsonObject &frame)
{
    noteSeq(frame);
    for (const QJsonValue &item : frame.value(u"data"_s).toArray())
        noteSeq(item.toObject());
    if (QWebSocket *client = current())
        client->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void FakeServer::closeClients(int code, const QString &reason)
{
    for (const QPointer<QWebSocket> &client : std::as_const(m_clients)) {
        if (client)
            client->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    }
}

QList<QJsonObject> FakeServer::frames(const QString &type, int connection) const
{
    QList<QJsonObject> result;
    for (const Received &r : received) {
        if (r.frame.value(u"type"_s).toString() == type && (connection == 0 || r.connection == connection))
            result.append(r.frame);
    }
    return result;
}

QStringList FakeServer::typesOn(int connection) const
{
    QStringList types;
    for (const Received &r : received) {
        if (r.connection == connection)
            types.append(r.frame.value(u"type"_s).toString());
    }
    return types;
}

void FakeServer::noteSeq(const QJsonObject &push)
{
    const QString channel = push.value(u"channel"_s).toString();
    if (!channel.isEmpty() && push.contains(u"seq"_s))
        channelSeq[channel] = std::max(channelSeq.value(channel), push.value(u"seq"_s).toInteger());
}

QWebSocket *FakeServer::current() const
{
    return m_clients.isEmpty() ? nullptr : m_clients.last().data();
}

void FakeServer::onNewConnection()
{
    while (QWebSocket *client = m_server.nextPendingConnection()) {
        const int index = ++connections;
        m_clients.append(client);
        connect(client, &QWebSocket::textMessageReceived, this,
                [this, client, index](const QString &text) { onFrame(client, index, text); });
        connect(client, &QWebSocket::disconnected, this, [this, client] {
            ++closedByPeer;
            client->deleteLater();
        });
        if (refuseWith != 0)
            client->close(static_cast<QWebSocketProtocol::CloseCode>(refuseWith), u"server full"_s);
        else if (sendWelcome)
            reply(client, {{u"type"_s, u"welcome"_s},
                           {u"data"_s, QJsonObject{{u"session_id"_s, u"sess-%1"_s.arg(index)},
                                                   {u"server"_s, u"fake"_s},
                                                   {u"protocol"_s, 1},
                                                   {u"auth_required"_s, !validToken.isEmpty()},
                                                   {u"heartbeat_interval"_s, 30000}}}});
    }
}

void FakeServer::reply(QWebSocket *client, const QJsonObject &frame)
{
    client->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void FakeServer::replyTo(QWebSocket *client, const QJsonObject &request, const QString &type, const QJsonValue &data)
{
    reply(client, {{u"type"_s, type}, {u"id"_s, request.value(u"id"_s)}, {u"data"_s, data}});
}

void FakeServer::error(QWebSocket *client, const QJsonObject &request, const QString &code)
{
    replyTo(client, request, u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, code}});
}

void FakeServer::onFrame(QWebSocket *client, int index, const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    received.append({index, frame});
    const QString type = frame.value(u"type"_s).toString();
    const QJsonObject data = frame.value(u"data"_s).toObject();
    if (type == u"auth"_s)
        onAuth(client, frame, data);
    else if (type == u"subscribe"_s)
        onSubscribe(client, frame, data);
    else if (type == u"ping"_s && answerPings)
        replyTo(client, frame, u"pong"_s, QJsonObject{{u"ts"_s, 1}});
    else if (type == u"publish"_s)
        replyTo(client, frame, u"published"_s, QJsonObject{{u"seq"_s, 7}, {u"recipients"_s, 2}});
    else if (type == u"stats"_s)
        replyTo(client, frame, u"stats"_s, QJsonObject{{u"connections"_s, connections}});
    else if (type == u"unsubscribe"_s)
        replyTo(client, frame, u"unsubscribed"_s, QJsonObject{{u"subscription_id"_s, u"sub"_s}});
    else if (type != u"ack"_s && type != u"ping"_s)
        error(client, frame, u"unknown_type"_s);
}

void FakeServer::onAuth(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data)
{
    if (data.value(u"token"_s).toString() != validToken) {
        error(client, frame, u"unauthorized"_s);
        client->close(static_cast<QWebSocketProtocol::CloseCode>(4001), u"unauthorized"_s);
        return;
    }
    m_authenticated.insert(client);
    replyTo(client, frame, u"auth_ok"_s,
            QJsonObject{{u"user"_s, u"alice"_s}, {u"role"_s, u"trader"_s}, {u"session_id"_s, u"sess-auth"_s}});
}

void FakeServer::onSubscribe(QWebSocket *client, const QJsonObject &frame, const QJsonObject &data)
{
    if (!validToken.isEmpty() && !m_authenticated.contains(client))
        subscribeBeforeAuth = true;
    const QString channel = data.value(u"type"_s).toString();
    if (channel == u"forbidden_channel"_s)
        return error(client, frame, u"forbidden"_s);
    QJsonObject body{{u"subscription_id"_s, QString(u"sub-"_s + channel)},
                     {u"type"_s, channel},
                     {u"seq"_s, channelSeq.value(channel, 0)}};
    if (data.contains(u"since"_s))
        body.insert(u"recovered"_s, recovered);
    replyTo(client, frame, u"subscribed"_s, body);
}

} // namespace QuantPush::PushClientTesting
