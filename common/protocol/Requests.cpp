#include "Requests.h"

#include "JsonKeys.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

ProtocolError badRequest(QString message)
{
    return ProtocolError {ErrorCode::BadRequest, std::move(message)};
}

std::optional<ProtocolError> requireObject(const QJsonValue &data, QStringView request)
{
    if (data.isObject())
        return std::nullopt;
    return badRequest(u"%1: \"data\" must be an object"_s.arg(request));
}

bool isInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    // Integers are kept exactly (qint64) by Qt's parser; toInteger() falls back
    // to its argument for fractions and out-of-range values, so two different
    // fallbacks agree only for a real integer.
    return value.toInteger(0) == value.toInteger(1);
}

Parsed<SubscriptionType> channelField(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return badRequest(u"missing \"%1\" (a channel name)"_s.arg(key));
    if (!value.isString())
        return badRequest(u"\"%1\" must be a channel name string"_s.arg(key));
    const std::optional<SubscriptionType> channel = subscriptionTypeFromWire(value.toString());
    if (!channel)
        return badRequest(u"unknown channel \"%1\""_s.arg(value.toString().left(64)));
    return *channel;
}

} // namespace

Parsed<AuthRequest> parseAuthRequest(const QJsonValue &data)
{
    if (auto error = requireObject(data, u"auth"))
        return *error;
    const QJsonObject object = data.toObject();
    const QJsonValue token = object.value(Key::Token);
    const QJsonValue apiKey = object.value(Key::ApiKey);
    if (!token.isUndefined() && !token.isString())
        return badRequest(u"auth: \"token\" must be a string"_s);
    if (!apiKey.isUndefined() && !apiKey.isString())
        return badRequest(u"auth: \"api_key\" must be a string"_s);
    if (token.toString().isEmpty() && apiKey.toString().isEmpty())
        return badRequest(u"auth: give \"token\" or \"api_key\""_s);
    return AuthRequest {token.toString(), apiKey.toString()};
}

Parsed<SubscribeRequest> parseSubscribeRequest(const QJsonValue &data, const FilterLimits &limits)
{
    if (auto error = requireObject(data, u"subscribe"))
        return *error;
    const QJsonObject object = data.toObject();
    SubscribeRequest request;
    const auto channel = channelField(object, Key::Type);
    if (const auto *error = std::get_if<ProtocolError>(&channel))
        return *error;
    request.channel = std::get<SubscriptionType>(channel);

    QString filterError;
    const std::optional<Filter> filter = Filter::parse(object.value(Key::Filters), &filterError, limits);
    if (!filter)
        return badRequest(filterError);
    request.filter = *filter;

    const QJsonValue since = object.value(Key::Since);
    if (!since.isUndefined() && !since.isNull()) {
        if (!isInteger(since) || since.toInteger() < 0)
            return badRequest(u"subscribe: \"since\" must be a non-negative integer"_s);
        request.since = since.toInteger();
    }
    return request;
}

Parsed<UnsubscribeRequest> parseUnsubscribeRequest(const QJsonValue &data)
{
    if (auto error = requireObject(data, u"unsubscribe"))
        return *error;
    const QJsonObject object = data.toObject();
    UnsubscribeRequest request;
    const QJsonValue id = object.value(Key::SubscriptionId);
    if (!id.isUndefined()) {
        if (!id.isString() || id.toString().isEmpty())
            return badRequest(u"unsubscribe: \"subscription_id\" must be a non-empty string"_s);
        request.subscriptionId = id.toString();
        return request;
    }
    if (!object.contains(Key::Type))
        return badRequest(u"unsubscribe: give \"subscription_id\" or \"type\""_s);
    const auto channel = channelField(object, Key::Type);
    if (const auto *error = std::get_if<ProtocolError>(&channel))
        return *error;
    request.channel = std::get<SubscriptionType>(channel);
    return request;
}

Parsed<AckRequest> parseAckRequest(const QJsonValue &data)
{
    if (auto error = requireObject(data, u"ack"))
        return *error;
    const QJsonObject object = data.toObject();
    const auto channel = channelField(object, Key::Channel);
    if (const auto *error = std::get_if<ProtocolError>(&channel))
        return *error;
    const QJsonValue seq = object.value(Key::Seq);
    if (!isInteger(seq) || seq.toInteger() < 1)
        return badRequest(u"ack: \"seq\" must be a positive integer"_s);
    return AckRequest {std::get<SubscriptionType>(channel), seq.toInteger()};
}

Parsed<PublishRequest> parsePublishRequest(const QJsonValue &data, const FilterLimits &limits)
{
    if (auto error = requireObject(data, u"publish"))
        return *error;
    const QJsonObject object = data.toObject();
    PublishRequest request;
    const auto channel = channelField(object, Key::Type);
    if (const auto *error = std::get_if<ProtocolError>(&channel))
        return *error;
    request.channel = std::get<SubscriptionType>(channel);

    const QJsonValue payload = object.value(Key::Payload);
    if (!payload.isObject())
        return badRequest(u"publish: \"payload\" must be an object"_s);
    request.payload = payload.toObject();

    const QJsonValue priority = object.value(Key::Priority);
    if (!priority.isUndefined() && !priority.isNull()) {
        if (!isInteger(priority) || priority.toInteger() < 0 || priority.toInteger() > 9)
            return badRequest(u"publish: \"priority\" must be an integer 0..9"_s);
        request.priority = int(priority.toInteger());
    }

    const QJsonValue strategy = object.value(Key::Strategy);
    if (!strategy.isUndefined() && !strategy.isNull()) {
        const auto parsed = strategy.isString() ? broadcastStrategyFromWire(strategy.toString())
                                                : std::nullopt;
        if (!parsed) {
            return badRequest(u"publish: \"strategy\" must be one of immediate, batched, "
                              "priority_queue, rate_limited"_s);
        }
        request.strategy = parsed;
    }

    QString filterError;
    const std::optional<Filter> filter = Filter::parse(object.value(Key::Filters), &filterError, limits);
    if (!filter)
        return badRequest(filterError);
    request.recipientFilter = *filter;

    const QJsonValue dryRun = object.value(Key::DryRun);
    if (!dryRun.isUndefined() && !dryRun.isNull()) {
        if (!dryRun.isBool())
            return badRequest(u"publish: \"dry_run\" must be true or false"_s);
        request.dryRun = dryRun.toBool();
    }
    return request;
}

Parsed<DisconnectRequest> parseDisconnectRequest(const QJsonValue &data)
{
    if (auto error = requireObject(data, u"disconnect"))
        return *error;
    const QJsonObject object = data.toObject();
    const QJsonValue id = object.value(Key::ConnectionId);
    if (!id.isString() || id.toString().isEmpty())
        return badRequest(u"disconnect: \"connection_id\" must be a non-empty string"_s);
    const QJsonValue reason = object.value(Key::Reason);
    if (!reason.isUndefined() && !reason.isString())
        return badRequest(u"disconnect: \"reason\" must be a string"_s);
    return DisconnectRequest {id.toString(), reason.toString()};
}

} // namespace QuantPush
