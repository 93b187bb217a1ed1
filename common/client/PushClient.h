#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>


#include "client/ReconnectPolicy.h"
#include "client/RequestTracker.h"
#include "client/SubscriptionSet.h"

class QTimer;

namespace QuantPush {

class ClientConnection;
class ReconnectScheduler;

// Client side of QuantPush protocol v1 (see PROTOCOL.md). It owns the
// connection lifecycle so applications never write reconnect logic:
// welcome -> auth -> (re)subscribe with "since", duplicate dropping, loss
// detection, acknowledgements and latency pings. Everything runs on timers
// and socket signals of the caller's thread; nothing blocks.
class PushClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Authenticating, Connected, Reconnecting, Failed };
    Q_ENUM(State)

    // Also usable as QuantPush::ReconnectPolicy.
    using ReconnectPolicy = QuantPush::ReconnectPolicy;

    explicit PushClient(QObject *parent = nullptr);
    ~PushClient() override;

    // Connection settings; they apply from the next connection attempt.
    void setUrl(const QUrl &url);
    // Several nodes of one cluster: each reconnect attempt goes to the next
    // URL, and subscriptions resume there with "since" (a cluster's seq and
    // history are shared, docs/operations.md "Running several nodes").
    void setUrls(const QList<QUrl> &urls);
    QUrl url() const; // the URL of the current (or next) attempt
    void setToken(const QString &jwt);   // sent as {"type":"auth","data":{"token":...}}
    void setApiKey(const QString &key);  // used when no token is set
    void setReconnectPolicy(const ReconnectPolicy &policy);
    ReconnectPolicy reconnectPolicy() const;
    // On by default: the `reconnection` advice in the server's welcome
    // (its websocket.reconnection settings) replaces the policy, field by
    // field, for every later reconnect. setReconnectPolicy() turns it off
    // (an application's explicit policy wins); turn it back on after that
    // to let the server's advice override again.
    void setFollowServerReconnectAdvice(bool follow);
    bool followsServerReconnectAdvice() const;
    void setIgnoreSslErrors(bool ignore); // for self-signed test certificates only
    // Abort and retry when welcome/auth does not complete in time (default 10000).
    void setHandshakeTimeout(int ms);
    // Ask for compressed pushes (?compression=deflate, PROTOCOL.md
    // "Compression") and inflate them transparently; off by default.
    // compressed() says whether the server granted it on this connection.
    void setCompression(bool deflate);
    bool compressionRequested() const;
    bool compressed() const;

    // Acknowledgement: on by default, every message with a seq on an acked
    // channel is acked right after messageReceived (duplicates too, so the
    // server stops redelivering). Turn it off to call ack() yourself.
    void setAutoAck(bool on = true);
    bool autoAck() const;
    void setAckedChannels(const QStringList &channels); // default order_updates, position_updates, risk_alerts
    QStringList ackedChannels() const;
    // Channels whose seq legitimately jumps (rate_limited coalescing, priority
    // reordering); gapDetected is never emitted for them. Default
    // system_monitor, performance_metrics, trading_signals.
    void setGapExemptChannels(const QStringList &channels);
    QStringList gapExemptChannels() const;

    // Periodic ping while connected; 0 (default) = off.
    void setPingInterval(int ms);
    int pingInterval() const;
    // With periodic pings, drop and reconnect when a ping stays unanswered
    // this long (a half-open TCP connection never closes by itself); 0 = off.
    void setPongTimeout(int ms);

    void open();  // no-op while a connection is in progress or up
    void close(); // closes with 1000, cancels any reconnect; State::Disconnected

    State state() const;
    QString sessionId() const;
    QString user() const;
    QString role() const;

    // Subscriptions are remembered and re-sent after every reconnect with
    // "since" = lastSeq(channel). Subscribing again with other filters
    // replaces the subscription. They survive close()/open().
    void subscribe(const QString &channel, const QJsonObject &filters = {});
    void unsubscribe(const QString &channel); // also forgets the channel's seq
    QStringList subscriptions() const;
    qint64 lastSeq(const QString &channel) const; // highest seq seen, -1 if none

    // Requests need State::Connected; they return the request id ("c1",
    // "c2", ...) echoed by replyReceived/errorReceived, or an empty string
    // when not connected.
    QString sendRequest(const QString &type, const QJsonValue &data = {});
    QString publish(const QString &channel, const QJsonObject &payload, int priority = -1,
                    const QString &strategy = {}, const QJsonObject &filters = {});
    // The same request with "dry_run": true: the server answers `published`
    // with the recipients it would reach now and publishes nothing.
    QString publishDryRun(const QString &channel, const QJsonObject &payload, int priority = -1,
                          const QString &strategy = {}, const QJsonObject &filters = {});
    void ack(const QString &channel, qint64 seq);
    void ping(); // pong -> latencyMeasured

