#pragma once

// Shared by the delivery tests (resume, acks, slowconsumer, shutdown): a real
// server on port 0, a TCP proxy of our own that can cut every connection on
// command, and a hand-made WebSocket client that can stop reading. Header
// only and without Q_OBJECT, so each test just adds this folder to its
// include path.

#include "../testsupport/ClientFrame.h"
#include "Clock.h"
#include "WebSocketManager.h"
#include "client/PushClient.h"
#include "config/ServerConfig.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtCore/QtEndian>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <memory>
#include <unistd.h>

namespace DeliveryKit {

using namespace Qt::Literals::StringLiterals;

// ServerConfig::defaults() made for tests: loopback, any free port, no auth
// (anonymous clients are traders, who may subscribe to every channel).
inline QuantPush::ServerConfig testConfig()
{
    QuantPush::ServerConfig config = QuantPush::ServerConfig::defaults();
    config.websocket.host = u"127.0.0.1"_s;
    config.websocket.port = 0;
    config.websocket.authRequired = false;
    config.auth.anonymousRole = u"trader"_s;
    // Tests of other things publish order updates of any account to
    // anonymous traders; the account scoping tests (hostile, security) turn
    // the fail-closed default back on.
    config.roles[u"trader"_s].requireAccounts = false;
    return config;
}

// With a `clock` (a FakeClock), the broadcaster, heartbeats, ack sweeps and
// rate limits run on it instead of real time.
inline std::unique_ptr<QuantPush::WebSocketManager> startServer(const QuantPush::ServerConfig &config,
                                                                QString *error, QuantPush::Clock *clock = nullptr)
{
    auto server = std::make_unique<QuantPush::WebSocketManager>(config,
                                                                clock ? clock : QuantPush::Clock::system());
    if (!server->start(error))
        return nullptr;
    return server;
}

inline QUrl wsUrl(quint16 port)
{
    return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port));
}

// A payload that is easy to recognise and, with `padding`, big enough to fill
// socket buffers quickly.
inline QJsonObject payload(int n, int padding = 0)
{
    QJsonObject data {{u"n"_s, n}, {u"symbol"_s, u"BTCUSDT"_s}, {u"account"_s, u"ACC-1"_s}};
    if (padding > 0)
        data.insert(u"pad"_s, QString(padding, u'x'));
    return data;
}

inline QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> list;
    for (qint64 seq = from; seq <= to; ++seq)
        list.append(seq);
    return list;
}

// Resident set size of this process, in bytes (0 where /proc is missing).
inline qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

// One row of WebSocketManager::connectionsJson(), by wire id.
inline QJsonObject connectionEntry(const QuantPush::WebSocketManager &server, const QString &sessionId)
{
    const QJsonArray list = server.connectionsJson();
    for (const QJsonValue &entry : list) {
        if (entry.toObject().value(u"id"_s).toString() == sessionId)
            return entry.toObject();
    }
    return {};
}

inline QJsonObject channelStats(const QuantPush::WebSocketManager &server, const QString &channel)
{
    return server.statsJson().value(u"channels"_s).toObject().value(channel).toObject();
}

inline QuantPush::WebSocketManager::PublishResult publishOn(QuantPush::WebSocketManager &server,
                                                           QuantPush::SubscriptionType channel,
                                                           const QJsonObject &data)
{
    using QuantPush::SubscriptionType;
    switch (channel) {
    case SubscriptionType::TradingSignals: return server.broadcastTradingSignal(data);
    case SubscriptionType::StrategyStatus: return server.broadcastStrategyStatus(data);
    case SubscriptionType::MarketData: return server.broadcastMarketData(data);
    case SubscriptionType::SystemMonitor: return server.broadcastSystemMonitor(data);
    case SubscriptionType::OrderUpdates: return server.broadcastOrderUpdate(data);
    case SubscriptionType::PositionUpdates: return server.broadcastPositionUpdate(data);
    case SubscriptionType::RiskAlerts: return server.broadcastRiskAlert(data);
    case SubscriptionType::PerformanceMetrics: return server.broadcastPerformanceMetrics(data);
    }
    return {};
}

