#include "client/ClientFrames.h"

#include "client/WireNames.h"

namespace QuantPush {

using namespace ClientWire;

QJsonObject ClientFrames::request(const QString &type, const QString &id, const QJsonValue &data)
{
    QJsonObject frame;
    frame.insert(Key::Type, type);
    frame.insert(Key::Id, id);
    if (!data.isNull() && !data.isUndefined())
        frame.insert(Key::Data, data);
    return frame;
}

QJsonObject ClientFrames::ping(const QString &id)
{
    QJsonObject frame;
    frame.insert(Key::Type, FrameType::Ping);
    frame.insert(Key::Id, id);
    return frame;
}

QJsonObject ClientFrames::ack(const QString &channel, qint64 seq)
{
    QJsonObject data;
    data.insert(Key::Channel, channel);
    data.insert(Key::Seq, seq);
    QJsonObject frame;
    frame.insert(Key::Type, FrameType::Ack);
    frame.insert(Key::Data, data);
    return frame;
}

QJsonObject ClientFrames::authData(const QString &token, const QString &apiKey)
{
    QJsonObject data;
    if (!token.isEmpty())
        data.insert(Key::Token, token);
    else
        data.insert(Key::ApiKey, apiKey);
    return data;
}

QJsonObject ClientFrames::subscribeData(const QString &channel, const QJsonObject &filters, qint64 since)
{
    QJsonObject data;
    data.insert(Key::Type, channel);
    if (!filters.isEmpty())
        data.insert(Key::Filters, filters);
    if (since >= 0)
        data.insert(Key::Since, since);
    return data;
}

QJsonObject ClientFrames::unsubscribeData(const QString &channel)
{
    QJsonObject data;
    data.insert(Key::Type, channel);
    return data;
}

QJsonObject ClientFrames::publishData(const QString &channel, const QJsonObject &payload, int priority,
                                      const QString &strategy, const QJsonObject &filters, bool dryRun)
{
    QJsonObject data;
    data.insert(Key::Type, channel);
    data.insert(Key::Payload, payload);
    if (priority >= 0)
        data.insert(Key::Priority, priority);
    if (!strategy.isEmpty())
        data.insert(Key::Strategy, strategy);
    if (!filters.isEmpty())
        data.insert(Key::Filters, filters);
    if (dryRun)
        data.insert(Key::DryRun, true);
    return data;
}

QString ClientFrames::idOf(const QJsonObject &frame)
{
    const QJsonValue id = frame.value(Key::Id);
    if (id.isString())
        return id.toString();
    if (id.isDouble())
        return QString::number(id.toInteger());
    return {};
}

} // namespace QuantPush
