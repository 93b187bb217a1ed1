#include "HttpApi.h"

#include "Authenticator.h"
#include "Logging.h"
#include "Metrics.h"
#include "Permissions.h"
#include "PrometheusExporter.h"
#include "WebSocketManager.h"
#include "protocol/JsonKeys.h"
#include "protocol/Message.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

std::nullopt_t refuse(std::optional<HttpResponse> *refusal, const HttpResponse &response)
{
    *refusal = response;
    return std::nullopt;
}

} // namespace

HttpApi::HttpApi(WebSocketManager *manager, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_admission(manager->config().http.maxConnections, manager->config().http.maxConnectionsPerIp)
{
    const HttpConfig &http = manager->config().http;
    m_limits.maxBodyBytes = http.maxBodyBytes;
    m_limits.timeoutMs = http.requestTimeoutMs;
    m_routes = {
        { "/healthz", { { "GET", Access::Anyone, &HttpApi::healthz } } },
        { "/metrics", { { "GET", Access::Metrics, &HttpApi::metrics } } },
        { "/websocket/stats", { { "GET", Access::Admin, &HttpApi::stats } } },
        { "/websocket/connections", { { "GET", Access::Admin, &HttpApi::connections } } },
        { "/websocket/broadcast", { { "POST", Access::Admin, &HttpApi::broadcast } } },
    };
    connect(manager, &WebSocketManager::httpRequested, this, &HttpApi::accept);
}

void HttpApi::accept(QTcpSocket *socket, const FrontDoor::RequestHead &head)
{
    auto *connection = new HttpConnection(socket, head, m_limits, this);
    connect(
        connection, &HttpConnection::rejected, this, [this](const HttpRequest &request, const HttpResponse &response) {
            record(request, response.status, response.body.size());
        });
    // Probes and refusals are answered from the head, outside the caps: a
    // client holding slots with slow bodies cannot make /healthz fail, and
    // no body is buffered for a request that would be refused anyway.
    if (std::optional<HttpResponse> early = answerFromHead(connection->request())) {
        connection->answerNow(*early);
        return;
    }
    const QHostAddress peer = connection->request().peer;
    const QString busy = m_admission.admit(peer);
    if (!busy.isEmpty()) {
        connection->answerNow(HttpResponse::error(503, ErrorCode::LimitExceeded, busy).withHeader("Retry-After", "1"));
        return;
    }
    connect(connection, &QObject::destroyed, this, [this, peer] { m_admission.release(peer); });
    connect(connection, &HttpConnection::requestReady, this, &HttpApi::answer);
    connection->start();
}

std::optional<HttpResponse> HttpApi::answerFromHead(const HttpRequest &request)
{
    const auto routes = m_routes.constFind(request.path);
    if (routes == m_routes.constEnd())
        return handle(request); // 404
    for (const Route &route : *routes) {
        if (!route.serves(request.method))
            continue;
        if (std::optional<HttpResponse> refusal = authorise(request, route.access))
            return refusal;
        const bool open = route.access == Access::Anyone
            || (route.access == Access::Metrics && m_manager->config().http.metricsPublic);
        if (open && route.method == "GET")
            return (this->*route.handler)(request);
        return std::nullopt;
    }
    return handle(request); // 405
}

void HttpApi::answer(HttpConnection *connection, const HttpRequest &request)
{
    // A broadcast through a remote broker is answered when the broker has
    // assigned its seq (or refused it).
    if (request.path == "/websocket/broadcast" && request.method == "POST") {
        std::optional<HttpResponse> refusal = authorise(request, Access::Admin);
        if (!refusal) {
            broadcastLater(connection, request);
            return;
        }
        record(request, refusal->status, refusal->body.size());
        connection->respond(*refusal);
        return;
    }
    const HttpResponse response = handle(request);
    record(request, response.status, response.body.size());
    connection->respond(response);
}

HttpResponse HttpApi::handle(const HttpRequest &request)
{
    const auto routes = m_routes.constFind(request.path);
    if (routes == m_routes.constEnd())
        return HttpResponse::error(
            ErrorCode::NotFound, u"no endpoint %1"_s.arg(QString::fromLatin1(request.path.left(200))));
    QByteArrayList allowed;
    for (const Route &route : *routes) {
        if (!route.serves(request.method)) {
            allowed.append(route.method);
            if (route.method == "GET")
                allowed.append("HEAD");
            continue;
        }
        if (std::optional<HttpResponse> refusal = authorise(request, route.access))
            return *refusal;
        return (this->*route.handler)(request);
    }
    return HttpResponse::error(405, ErrorCode::BadRequest,
        u"%1 takes %2"_s.arg(QString::fromLatin1(request.path), QString::fromLatin1(allowed.join(", "))))
        .withHeader("Allow", allowed.join(", "));
}

Authenticator::Credentials HttpApi::credentialsOf(const HttpRequest &request)
{
    Authenticator::Credentials credentials;
    credentials.apiKey = QString::fromLatin1(request.header("x-api-key").trimmed());
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.left(7).compare("bearer ", Qt::CaseInsensitive) != 0)
        return credentials;
    const QByteArray value = authorization.mid(7).trimmed();
    // A JWT is three dot-separated parts; anything else after Bearer is taken
    // as an API key, because scrapers (Prometheus' `authorization:`) can set
    // only this header.
    if (value.count('.') == 2)
        credentials.token = QString::fromLatin1(value);
    else if (credentials.apiKey.isEmpty())
        credentials.apiKey = QString::fromLatin1(value);
    return credentials;
}

