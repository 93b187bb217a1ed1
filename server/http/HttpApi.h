#pragma once

#include "Authenticator.h"
#include "FrontDoor.h"
#include "HttpAdmission.h"
#include "HttpConnection.h"
#include "HttpRequest.h"
#include "HttpResponse.h"
#include "WebSocketManager.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <optional>

class QTcpSocket;

namespace QuantPush {

class WebSocketManager;

// The REST API and /metrics, on the WebSocket's own port (PROTOCOL.md "HTTP
// endpoints"). The front door routes every non-upgrade request to
// WebSocketManager::httpRequested; connecting to it replaces the manager's
// built-in /healthz-and-404 answer with this table:
//
//   GET  /healthz               anyone
//   GET  /metrics               admin, or anyone with http.metrics_public
//   GET  /websocket/stats       admin
//   GET  /websocket/connections admin
//   POST /websocket/broadcast   admin
class HttpApi : public QObject
{
    Q_OBJECT
public:
    explicit HttpApi(WebSocketManager *manager, QObject *parent = nullptr);

    // The answer to one complete request (public for tests and tools).
    HttpResponse handle(const HttpRequest &request);

private:
    enum class Access { Anyone, Metrics, Admin };
    using Handler = HttpResponse (HttpApi::*)(const HttpRequest &);
    struct Route
    {
        QByteArray method;
        Access access;
        Handler handler;
        // RFC 9110 9.3.2: HEAD is GET without the body.
        bool serves(const QByteArray &requestMethod) const
        {
            return method == requestMethod || (method == "GET" && requestMethod == "HEAD");
        }
    };

    void accept(QTcpSocket *socket, const FrontDoor::RequestHead &head);
    void answer(HttpConnection *connection, const HttpRequest &request);
    // The answer a request gets from its head alone: routing errors, 401/403
    // (credentials are checked before any body is read), /healthz and a
    // public /metrics. Nothing when the body is needed.
    std::optional<HttpResponse> answerFromHead(const HttpRequest &request);
    // Bearer JWT, X-API-Key, or an API key as the Bearer value.
    static Authenticator::Credentials credentialsOf(const HttpRequest &request);
    // Nothing when the request may go on; else the 401/403 to send.
    std::optional<HttpResponse> authorise(const HttpRequest &request, Access access) const;
    QString routeLabel(const QByteArray &path) const;
    // The path as the log shows it: at most 200 bytes and its length.
    static QByteArray loggedPath(const QByteArray &path);
    void record(const HttpRequest &request, int status, qint64 bytes);

    HttpResponse healthz(const HttpRequest &request);
    HttpResponse metrics(const HttpRequest &request);
    HttpResponse stats(const HttpRequest &request);
    HttpResponse connections(const HttpRequest &request);
    HttpResponse broadcast(const HttpRequest &request);
    void broadcastLater(HttpConnection *connection, const HttpRequest &request);
    std::optional<PublishRequest> parseBroadcast(const HttpRequest &request, std::optional<HttpResponse> *refusal);
    // publish dry_run: the recipients it would reach, nothing published.
    HttpResponse dryRunAnswer(const PublishRequest &publish) const;
    HttpResponse broadcastAnswer(const HttpRequest &request, SubscriptionType channel,
                                 const WebSocketManager::PublishResult &result);

    WebSocketManager *m_manager;
    HttpConnection::Limits m_limits;
    HttpAdmission m_admission;
    QHash<QByteArray, QList<Route>> m_routes; // path → one route per method
};

} // namespace QuantPush
