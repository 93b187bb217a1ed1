#include "AuthFlow.h"

#include "Logging.h"
#include "Metrics.h"
#include "Permissions.h"
#include "Session.h"
#include "protocol/JsonKeys.h"
#include "protocol/Requests.h"

#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include "ws/WsConnection.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

AuthFlow::AuthFlow(const ServerConfig &config, const Authenticator *authenticator, const Permissions *permissions,
                   Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_authenticator(authenticator)
    , m_permissions(permissions)
    , m_metrics(metrics)
{
}

void AuthFlow::start(Session &session)
{
    if (!m_config.websocket.authRequired)
        session.setIdentity(m_authenticator->anonymous());
    authenticateFromHandshake(session);
    if (!session.isAuthenticated() && !session.isClosing())
        startTimeout(session);
    if (session.isAuthenticated() && !session.isClosing())
        Q_EMIT authenticated(session.id());
}

void AuthFlow::authenticateFromHandshake(Session &session)
{
    const WsConnection &request = *session.socket();
    Authenticator::Credentials credentials;
    const QByteArray authorization = request.requestHeader("authorization");
    credentials.apiKey = QString::fromLatin1(request.requestHeader("x-api-key"));
    if (authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0) {
        // A JWT has dots; anything else after Bearer is taken as an API key,
        // as on the HTTP API (tools that can only set Authorization).
        const QString bearer = QString::fromLatin1(authorization.mid(7).trimmed());
        if (bearer.contains(u'.'))
            credentials.token = bearer;
        else if (credentials.apiKey.isEmpty())
            credentials.apiKey = bearer;
    }
    if (credentials.token.isEmpty())
        credentials.token = QUrlQuery(session.socket()->requestUrl()).queryItemValue(u"token"_s);
    if (credentials.isEmpty())
        return;
    qCDebug(lcAuthFlow) << "session" << session.id() << "presents credentials in the upgrade request";
    complete(session, m_authenticator->authenticate(credentials), QJsonValue());
}

void AuthFlow::startTimeout(Session &session)
{
    // The timer belongs to the session: it dies with it, and the guard is
    // the timer's own context, not a pointer kept here.
    QTimer::singleShot(m_config.limits.authTimeoutMs, &session, [this, target = &session] {
        if (target->isAuthenticated() || target->isClosing())
            return;
        qCInfo(lcAccess).noquote() << "auth timeout" << target->remoteAddress() << "session" << target->id();
        m_metrics->authFailed(u"timeout"_s);
        target->sendError(ErrorCode::Unauthorized, u"no credentials within %1 ms"_s.arg(m_config.limits.authTimeoutMs));
        target->close(CloseCode::Unauthorized, u"auth timeout"_s);
    });
}

void AuthFlow::handleAuth(Session &session, const Message &message)
{
    const bool anonymous = session.identity().method == Identity::Method::Anonymous;
    if (session.isAuthenticated() && !anonymous) {
        session.sendError(ErrorCode::BadRequest, u"already authenticated"_s, message.id());
        return;
    }
    const Parsed<AuthRequest> request = parseAuthRequest(message.data());
    if (const auto *error = std::get_if<ProtocolError>(&request)) {
        session.sendError(error->code, error->message, message.id());
        return;
    }
    const AuthRequest &auth = std::get<AuthRequest>(request);
    complete(session, m_authenticator->authenticate({auth.token, auth.apiKey}), message.id());
}

void AuthFlow::complete(Session &session, const Authenticator::Outcome &outcome, const QJsonValue &requestId)
{
    const bool knownRole = outcome.identity && m_permissions->knowsRole(outcome.identity->role);
    if (!outcome.identity || !knownRole) {
        const QString reason = outcome.identity ? u"unknown role '%1'"_s.arg(outcome.identity->role) : outcome.reason;
        qCWarning(lcAccess).noquote() << "auth failed" << session.remoteAddress() << "session" << session.id()
                                      << "reason:" << reason;
        m_metrics->authFailed(outcome.identity ? u"unknown_role"_s : reason.section(u':', 0, 0));
        session.sendError(ErrorCode::Unauthorized, u"authentication failed"_s, requestId);
        session.close(CloseCode::Unauthorized, u"unauthorized"_s);
        return;
    }
    session.setIdentity(*outcome.identity);
    qCInfo(lcAccess).noquote() << "auth ok" << session.remoteAddress() << "session" << session.id() << "user"
                               << outcome.identity->user << "role" << outcome.identity->role;
    session.sendMessage(Message::reply(MessageType::AuthOk, requestId, QJsonObject {
        {Key::User, outcome.identity->user},
        {Key::Role, outcome.identity->role},
        {Key::SessionId, session.wireId()},
    }));
    Q_EMIT authenticated(session.id());
}

bool AuthFlow::expireIfDue(Session &session, const QDateTime &wallClock)
{
    const QDateTime expiry = session.identity().expiresAt;
    if (!expiry.isValid() || expiry > wallClock)
        return false;
    // A token is checked when presented; its expiry still ends the session.
    qCInfo(lcAccess).noquote() << "token expired" << session.remoteAddress() << "session" << session.id() << "user"
                               << session.identity().user << "role" << session.identity().role;
    session.sendError(ErrorCode::Unauthorized, u"token expired"_s);
    session.close(CloseCode::Unauthorized, u"token expired"_s);
    return true;
}

bool AuthFlow::recheck(Session &session)
{
    if (session.isClosing() || !session.isAuthenticated())
        return false;
    const Authenticator::Outcome outcome = m_authenticator->recheck(session.identity());
    if (outcome.identity)
        return false;
    qCInfo(lcAccess).noquote() << "credentials no longer valid after reload" << session.remoteAddress() << "session"
                               << session.id() << "user" << session.identity().user << "reason:" << outcome.reason;
    session.sendError(ErrorCode::Unauthorized, u"credentials no longer valid"_s, QJsonValue());
    qCInfo(lcAccess).noquote() << "disconnecting session" << session.id() << "code" << CloseCode::Unauthorized
                               << "reason" << u"unauthorized"_s;
    session.close(CloseCode::Unauthorized, u"unauthorized"_s);
    return true;
}

} // namespace QuantPush