std::optional<HttpResponse> HttpApi::authorise(const HttpRequest &request, Access access) const
{
    if (access == Access::Anyone || (access == Access::Metrics && m_manager->config().http.metricsPublic))
        return std::nullopt;
    const auto unauthorized = [](const QString &message) {
        return HttpResponse::error(ErrorCode::Unauthorized, message)
            .withHeader("WWW-Authenticate", "Bearer realm=\"quantpush\"");
    };
    const QByteArray authorization = request.header("authorization").trimmed();
    const bool bearer = authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0;
    // Another scheme (a proxy's Basic, say) is only an error when it is the
    // sole credential; an X-API-Key beside it still counts.
    if (!authorization.isEmpty() && !bearer && request.header("x-api-key").isEmpty())
        return unauthorized(u"only the Bearer scheme is accepted in Authorization"_s);
    const Authenticator::Credentials credentials = credentialsOf(request);

    std::optional<Identity> identity;
    if (!credentials.isEmpty()) {
        const Authenticator::Outcome outcome = m_manager->authenticator()->authenticate(credentials);
        if (!outcome.identity) {
            qCInfo(lcAccess).noquote() << "http auth failed" << request.peer.toString() << request.method
                                       << loggedPath(request.path) << "reason:" << outcome.reason;
            m_manager->metrics()->authFailed(outcome.reason.section(u':', 0, 0));
            return unauthorized(u"authentication failed"_s);
        }
        // Signed and valid, but naming a role this server does not have:
        // refused as over WebSocket (AuthFlow), not judged by the role's name.
        if (!m_manager->permissions()->knowsRole(outcome.identity->role)) {
            qCInfo(lcAccess).noquote() << "http auth failed" << request.peer.toString() << request.method
                                       << loggedPath(request.path) << "reason: unknown role"
                                       << outcome.identity->role;
            m_manager->metrics()->authFailed(u"unknown_role"_s);
            return unauthorized(u"authentication failed"_s);
        }
        identity = outcome.identity;
    } else if (!m_manager->config().websocket.authRequired) {
        identity = m_manager->authenticator()->anonymous();
    }
    if (!identity)
        return unauthorized(u"send an admin JWT as Authorization: Bearer, or an admin API key as X-API-Key"_s);
    if (!m_manager->permissions()->isAdmin(*identity)) {
        qCInfo(lcAccess).noquote() << "http denied" << request.peer.toString() << request.method << loggedPath(request.path)
                                   << "user" << identity->user << "role" << identity->role;
        if (credentials.isEmpty())
            return unauthorized(u"this endpoint needs the admin role: send admin credentials"_s);
        return HttpResponse::error(
            ErrorCode::Forbidden, u"role '%1' may not use %2"_s.arg(identity->role, QString::fromLatin1(request.path)));
    }
    return std::nullopt;
}

QByteArray HttpApi::loggedPath(const QByteArray &path)
{
    // A 16 KB path per line, 4,000 lines in 1.5 s, made 65 MB of log
    // (review, session 26): the start of it is what tells what it was.
    constexpr qsizetype Shown = 200;
    if (path.size() <= Shown)
        return path;
    return path.left(Shown) + "...(" + QByteArray::number(path.size()) + " bytes)";
}

QString HttpApi::routeLabel(const QByteArray &path) const
{
    // Unknown paths share one label: a scanner must not create a series per path.
    return m_routes.contains(path) ? QString::fromLatin1(path) : u"other"_s;
}

void HttpApi::record(const HttpRequest &request, int status, qint64 bytes)
{
    m_manager->metrics()->httpRequestServed(routeLabel(request.path), status);
    // Probes and scrapers every few seconds would drown the log at info.
    if (status == 200 && (request.path == "/healthz" || request.path == "/metrics")) {
        qCDebug(lcHttp).noquote() << request.peer.toString() << request.method << loggedPath(request.path) << status << bytes
                                  << "bytes";
        return;
    }
    qCInfo(lcHttp).noquote() << request.peer.toString() << request.method << loggedPath(request.path) << status << bytes
                             << "bytes";
}