// Publishes on a steady QTimer: every tick, `burst` messages on each channel.
class Publisher : public QObject
{
public:
    Publisher(QuantPush::WebSocketManager *server, const QList<QuantPush::SubscriptionType> &channels,
              int intervalMs = 2, int burst = 1, int padding = 0)
        : m_server(server), m_channels(channels), m_burst(burst), m_padding(padding)
    {
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            publishOnce();
            if (m_clock)
                m_clock->advance(m_timer.interval());
        });
    }

    void setServer(QuantPush::WebSocketManager *server) { m_server = server; }
    // With a FakeClock, every tick also moves the server's time on by the
    // interval: batch windows, rate windows and ack deadlines pass as the
    // messages flow, at the pace of the publishing rather than of real time.
    void setClock(QuantPush::FakeClock *clock) { m_clock = clock; }
    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }
    bool isActive() const { return m_timer.isActive(); }

    void publishOnce()
    {
        if (!m_server)
            return;
        for (int i = 0; i < m_burst; ++i) {
            for (QuantPush::SubscriptionType channel : std::as_const(m_channels)) {
                m_last[channel] = publishOn(*m_server, channel, payload(++m_count, m_padding)).seq;
            }
        }
    }

    // The seq of the newest message published on the channel (0: none).
    qint64 last(QuantPush::SubscriptionType channel) const { return m_last.value(channel); }
    int count() const { return m_count; }
    void resetSeqs() { m_last.clear(); }

private:
    QuantPush::WebSocketManager *m_server;
    QList<QuantPush::SubscriptionType> m_channels;
    int m_burst;
    int m_padding;
    int m_count = 0;
    QMap<QuantPush::SubscriptionType, qint64> m_last;
    QuantPush::FakeClock *m_clock = nullptr;
    QTimer m_timer;
};

// Everything a PushClient reports, kept for the assertions.
class ClientRecorder : public QObject
{
public:
    struct Subscribed
    {
        QString channel;
        qint64 seq;
        bool recovered;
    };
    struct Reconnect
    {
        int attempt;
        int delayMs;
    };

    explicit ClientRecorder(QuantPush::PushClient *client)
    {
        using QuantPush::PushClient;
        connect(client, &PushClient::messageReceived, this,
                [this](const QString &channel, const QString &, qint64 seq, qint64, const QJsonObject &,
                       bool isRedelivery) {
                    seqs[channel].append(seq);
                    ++total;
                    if (isRedelivery)
                        ++redelivered;
                });
        connect(client, &PushClient::duplicateDropped, this, [this](const QString &, qint64) { ++duplicates; });
        connect(client, &PushClient::gapDetected, this,
                [this](const QString &channel, qint64, qint64) { gapsDetected.append(channel); });
        connect(client, &PushClient::gapReported, this,
                [this](const QString &channel, qint64, qint64) { gapsReported.append(channel); });
        connect(client, &PushClient::recoveryIncomplete, this,
                [this](const QString &channel, qint64 since) { incomplete.append({channel, since}); });
        connect(client, &PushClient::subscribed, this,
                [this](const QString &channel, const QString &, qint64 seq, bool recovered) {
                    subscribed.append({channel, seq, recovered});
                });
        connect(client, &PushClient::disconnected, this,
                [this](int code, const QString &) { closeCodes.append(code); });
        connect(client, &PushClient::reconnectScheduled, this,
                [this](int attempt, int delayMs) { reconnects.append({attempt, delayMs}); });
    }

    QHash<QString, QList<qint64>> seqs;
    int total = 0;
    int redelivered = 0;
    int duplicates = 0;
    QStringList gapsDetected;
    QStringList gapsReported;
    QList<std::pair<QString, qint64>> incomplete;
    QList<Subscribed> subscribed;
    QList<int> closeCodes;
    QList<Reconnect> reconnects;
};