signals:
    void stateChanged(PushClient::State state);
    void welcomeReceived(const QJsonObject &data);
    void authenticated(const QString &user, const QString &role, const QString &sessionId);
    void subscribed(const QString &channel, const QString &subscriptionId, qint64 seq, bool recovered);
    void subscriptionFailed(const QString &channel, const QString &code, const QString &message);
    // Batch frames are unpacked: one signal per item, in order.
    void messageReceived(const QString &channel, const QString &type, qint64 seq, qint64 ts,
                         const QJsonObject &data, bool redelivered);
    void gapReported(const QString &channel, qint64 from, qint64 to);       // server "gap" frame
    void gapDetected(const QString &channel, qint64 expected, qint64 got); // client-side seq jump
    void recoveryIncomplete(const QString &channel, qint64 sinceSeq);       // resume lost history
    void replyReceived(const QString &id, const QString &type, const QJsonValue &data);
    void errorReceived(const QString &id, const QString &code, const QString &message);
    void reconnectScheduled(int attempt, int delayMs);
    void latencyMeasured(double rttMs);
    void disconnected(int closeCode, const QString &reason);
    // The connection never opened (refused, unreachable, TLS or handshake
    // failure); `reason` is the socket's error text. A retry may follow.
    void connectionFailed(const QString &reason);
    void duplicateDropped(const QString &channel, qint64 seq);

private:
    using Request = RequestTracker::Request;
    using FrameHandler = void (PushClient::*)(const QJsonObject &frame, const Request &request);
    static const QHash<QString, FrameHandler> &frameHandlers();

    // Connection lifecycle
    void openSocket();
    void onConnectionLost(int qtCloseCode, const QString &qtCloseReason, const QString &errorString, bool wasOpen);
    void releaseConnectionState();
    void scheduleReconnect();
    void onSessionReady();
    void setState(State state);
    bool hasCredentials() const;
    bool isFatalClose(int closeCode) const;

    // Frames
    void dispatch(const QJsonObject &frame);
    void onWelcome(const QJsonObject &frame, const Request &request);
    void onAuthOk(const QJsonObject &frame, const Request &request);
    void onSubscribed(const QJsonObject &frame, const Request &request);
    void onUnsubscribed(const QJsonObject &frame, const Request &request);
    void onPong(const QJsonObject &frame, const Request &request);
    void onError(const QJsonObject &frame, const Request &request);
    void onGap(const QJsonObject &frame, const Request &request);
    void onBatch(const QJsonObject &frame, const Request &request);
    void handlePush(const QJsonObject &frame);
    void applyResumeResult(const QString &channel, const Request &request, qint64 seq, bool hasSeq,
                           bool recovered);

    // Outgoing
    bool sendFrame(const QJsonObject &frame);
    QString sendTracked(const QString &type, const QJsonValue &data, const Request &request);
    void sendAuth();
    void sendSubscribe(const QString &channel);
    void resubscribeAll();
    void maybeAutoAck(const QString &channel, qint64 seq);
    void onPingTimer();

    // Settings
    QString m_token;
    QString m_apiKey;
    bool m_autoAck = true;
    QSet<QString> m_ackedChannels;
    int m_pingIntervalMs = 0;
    int m_pongTimeoutMs = 0;

    // Connection
    State m_state = State::Disconnected;
    ClientConnection *m_connection; // the socket of each attempt, frames in and out
    bool m_welcomed = false;
    bool m_authRejected = false;
    ReconnectScheduler *m_reconnect; // URLs, policy, attempts, the reconnect timer
    QTimer *m_handshakeTimer = nullptr;
    QTimer *m_pingTimer = nullptr;
    QString m_sessionId;
    QString m_user;
    QString m_role;

    // Protocol state
    RequestTracker m_requests;         // ids, requests and pings in flight on this connection
    SubscriptionSet m_subscriptions;   // what to (re)subscribe, each channel's seq
};

} // namespace QuantPush
