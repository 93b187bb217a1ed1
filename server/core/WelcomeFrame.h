#pragma once

#include "Delivery.h"
#include "config/ServerConfig.h"
#include "protocol/Message.h"

#include <QtCore/QByteArray>

namespace QuantPush {

// The welcome every connection gets first. Only its session id differs
// from one connection to the next, so it is serialized once per setting
// of `compression` and the id is spliced in: building and serializing the
// whole JSON object per connection was a tenth of the server's CPU while
// 10,000 clients connected.
class WelcomeFrame
{
public:
    explicit WelcomeFrame(const WebSocketConfig &websocket);

    // The message's UTF-8 JSON, as Message::serialize() would write it.
    QByteArray forSession(SessionId id, bool compressed) const;

    // The same message built field by field (what the cached bytes are made of).
    static Message build(const WebSocketConfig &websocket, const QString &sessionId, bool compressed);

    // "QuantPush/<version>": the welcome's `server` and the 101's Server header.
    static QString serverName();

private:
    struct Halves
    {
        QByteArray beforeId;
        QByteArray afterId;
    };
    static Halves split(const WebSocketConfig &websocket, bool compressed);

    Halves m_plain;
    Halves m_compressed;
};

} // namespace QuantPush
