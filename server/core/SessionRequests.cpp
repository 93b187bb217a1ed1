#include "SessionRequests.h"

#include "SessionWorkers.h"
#include "WebSocketManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QPointer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

SessionRequests::SessionRequests(WebSocketManager *server, SessionWorkers *sessions)
    : QObject(server)
    , m_server(server)
    , m_sessions(sessions)
{
}

void SessionRequests::publish(SessionId session, const QJsonValue &requestId, const PublishRequest &request)
{
    if (request.dryRun) {
        m_sessions->sendMessage(session, Message::reply(MessageType::Published, requestId, QJsonObject {
            {Key::Recipients, m_server->countRecipients(request)},
            {Key::DryRun, true},
        }));
        return;
    }
    m_server->publish(request, [this, guard = QPointer<SessionRequests>(this), session,
                                requestId](const WebSocketManager::PublishResult &result) {
        if (!guard || !m_sessions->contains(session))
            return;
        if (result.error) {
            m_sessions->sendError(session, *result.error, result.errorText, requestId);
            return;
        }
        m_sessions->sendMessage(session, Message::reply(MessageType::Published, requestId, QJsonObject {
            {Key::Seq, result.seq},
            {Key::Recipients, result.recipients},
        }));
    });
}

void SessionRequests::admin(SessionId session, const QJsonValue &requestId, MessageType type, const QJsonValue &data)
{
    switch (type) {
    case MessageType::Stats:
        m_sessions->sendMessage(session, Message::reply(MessageType::Stats, requestId, m_server->statsJson()));
        return;
    case MessageType::Connections:
        m_sessions->sendMessage(session,
                                Message::reply(MessageType::Connections, requestId, m_server->connectionsJson()));
        return;
    case MessageType::Disconnect:
        disconnect(session, requestId, data);
        return;
    default:
        m_sessions->sendError(session, ErrorCode::Internal, u"unhandled admin request"_s, requestId);
    }
}

void SessionRequests::disconnect(SessionId session, const QJsonValue &requestId, const QJsonValue &data)
{
    const Parsed<DisconnectRequest> request = parseDisconnectRequest(data);
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        m_sessions->sendError(session, error->code, error->message, requestId);
        return;
    }
    const DisconnectRequest &disconnect = std::get<DisconnectRequest>(request);
    if (!m_sessions->find(disconnect.connectionId)) {
        m_sessions->sendError(session, ErrorCode::NotFound,
                              u"no connection \"%1\""_s.arg(disconnect.connectionId.left(64)), requestId);
        return;
    }
    // Answered first: an admin may disconnect its own connection.
    m_sessions->sendMessage(session, Message::reply(MessageType::Disconnected, requestId,
                                                    QJsonObject {{Key::ConnectionId, disconnect.connectionId}}));
    m_server->disconnectClient(disconnect.connectionId, disconnect.reason);
}

} // namespace QuantPush
