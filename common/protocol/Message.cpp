#include "Message.h"

#include "JsonKeys.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

#include <chrono>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

Message::Message(MessageType type, QJsonValue data, QJsonValue id)
    : m_type(type), m_id(std::move(id)), m_data(std::move(data))
{
}

Message Message::error(const ProtocolError &error, const QJsonValue &requestId)
{
    return Message(MessageType::Error, error.toJson(), requestId);
}

Message Message::reply(MessageType type, const QJsonValue &requestId, QJsonValue data)
{
    return Message(type, std::move(data), requestId);
}

Message Message::push(SubscriptionType channel, qint64 seq, qint64 ts, QJsonValue data)
{
    Message message(pushTypeOf(channel), std::move(data));
    message.m_channel = channel;
    message.m_seq = seq;
    message.m_ts = ts;
    return message;
}

QJsonObject Message::toJson() const
{
    QJsonObject object {{Key::Type, wireName(m_type)}};
    if (!m_id.isUndefined() && !m_id.isNull())
        object.insert(Key::Id, m_id);
    if (m_channel)
        object.insert(Key::Channel, wireName(*m_channel));
    if (m_seq >= 0)
        object.insert(Key::Seq, m_seq);
    if (m_ts > 0)
        object.insert(Key::Ts, m_ts);
    if (m_redelivered)
        object.insert(Key::Redelivered, true);
    if (!m_data.isUndefined())
        object.insert(Key::Data, m_data);
    return object;
}

QByteArray Message::serialize() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

int jsonNestingDepth(QByteArrayView json, int stopAbove)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '{':
        case '[':
            deepest = std::max(deepest, ++depth);
            if (deepest > stopAbove)
                return deepest;
            break;
        case '}':
        case ']': --depth; break;
        default: break;
        }
    }
    return deepest;
}

namespace {

DecodeFailure failure(ErrorCode code, QString message, QJsonValue id = {})
{
    return DecodeFailure {ProtocolError {code, std::move(message)}, std::move(id)};
}

bool isValidRequestId(const QJsonValue &id)
{
    if (id.isString())
        return true;
    if (!id.isDouble())
        return false;
    // Whole numbers within +-(2^53 - 1) only: every JSON parser (a
    // browser's included) holds those exactly, so the echo is the number
    // sent. Past that, Qt's parser cannot tell 9007199254740993.0 (a double,
    // read as ...992) from an exact integer, and the echo could differ from
    // what was sent. Larger ids must be strings.
    constexpr qint64 MaxSafe = (qint64(1) << 53) - 1;
    const double value = id.toDouble();
    return value >= -double(MaxSafe) && value <= double(MaxSafe) && id.toInteger(0) == id.toInteger(1);
}

} // namespace

DecodeResult Message::unserialize(QByteArrayView frame, const DecodeLimits &limits)
{
    const int depth = jsonNestingDepth(frame, limits.maxDepth);
    if (depth > limits.maxDepth) {
        return failure(ErrorCode::BadRequest,
                       u"JSON nested deeper than %1 levels"_s.arg(limits.maxDepth));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return failure(ErrorCode::BadRequest, u"malformed JSON at offset %1: %2"_s
                                                  .arg(parseError.offset)
                                                  .arg(parseError.errorString()));
    }
    if (!document.isObject())
        return failure(ErrorCode::BadRequest, u"a frame must be a JSON object"_s);
    return fromJson(document.object());
}

DecodeResult Message::fromJson(const QJsonObject &object)
{
    QJsonValue id = object.value(Key::Id);
    if (!id.isUndefined() && !isValidRequestId(id))
        return failure(ErrorCode::BadRequest, u"\"id\" must be a string or an integer within \u00b1(2^53 - 1)"_s);
    if (id.isString() && id.toString().toUtf8().size() > MaxRequestIdBytes)
        return failure(ErrorCode::BadRequest, u"\"id\" longer than %1 bytes"_s.arg(MaxRequestIdBytes));

    const QJsonValue typeValue = object.value(Key::Type);
    if (typeValue.isUndefined())
        return failure(ErrorCode::BadRequest, u"missing \"type\""_s, id);
    if (!typeValue.isString())
        return failure(ErrorCode::BadRequest, u"\"type\" must be a string"_s, id);

    const QString typeName = typeValue.toString();
    const std::optional<MessageType> type = messageTypeFromWire(typeName);
    if (!type)
        return failure(ErrorCode::UnknownType, u"unknown type \"%1\""_s.arg(typeName.left(64)), id);

    const QJsonValue data = object.value(Key::Data);
    if (!data.isUndefined() && !data.isNull() && !data.isObject() && !data.isArray()
        && *type != MessageType::Ping) {
        return failure(ErrorCode::BadRequest, u"\"data\" must be an object or an array"_s, id);
    }

    Message message(*type, data, id);
    if (const QJsonValue channel = object.value(Key::Channel); channel.isString())
        message.m_channel = subscriptionTypeFromWire(channel.toString());
    if (const QJsonValue seq = object.value(Key::Seq); seq.isDouble())
        message.m_seq = seq.toInteger();
    if (const QJsonValue ts = object.value(Key::Ts); ts.isDouble())
        message.m_ts = ts.toInteger();
    message.m_redelivered = object.value(Key::Redelivered).toBool();
    return message;
}

qint64 nowMicroseconds()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace QuantPush
