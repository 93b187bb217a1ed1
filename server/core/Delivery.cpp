#include "Delivery.h"

#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QMutex>

namespace QuantPush {

const TextFrame &PublishedMessage::redeliveredFrame() const
{
    // Sessions on different worker threads may retry the same message at
    // once; retries are rare, so one lock for all messages is enough.
    static QBasicMutex mutex;
    const QMutexLocker lock(&mutex);
    if (m_redeliveredFrame.isEmpty())
        m_redeliveredFrame = encodePush(*this, true);
    return m_redeliveredFrame;
}

QString PublishedMessage::coalescingKey() const
{
    const QJsonValue key = data.value(Key::Key);
    if (key.isString())
        return key.toString();
    if (key.isDouble())
        return QString::number(key.toDouble());
    return {};
}

TextFrame encodePush(const PublishedMessage &message, bool redelivered)
{
    Message push = Message::push(message.channel, message.seq, message.ts, message.data);
    push.setRedelivered(redelivered);
    return TextFrame::fromUtf8(push.serialize());
}

OutboundFrame makeGapFrame(SubscriptionType channel, qint64 from, qint64 to)
{
    Message gap(MessageType::Gap, QJsonObject {{Key::From, from}, {Key::To, to}});
    gap.setChannel(channel);
    OutboundFrame frame;
    frame.wire = TextFrame::fromUtf8(gap.serialize());
    frame.channel = channel;
    return frame;
}

} // namespace QuantPush
