#pragma once

#include "AlertEvent.h"
#include "ServerProfile.h"
#include "client/PushClient.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QPointer>

class QTimer;

namespace QuantPush {

class StatsTimeline;

// The console's headless core: owns the admin PushClient, polls `stats`
// (every second) and `connections` (every 2 s), routes replies by request
// id, and turns system_monitor messages into stats points, process samples
// and alert events. Widgets only talk to it through signals and the few
// request methods below, so a test can drive the real thing.
class ConsoleController : public QObject
{
    Q_OBJECT

public:
    struct Status
    {
        PushClient::State state = PushClient::State::Disconnected;
        QString user;
        QString role;
        int attempt = 0;
        qint64 reconnectAtMs = 0;   // wall clock, while Reconnecting
        int closeCode = 0;          // of the last lost connection
        QString reason;             // server's close reason or error text, as sent
        QString errorCode;          // protocol error code behind a failure, e.g. "unauthorized"
        bool adminDenied = false;   // connected, but the server refused the admin requests
    };

    static constexpr int StatsIntervalMs = 1000;
    static constexpr int ConnectionsIntervalMs = 2000;
    // A stats push this recent makes the next poll redundant.
    static constexpr int PushFreshnessMs = 1500;
    // A reply this late is given up on so polling resumes.
    static constexpr int RequestStaleMs = 5000;
    static constexpr int PingIntervalMs = 5000;
    static constexpr int PongTimeoutMs = 15000;

    explicit ConsoleController(QObject *parent = nullptr);
    ~ConsoleController() override;

    PushClient *client() const { return m_client; }
    // A second connection for the live inspector, created on first use, so a
    // firehose subscription can never slow the admin connection down (or get
    // it closed as a slow consumer). It is replaced on every connectTo().
    PushClient *inspectorClient();
    StatsTimeline *timeline() const { return m_timeline; }
    const Status &status() const { return m_status; }
    ServerProfile profile() const { return m_profile; }
    bool isConnected() const;
    // Session ids of this console's own connections, to mark them in the table.
    QStringList ownSessionIds() const;

    void connectTo(const ServerProfile &profile);
    void disconnectFromServer();
    void refreshConnections();

    // Admin requests; they return the request id, or "" when not connected.
    QString publish(const QString &channel, const QJsonObject &payload, int priority, const QString &strategy,
                    const QJsonObject &filters);
    // A dry run of publish(): answered by recipientsPreviewed, nothing is published.
    QString previewPublish(const QString &channel, const QJsonObject &payload, int priority, const QString &strategy,
                           const QJsonObject &filters);
    QString requestDisconnect(const QString &connectionId, const QString &reason);

Q_SIGNALS:
    void statusChanged(const QuantPush::ConsoleController::Status &status);
    void connectionsUpdated(const QJsonArray &connections);
    void published(const QString &requestId, qint64 seq, qint64 recipients);
    void recipientsPreviewed(const QString &requestId, qint64 recipients);
    void disconnectDone(const QString &requestId, const QString &connectionId);
    void requestFailed(const QString &requestId, const QString &code, const QString &message);
    void alertReceived(const QuantPush::AlertEvent &event);
    void roundTripMeasured(double milliseconds);
    void inspectorClientReset(QuantPush::PushClient *client);

private:
    enum class RequestKind { Stats, Connections, Publish, Preview, Disconnect };
    struct PendingRequest
    {
        RequestKind kind;
        qint64 sentAtMs = 0;
        QString subject; // the connection id of a disconnect
    };

    void wireClient();
    void configure(PushClient *client) const;
    void setStatus(const Status &status);
    void onStateChanged(PushClient::State state);
    void onReply(const QString &id, const QString &type, const QJsonValue &data);
    void onError(const QString &id, const QString &code, const QString &message);
    void onMessage(const QString &channel, qint64 seq, const QJsonObject &data);
    void onStatsTimer();
    void onConnectionsTimer();
    void failPendingRequests();
    QString track(const QString &id, RequestKind kind, const QString &subject = {});
    bool isInFlight(RequestKind kind, qint64 nowMs) const;

    PushClient *m_client;
    QPointer<PushClient> m_inspector;
    StatsTimeline *m_timeline;
    QTimer *m_statsTimer;
    QTimer *m_connectionsTimer;
    ServerProfile m_profile;
    Status m_status;
    QHash<QString, PendingRequest> m_pending;
    qint64 m_lastStatsPushMs = 0;
};

} // namespace QuantPush
