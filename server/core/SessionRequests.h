#pragma once

#include "Delivery.h"
#include "protocol/Protocol.h"
#include "protocol/Requests.h"

#include <QtCore/QJsonValue>
#include <QtCore/QObject>

namespace QuantPush {

class SessionWorkers;
class WebSocketManager;

// Answers what a session asks of the whole server rather than of its own
// connection: publishes (and dry runs), and the admin requests stats,
// connections and disconnect. The answers go back through the session's
// worker; the work is the facade's.
class SessionRequests : public QObject
{
    Q_OBJECT
public:
    SessionRequests(WebSocketManager *server, SessionWorkers *sessions);

    void publish(SessionId session, const QJsonValue &requestId, const PublishRequest &request);
    void admin(SessionId session, const QJsonValue &requestId, MessageType type, const QJsonValue &data);

private:
    void disconnect(SessionId session, const QJsonValue &requestId, const QJsonValue &data);

    WebSocketManager *m_server;
    SessionWorkers *m_sessions;
};

} // namespace QuantPush
