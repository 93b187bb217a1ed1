#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtNetwork/QHostAddress>

namespace QuantPush {

// One HTTP request as HttpConnection read it: the head the front door parsed
// plus the body (Content-Length bytes, never more than http.max_body_bytes).
struct HttpRequest
{
    QByteArray method;
    QByteArray path; // the target without its query
    QByteArray query; // after '?', undecoded
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QHostAddress peer;

    QByteArray header(const QByteArray &lowerCaseName) const { return headers.value(lowerCaseName); }
};

} // namespace QuantPush