// Forwards one accepted connection to the server, byte for byte.
class ProxyPipe : public QObject
{
public:
    ProxyPipe(QTcpSocket *client, quint16 upstreamPort, QObject *parent)
        : QObject(parent), m_client(client), m_upstream(new QTcpSocket(this))
    {
        client->setParent(this);
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            connect(m_client, &QTcpSocket::readyRead, this, [this] { m_upstream->write(m_client->readAll()); });
            if (m_client->bytesAvailable() > 0)
                m_upstream->write(m_client->readAll());
        });
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] { m_client->write(m_upstream->readAll()); });
        // A side that closes by itself closes the other after what it sent.
        connect(m_client, &QTcpSocket::disconnected, this, [this] { finish(m_upstream); });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] { finish(m_client); });
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_upstream->state() != QAbstractSocket::ConnectedState)
                cut();
        });
        m_upstream->connectToHost(QHostAddress::LocalHost, upstreamPort);
    }

    // Both sides reset, whatever is in flight is lost: a network failure.
    void cut()
    {
        if (m_cut)
            return;
        m_cut = true;
        m_client->abort();
        m_upstream->abort();
        deleteLater();
    }

private:
    void finish(QTcpSocket *other)
    {
        if (m_cut || m_finishing)
            return;
        m_finishing = true;
        if (other->state() == QAbstractSocket::UnconnectedState) {
            deleteLater();
            return;
        }
        connect(other, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        other->disconnectFromHost();
    }

    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    bool m_cut = false;
    bool m_finishing = false;
};

// A TCP proxy between a client and the server that fails on command.
class FaultProxy : public QObject
{
public:
    explicit FaultProxy(quint16 upstreamPort, QObject *parent = nullptr)
        : QObject(parent), m_upstreamPort(upstreamPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] { acceptPending(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const { return wsUrl(port()); }

    // Resets every open connection, both towards the client and the server.
    void cutAll()
    {
        const QSet<ProxyPipe *> pipes = m_pipes;
        for (ProxyPipe *pipe : pipes)
            pipe->cut();
    }
    // While refusing, a new connection is reset as soon as it is accepted.
    void setRefusing(bool refusing) { m_refusing = refusing; }

    int accepted() const { return m_accepted; }
    int refused() const { return m_refused; }
    int open() const { return int(m_pipes.size()); }

private:
    void acceptPending()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            if (m_refusing) {
                ++m_refused;
                client->abort();
                client->deleteLater();
                continue;
            }
            ++m_accepted;
            auto *pipe = new ProxyPipe(client, m_upstreamPort, this);
            m_pipes.insert(pipe);
            connect(pipe, &QObject::destroyed, this, [this, pipe] { m_pipes.remove(pipe); });
        }
    }

    QTcpServer m_server;
    quint16 m_upstreamPort;
    QSet<ProxyPipe *> m_pipes;
    bool m_refusing = false;
    int m_accepted = 0;
    int m_refused = 0;
};

