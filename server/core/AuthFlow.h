#pragma once

#include "Authenticator.h"
#include "Delivery.h"

#include <QtCore/QDateTime>
#include <QtCore/QObject>

namespace QuantPush {

class Message;
class Metrics;
class Permissions;
class Session;

// A session's authentication from welcome to close: credentials in the
// upgrade request (Authorization, X-API-Key, ?token=), the `auth` request,
// the auth timeout (4001), token expiry and the re-check after a key
// rotation. It works on the session its host hands it for the length of a
// call and keeps no pointer to it (the timeout is a timer parented to the
// session).
class AuthFlow : public QObject
{
    Q_OBJECT
public:
    AuthFlow(const ServerConfig &config, const Authenticator *authenticator, const Permissions *permissions,
             Metrics *metrics, QObject *parent = nullptr);

    // Right after welcome: anonymous identity when auth is not required,
    // the handshake's credentials, else the auth timeout.
    void start(Session &session);
    // An `auth` request (the router has checked nothing but the envelope).
    void handleAuth(Session &session, const Message &message);
    // Closes a session whose token has expired; true when it did.
    bool expireIfDue(Session &session, const QDateTime &wallClock);
    // After a key reload: closes a session whose credential no longer
    // verifies (unauthorized, 4001); true when it did.
    bool recheck(Session &session);

Q_SIGNALS:
    // The session's identity changed (also after an anonymous start):
    // routing and permissions must read the new one.
    void authenticated(QuantPush::SessionId session);

private:
    void authenticateFromHandshake(Session &session);
    void startTimeout(Session &session);
    void complete(Session &session, const Authenticator::Outcome &outcome, const QJsonValue &requestId);

    const ServerConfig &m_config;
    const Authenticator *m_authenticator;
    const Permissions *m_permissions;
    Metrics *m_metrics;
};

} // namespace QuantPush
