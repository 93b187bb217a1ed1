#include "WelcomeFrame.h"

#include "protocol/JsonKeys.h"

#include <QtCore/QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

// Stands for the session id while the template is serialized. No other
// field of the welcome is free text (a fixed server name, fixed words,
// numbers and booleans), so the mark occurs exactly once.
constexpr auto IdMark = "QUANTPUSH-SESSION-ID-MARK"_L1;

// websocket.reconnection as sent in welcome: how clients should retry.
QJsonObject reconnectionAdvice(const ReconnectionConfig &advice)
{
    return QJsonObject {
        {Key::Enabled, advice.enabled},
        {Key::MaxAttempts, advice.maxAttempts},
        {Key::InitialDelayMs, advice.initialDelayMs},
        {Key::MaxDelayMs, advice.maxDelayMs},
        {Key::BackoffMultiplier, advice.backoffMultiplier},
        {Key::JitterEnabled, advice.jitterEnabled},
    };
}

} // namespace

WelcomeFrame::WelcomeFrame(const WebSocketConfig &websocket)
    : m_plain(split(websocket, false))
    , m_compressed(split(websocket, true))
{
}

QString WelcomeFrame::serverName()
{
    return u"QuantPush/"_s + QStringLiteral(QUANTPUSH_VERSION);
}

Message WelcomeFrame::build(const WebSocketConfig &websocket, const QString &sessionId, bool compressed)
{
    return Message(MessageType::Welcome, QJsonObject {
        {Key::SessionId, sessionId},
        {Key::Server, serverName()},
        {Key::Protocol, ProtocolVersion},
        {Key::AuthRequired, websocket.authRequired},
        {Key::HeartbeatInterval, websocket.pingIntervalSec * 1000},
        {Key::Compression, compressed ? u"deflate"_s : u"none"_s},
        {Key::Reconnection, reconnectionAdvice(websocket.reconnection)},
    });
}

WelcomeFrame::Halves WelcomeFrame::split(const WebSocketConfig &websocket, bool compressed)
{
    const QByteArray whole = build(websocket, QString(IdMark), compressed).serialize();
    const qsizetype at = whole.indexOf(QByteArrayView(IdMark.data(), IdMark.size()));
    if (at < 0)
        qFatal("WelcomeFrame: the serialized welcome lost its session id mark");
    return {whole.first(at), whole.sliced(at + IdMark.size())};
}

QByteArray WelcomeFrame::forSession(SessionId id, bool compressed) const
{
    const Halves &halves = compressed ? m_compressed : m_plain;
    // Digits only: nothing to escape.
    const QByteArray digits = QByteArray::number(id);
    QByteArray utf8;
    utf8.reserve(halves.beforeId.size() + digits.size() + halves.afterId.size());
    utf8.append(halves.beforeId).append(digits).append(halves.afterId);
    return utf8;
}

} // namespace QuantPush
