#pragma once

#include "protocol/Protocol.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <utility>

class QJsonDocument;

namespace QuantPush {

// One HTTP response. Every response closes the connection (no keep-alive):
// the API is for operators and scrapers, a few requests a second at most.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    // A JSON error body {"code","message"}; the status comes from the code
    // (httpStatusOf), except for the HTTP-only statuses (405, 408, 411, 431)
    // which pass theirs explicitly.
    static HttpResponse error(ErrorCode code, const QString &message);
    static HttpResponse error(int status, ErrorCode code, const QString &message);

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value);
    // Status line, headers and body, ready for the socket.
    // Without the body for an answer to HEAD (its headers, Content-Length
    // included, are those GET would get).
    QByteArray serialize(bool withBody = true) const;
};

QByteArray httpReasonPhrase(int status);

} // namespace QuantPush
