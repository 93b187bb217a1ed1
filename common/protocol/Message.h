#pragma once

#include "Protocol.h"
#include "ProtocolError.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <optional>
#include <variant>

namespace QuantPush {

// The longest request id (UTF-8 bytes) a reply echoes. A longer id is a
// `bad_request` answered without the id: echoing it would let a client make
// the server hold (and send) as much as it likes for each small request.
inline constexpr qsizetype MaxRequestIdBytes = 128;

struct DecodeLimits
{
    int maxDepth = 32; // nesting of objects and arrays, counted before parsing
};

class Message;
// Either the decoded message or why the frame was refused (with the request
// id when the frame was readable enough to have one, so the error echoes it).
struct DecodeFailure
{
    ProtocolError error;
    QJsonValue id;
};
using DecodeResult = std::variant<Message, DecodeFailure>;

// The protocol envelope as a value type: {type, id?, data?} plus, on pushes,
// channel, seq, ts and redelivered.
class Message
{
public:
    Message() = default;
    explicit Message(MessageType type, QJsonValue data = {}, QJsonValue id = {});

    static Message error(const ProtocolError &error, const QJsonValue &requestId = {});
    static Message reply(MessageType type, const QJsonValue &requestId, QJsonValue data = {});
    static Message push(SubscriptionType channel, qint64 seq, qint64 ts, QJsonValue data);

    MessageType type() const { return m_type; }
    const QJsonValue &id() const { return m_id; }
    const QJsonValue &data() const { return m_data; }
    QJsonObject dataObject() const { return m_data.toObject(); }

    std::optional<SubscriptionType> channel() const { return m_channel; }
    qint64 seq() const { return m_seq; }
    qint64 timestampUs() const { return m_ts; }
    bool redelivered() const { return m_redelivered; }

    void setId(const QJsonValue &id) { m_id = id; }
    void setData(const QJsonValue &data) { m_data = data; }
    void setChannel(SubscriptionType channel) { m_channel = channel; }
    void setSeq(qint64 seq) { m_seq = seq; }
    void setTimestampUs(qint64 ts) { m_ts = ts; }
    void setRedelivered(bool redelivered) { m_redelivered = redelivered; }

    QJsonObject toJson() const;
    // One compact UTF-8 JSON text frame.
    QByteArray serialize() const;
    // Decodes and validates the envelope of a frame a peer sent.
    static DecodeResult unserialize(QByteArrayView frame, const DecodeLimits &limits = {});
    static DecodeResult fromJson(const QJsonObject &object);

private:
    MessageType m_type = MessageType::Error;
    QJsonValue m_id;
    QJsonValue m_data;
    std::optional<SubscriptionType> m_channel;
    qint64 m_seq = -1;
    qint64 m_ts = 0;
    bool m_redelivered = false;
};

// Depth of nested objects/arrays in raw JSON text, scanned without parsing,
// so that a hostile 100,000-deep frame is refused before the parser sees it.
int jsonNestingDepth(QByteArrayView json, int stopAbove);

qint64 nowMicroseconds();

} // namespace QuantPush
