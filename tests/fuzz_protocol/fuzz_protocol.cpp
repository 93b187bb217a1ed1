// libFuzzer target for everything a client's bytes reach before any
// permission check: Message::unserialize (depth scan, JSON, envelope), the
// typed request parsers of Requests.h and Filter::parse / Filter::matches.
// The input goes in twice: as a whole frame, and as the bare `data` body, so
// the parsers are reached even when the envelope is wrong. Invariants that
// the server relies on trap (a crash for libFuzzer, a failure for the replay
// test that runs the same function over the corpus in the normal build).
#include "protocol/Filter.h"
#include "protocol/Message.h"
#include "protocol/Requests.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace QuantPush;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr DecodeLimits Decode {16};
constexpr FilterLimits Tight {4, 3};

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// An error a client gets: a bad_request with words in it.
void checkError(const ProtocolError &error)
{
    require(error.code == ErrorCode::BadRequest);
    require(!error.message.isEmpty());
}

void checkFilter(const Filter &filter, const FilterLimits &limits, const QJsonValue &data)
{
    require(filter.conditions().size() <= limits.maxConditions);
    bool emptyMatches = true; // PROTOCOL.md: an absent field matches only exists:false, ne and nin
    for (const Filter::Condition &condition : filter.conditions()) {
        require(!condition.path.isEmpty());
        for (const QString &segment : condition.path)
            require(!segment.isEmpty());
        if (condition.op == Filter::Op::In || condition.op == Filter::Op::Nin)
            require(condition.operand.isArray() && condition.operand.toArray().size() <= limits.maxListSize);
        const bool absentHolds = condition.op == Filter::Op::Ne || condition.op == Filter::Op::Nin
            || (condition.op == Filter::Op::Exists && !condition.operand.toBool());
        emptyMatches = emptyMatches && absentHolds;
    }
    require(filter.matches(QJsonObject()) == emptyMatches);
    // Matching arbitrary data must never crash, whatever its shape.
    filter.matches(data.toObject());
    for (const QJsonValue &value : data.toObject())
        filter.matches(value.toObject());
}

void checkFilterParse(const QJsonValue &spec, const FilterLimits &limits, const QJsonValue &data)
{
    QString error;
    const std::optional<Filter> filter = Filter::parse(spec, &error, limits);
    if (filter)
        checkFilter(*filter, limits, data);
    else
        require(!error.isEmpty());
}

void exercise(const QJsonValue &data)
{
    for (const FilterLimits &limits : {FilterLimits {}, Tight}) {
        if (const auto r = parseSubscribeRequest(data, limits); const auto *e = std::get_if<ProtocolError>(&r)) {
            checkError(*e);
        } else {
            const SubscribeRequest &s = std::get<SubscribeRequest>(r);
            require(!s.since || *s.since >= 0);
            checkFilter(s.filter, limits, data);
        }
        if (const auto r = parsePublishRequest(data, limits); const auto *e = std::get_if<ProtocolError>(&r)) {
            checkError(*e);
        } else {
            const PublishRequest &p = std::get<PublishRequest>(r);
            require(p.priority >= 0 && p.priority <= 9);
            checkFilter(p.recipientFilter, limits, p.payload);
        }
        checkFilterParse(data, limits, data);
        checkFilterParse(data.toObject().value(u"filters"_s), limits, data);
    }
    if (const auto r = parseAuthRequest(data); const auto *e = std::get_if<ProtocolError>(&r))
        checkError(*e);
    else
        require(!std::get<AuthRequest>(r).token.isEmpty() || !std::get<AuthRequest>(r).apiKey.isEmpty());
    if (const auto r = parseUnsubscribeRequest(data); const auto *e = std::get_if<ProtocolError>(&r))
        checkError(*e);
    else
        require(!std::get<UnsubscribeRequest>(r).subscriptionId.isEmpty() || std::get<UnsubscribeRequest>(r).channel);
    if (const auto r = parseAckRequest(data); const auto *e = std::get_if<ProtocolError>(&r))
        checkError(*e);
    else
        require(std::get<AckRequest>(r).seq >= 1);
    if (const auto r = parseDisconnectRequest(data); const auto *e = std::get_if<ProtocolError>(&r))
        checkError(*e);
    else
        require(!std::get<DisconnectRequest>(r).connectionId.isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));

    const DecodeResult decoded = Message::unserialize(input, Decode);
    if (const auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        require(!failure->error.message.isEmpty());
        require(failure->error.code == ErrorCode::BadRequest || failure->error.code == ErrorCode::UnknownType);
        // The echoed id is one a client could have sent: a string or an integer.
        require(failure->id.isUndefined() || failure->id.isNull() || failure->id.isString() || failure->id.isDouble());
    } else {
        const Message &message = std::get<Message>(decoded);
        require(message.id().isUndefined() || message.id().isString() || message.id().isDouble());
        exercise(message.data());
        // What the server re-encodes decodes to the same message.
        const DecodeResult again = Message::unserialize(message.serialize(), Decode);
        const auto *copy = std::get_if<Message>(&again);
        require(copy != nullptr);
        require(copy->type() == message.type());
        require(copy->id() == message.id());
        require(copy->data() == message.data() || (message.data().isNull() && copy->data().isUndefined()));
    }

    // The same bytes as a bare body, so the parsers see shapes the envelope refuses.
    if (jsonNestingDepth(input, Decode.maxDepth) <= Decode.maxDepth) {
        const QJsonDocument document = QJsonDocument::fromJson(input.toByteArray());
        if (document.isObject())
            exercise(document.object());
        else if (document.isArray())
            exercise(document.array());
    }
    return 0;
}
