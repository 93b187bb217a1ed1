#pragma once

#include "TextFrame.h"
#include "config/ServerConfig.h"
#include "protocol/Filter.h"
#include "protocol/Protocol.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

#include <memory>
#include <optional>

// The value types that travel from the broadcaster to the sessions.
namespace QuantPush {

using SessionId = quint64;

// One message as published: stamped with seq and ts, encoded once.
struct PublishedMessage
{
    SubscriptionType channel = SubscriptionType::TradingSignals;
    qint64 seq = 0;
    qint64 ts = 0;  // publish time, µs since the epoch
    int priority = 5;
    std::optional<BroadcastStrategy> strategy; // the publisher's override of the channel's
    QJsonObject data;
    Filter recipientFilter;  // a publisher's narrowing of who gets it
    TextFrame frame;         // the push frame, encoded once for every recipient
    bool released = false;   // left its strategy queue: visible to resume
    int recipients = 0;      // sessions it was handed to when released

    // The frame with "redelivered": true, encoded on the first retry only.
    const TextFrame &redeliveredFrame() const;
    QString coalescingKey() const;

private:
    mutable TextFrame m_redeliveredFrame;
};
using PublishedMessagePtr = std::shared_ptr<PublishedMessage>;

// What a session writes: one text frame shared by all its recipients.
struct OutboundFrame
{
    TextFrame wire;
    SubscriptionType channel = SubscriptionType::TradingSignals;
    qint64 firstSeq = -1;  // range covered, for gap notices
    qint64 lastSeq = -1;
    qint64 publishedAtUs = 0;  // oldest publish time inside, for latency
    SlowConsumerPolicy slowPolicy = SlowConsumerPolicy::Gap;
    // Messages the recipient must acknowledge (acked channels only).
    QList<PublishedMessagePtr> needsAck;
    bool isRedelivery = false;
};

TextFrame encodePush(const PublishedMessage &message, bool redelivered);
OutboundFrame makeGapFrame(SubscriptionType channel, qint64 from, qint64 to);

} // namespace QuantPush
