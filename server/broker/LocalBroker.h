#pragma once

#include "Broker.h"

#include <array>
#include <memory>

namespace QuantPush {

// One node: seq, ts and history in this process; a publish arrives at once.
class LocalBroker : public Broker
{
    Q_OBJECT
public:
    explicit LocalBroker(const ServerConfig &config, QObject *parent = nullptr);
    ~LocalBroker() override;

    bool start(QString *) override { return true; }
    void publish(const PublishRequest &request, PublishDone done) override;
    void replay(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done) override;
    qint64 lastSeq(SubscriptionType channel) const override { return m_channels[std::size_t(channel)].lastSeq; }
    QJsonObject describe() const override;
    // Set when this node serves alone because Redis was unreachable at start.
    void setFallbackReason(const QString &reason) { m_fallbackReason = reason; }
    QJsonObject health() const override;

private:
    struct ChannelState
    {
        qint64 lastSeq = 0;
        std::unique_ptr<ChannelHistory> history;
    };

    std::array<ChannelState, SubscriptionTypeCount> m_channels;
    QString m_fallbackReason;
};

// What every broker stamps on a message it accepts: the strategy override
// travels with it so the delivering node applies it.
PublishedMessagePtr makePublishedMessage(const PublishRequest &request, qint64 seq, qint64 ts);

} // namespace QuantPush