// A WebSocket client written by hand on a QTcpSocket (RFC 6455 client side,
// text and close frames), so that a test decides when, and whether, it reads.
class RawWebSocket : public QObject
{
public:
    explicit RawWebSocket(QObject *parent = nullptr) : QObject(parent), m_socket(new QTcpSocket(this))
    {
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            if (m_receiveBufferBytes > 0)
                m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_receiveBufferBytes);
            m_socket->write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        });
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            if (m_reading)
                consume();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { m_disconnected = true; });
    }

    // `receiveBufferBytes` > 0 shrinks the kernel's receive buffer (SO_RCVBUF).
    void open(quint16 port, int receiveBufferBytes = 0)
    {
        m_receiveBufferBytes = receiveBufferBytes;
        m_socket->connectToHost(QHostAddress::LocalHost, port);
        if (receiveBufferBytes > 0)
            m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBufferBytes);
    }

    bool isUpgraded() const { return m_upgraded; }
    bool isDisconnected() const { return m_disconnected; }
    QTcpSocket *socket() const { return m_socket; }

    // Stops taking bytes off the socket: Qt's buffer fills up to `bufferBytes`,
    // then the kernel's, then the server has to hold or drop what it sends.
    void pauseReading(qint64 bufferBytes = 4096)
    {
        m_reading = false;
        m_socket->setReadBufferSize(bufferBytes);
    }
    void resumeReading()
    {
        m_reading = true;
        if (m_receiveBufferBytes > 0) // a tiny window would make catching up crawl
            m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4 << 20);
        m_socket->setReadBufferSize(0);
        consume();
    }

    // While paused: takes at most `maxBytes` off the socket, like a client
    // that keeps up only partly.
    void readSome(qint64 maxBytes)
    {
        const QByteArray bytes = m_socket->read(maxBytes);
        m_bytesReceived += bytes.size();
        m_buffer.append(bytes);
        if (m_upgraded)
            parseFrames();
    }

    void sendText(const QByteArray &utf8) { sendFrame(0x1, utf8); }
    void sendJson(const QJsonObject &object) { sendText(QJsonDocument(object).toJson(QJsonDocument::Compact)); }

    // Every text frame received, parsed.
    const QList<QJsonObject> &messages() const { return m_messages; }
    QList<QJsonObject> messagesOfType(const QString &type) const
    {
        QList<QJsonObject> list;
        for (const QJsonObject &message : m_messages) {
            if (message.value(u"type"_s).toString() == type)
                list.append(message);
        }
        return list;
    }
    int closeCode() const { return m_closeCode; } // -1 until a close frame arrived
    qint64 bytesReceived() const { return m_bytesReceived; }

private:
    void sendFrame(quint8 opcode, const QByteArray &payload)
    {
        m_socket->write(QuantPush::Testing::maskedClientFrame(opcode, payload, QRandomGenerator::global()->generate()));
    }

    void consume()
    {
        const QByteArray bytes = m_socket->readAll();
        m_bytesReceived += bytes.size();
        m_buffer.append(bytes);
        if (!m_upgraded) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            if (!m_buffer.startsWith("HTTP/1.1 101")) {
                m_socket->abort();
                return;
            }
            m_upgraded = true;
            m_buffer.remove(0, end + 4);
        }
        parseFrames();
    }

    void parseFrames()
    {
        qsizetype pos = 0;
        for (;;) {
            if (m_buffer.size() - pos < 2)
                break;
            const auto b0 = quint8(m_buffer.at(pos));
            const auto b1 = quint8(m_buffer.at(pos + 1));
            qsizetype header = 2;
            quint64 length = b1 & 0x7f;
            if (length == 126) {
                if (m_buffer.size() - pos < 4)
                    break;
                length = qFromBigEndian<quint16>(m_buffer.constData() + pos + 2);
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() - pos < 10)
                    break;
                length = qFromBigEndian<quint64>(m_buffer.constData() + pos + 2);
                header = 10;
            }
            if (quint64(m_buffer.size() - pos - header) < length)
                break;
            const QByteArray payload = m_buffer.mid(pos + header, qsizetype(length));
            pos += header + qsizetype(length);
            const int opcode = b0 & 0x0f;
            if (opcode == 0x1 || opcode == 0x0) {
                m_fragments.append(payload);
                if (b0 & 0x80) {
                    m_messages.append(QJsonDocument::fromJson(m_fragments).object());
                    m_fragments.clear();
                }
            } else if (opcode == 0x8) {
                m_closeCode = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005;
            } else if (opcode == 0x9) {
                sendFrame(0xA, payload); // pong
            }
        }
        m_buffer.remove(0, pos);
    }

    QTcpSocket *m_socket;
    int m_receiveBufferBytes = 0;
    bool m_reading = true;
    bool m_upgraded = false;
    bool m_disconnected = false;
    int m_closeCode = -1;
    qint64 m_bytesReceived = 0;
    QByteArray m_buffer;
    QByteArray m_fragments;
    QList<QJsonObject> m_messages;
};

} // namespace DeliveryKit
