#include "LocalBroker.h"

#include "Logging.h"
#include "protocol/Message.h"
#include "protocol/StatsKeys.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

PublishedMessagePtr makePublishedMessage(const PublishRequest &request, qint64 seq, qint64 ts)
{
    auto message = std::make_shared<PublishedMessage>();
    message->channel = request.channel;
    message->seq = seq;
    message->ts = ts;
    message->priority = request.priority;
    message->strategy = request.strategy;
    message->data = request.payload;
    message->recipientFilter = request.recipientFilter;
    message->frame = encodePush(*message, false);
    return message;
}

LocalBroker::LocalBroker(const ServerConfig &config, QObject *parent) : Broker(parent)
{
    for (SubscriptionType channel : allSubscriptionTypes())
        m_channels[std::size_t(channel)].history = std::make_unique<ChannelHistory>(config.channel(channel).historySize);
}

LocalBroker::~LocalBroker() = default;

void LocalBroker::publish(const PublishRequest &request, PublishDone done)
{
    ChannelState &state = m_channels[std::size_t(request.channel)];
    PublishedMessagePtr message = makePublishedMessage(request, ++state.lastSeq, nowMicroseconds());
    state.history->append(message);
    Q_EMIT messageArrived(message);
    if (done)
        done(Outcome {message->seq, message, std::nullopt, {}});
}

void LocalBroker::replay(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done)
{
    const ChannelState &state = m_channels[std::size_t(channel)];
    done(state.lastSeq, state.history->after(since, state.lastSeq, accept));
}

QJsonObject LocalBroker::describe() const
{
    return QJsonObject {{StatsKey::Type, u"local"_s}};
}

QJsonObject LocalBroker::health() const
{
    if (m_fallbackReason.isEmpty())
        return Broker::health();
    // start_without_redis: serving, but alone; a load balancer should know.
    return QJsonObject {
        {u"status"_s, u"degraded"_s},
        {u"broker"_s, u"single node: %1"_s.arg(m_fallbackReason)},
    };
}

} // namespace QuantPush