HttpResponse HttpApi::healthz(const HttpRequest &)
{
    return HttpResponse::json(QJsonDocument(m_manager->healthJson()));
}

HttpResponse HttpApi::metrics(const HttpRequest &)
{
    // The same registry and gauges the stats JSON renders: no JSON in between.
    HttpResponse response;
    response.contentType = PrometheusExporter::ContentType;
    response.body = PrometheusExporter::render(*m_manager->metrics(), m_manager->gauges())
        + PrometheusExporter::renderBroker(m_manager->brokerJson());
    return response;
}

HttpResponse HttpApi::stats(const HttpRequest &)
{
    return HttpResponse::json(QJsonDocument(m_manager->statsJson()));
}

HttpResponse HttpApi::connections(const HttpRequest &)
{
    return HttpResponse::json(QJsonDocument(m_manager->connectionsJson()));
}

HttpResponse HttpApi::broadcast(const HttpRequest &request)
{
    std::optional<HttpResponse> answer;
    const std::optional<PublishRequest> publish = parseBroadcast(request, &answer);
    if (!publish)
        return *answer;
    if (publish->dryRun)
        return dryRunAnswer(*publish);
    m_manager->publish(*publish, [this, &answer, request, channel = publish->channel](
                                     const WebSocketManager::PublishResult &result) {
        answer = broadcastAnswer(request, channel, result);
    });
    // The synchronous form (tests, tools) needs a broker that answers at once.
    return answer ? *answer
                  : HttpResponse::error(ErrorCode::Internal, u"the broker answers later; use the HTTP endpoint"_s);
}

void HttpApi::broadcastLater(HttpConnection *connection, const HttpRequest &request)
{
    std::optional<HttpResponse> refusal;
    const std::optional<PublishRequest> publish = parseBroadcast(request, &refusal);
    if (!publish) {
        record(request, refusal->status, refusal->body.size());
        connection->respond(*refusal);
        return;
    }
    if (publish->dryRun) { // counted here, at once: nothing goes to the broker
        const HttpResponse response = dryRunAnswer(*publish);
        record(request, response.status, response.body.size());
        connection->respond(response);
        return;
    }
    m_manager->publish(*publish, [this, guard = QPointer<HttpConnection>(connection), request,
                                  channel = publish->channel](const WebSocketManager::PublishResult &result) {
        const HttpResponse response = broadcastAnswer(request, channel, result);
        record(request, response.status, response.body.size());
        if (guard) // the client may have gone while Redis answered
            guard->respond(response);
    });
}

HttpResponse HttpApi::dryRunAnswer(const PublishRequest &publish) const
{
    return HttpResponse::json(QJsonDocument(QJsonObject {
        { Key::Recipients, m_manager->countRecipients(publish) },
        { Key::DryRun, true },
    }));
}

HttpResponse HttpApi::broadcastAnswer(const HttpRequest &request, SubscriptionType channel,
                                      const WebSocketManager::PublishResult &result)
{
    if (result.error) {
        qCWarning(lcHttp).noquote() << request.peer.toString() << "broadcast on" << wireName(channel)
                                    << "refused:" << result.errorText;
        HttpResponse response = HttpResponse::error(*result.error, result.errorText);
        if (*result.error == ErrorCode::BrokerUnavailable)
            response = response.withHeader("Retry-After", "1");
        return response;
    }
    qCInfo(lcHttp).noquote() << request.peer.toString() << "broadcast on" << wireName(channel) << "seq"
                             << result.seq << "to" << result.recipients << "recipients";
    return HttpResponse::json(QJsonDocument(QJsonObject {
        { Key::Seq, result.seq },
        { Key::Recipients, result.recipients },
    }));
}

std::optional<PublishRequest> HttpApi::parseBroadcast(const HttpRequest &request, std::optional<HttpResponse> *refusal)
{
    const ServerConfig &config = m_manager->config();
    if (jsonNestingDepth(request.body, config.limits.maxJsonDepth) > config.limits.maxJsonDepth)
        return refuse(refusal, HttpResponse::error(
            ErrorCode::BadRequest, u"JSON nested deeper than %1 levels"_s.arg(config.limits.maxJsonDepth)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return refuse(refusal, HttpResponse::error(ErrorCode::BadRequest,
            u"the body is not valid JSON: %1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset)));
    }
    if (!document.isObject())
        return refuse(refusal, HttpResponse::error(ErrorCode::BadRequest, u"the body must be a JSON object"_s));
    const Parsed<PublishRequest> parsed
        = parsePublishRequest(document.object(), FilterLimits { config.limits.maxFilterConditions });
    if (const auto *error = std::get_if<ProtocolError>(&parsed))
        return refuse(refusal, HttpResponse::error(error->code, error->message));
    return std::get<PublishRequest>(parsed);
}

} // namespace QuantPush
