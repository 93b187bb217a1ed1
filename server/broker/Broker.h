#pragma once

#include "ChannelHistory.h"
#include "Delivery.h"
#include "protocol/Requests.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <functional>
#include <memory>
#include <optional>

namespace QuantPush {

// The seam between the broadcaster and where a channel's seq, ts and history
// live. A publish goes through the broker and comes back on this node as
// `messageArrived` (for Redis: from every node, including this one), and the
// broadcaster runs the strategy queues on what arrives. LocalBroker does all
// of it in process and synchronously; RedisBroker through Redis.
class Broker : public QObject
{
    Q_OBJECT
public:
    explicit Broker(QObject *parent = nullptr) : QObject(parent) { }

    struct Outcome
    {
        qint64 seq = 0;
        // The arrived message when it arrived before the answer (local), so
        // the caller can read its recipient count; null otherwise.
        PublishedMessagePtr message;
        std::optional<ErrorCode> error;
        QString errorText;
    };
    using PublishDone = std::function<void(const Outcome &)>;
    using Accept = std::function<bool(const PublishedMessage &)>;
    // `lastSeq` is the channel's seq on this node when the replay was cut:
    // messages after it arrive live.
    using ReplayDone = std::function<void(qint64 lastSeq, const ChannelHistory::Replay &replay)>;

    // Starts the broker before the server listens; false with a message that
    // names the setting when it cannot.
    virtual bool start(QString *error) = 0;
    virtual void stop() { }

    // Assigns seq and ts, keeps the message in history and fans it out; `done`
    // may run before this returns (LocalBroker always does).
    virtual void publish(const PublishRequest &request, PublishDone done) = 0;
    // Released messages after `since` that pass `accept`; `done` may run
    // before this returns.
    virtual void replay(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done) = 0;
    // Highest seq that arrived on this node.
    virtual qint64 lastSeq(SubscriptionType channel) const = 0;

    // False while publishes cannot be fanned out (Redis lost).
    virtual bool isAvailable() const { return true; }
    // For /healthz: "ok", or "degraded" with a reason.
    virtual QJsonObject health() const;
    // For stats: node id, broker type and (for Redis) the cluster view.
    virtual QJsonObject describe() const = 0;
    // Sessions on this node, reported to the cluster view.
    void setConnectionCounter(std::function<int()> counter) { m_connectionCounter = std::move(counter); }

Q_SIGNALS:
    // A message published through this broker (by any node), in seq order per channel.
    void messageArrived(const QuantPush::PublishedMessagePtr &message);
    // Seqs this node can no longer deliver: subscribers get a gap notice.
    void gap(QuantPush::SubscriptionType channel, qint64 from, qint64 to);
    void availabilityChanged(bool available);

protected:
    int localConnections() const { return m_connectionCounter ? m_connectionCounter() : 0; }

private:
    std::function<int()> m_connectionCounter;
};

// The broker `config.broker` asks for.
std::unique_ptr<Broker> createBroker(const ServerConfig &config);

} // namespace QuantPush
