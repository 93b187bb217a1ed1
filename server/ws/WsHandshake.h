#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QHash>

namespace QuantPush {

// The server side of the RFC 6455 opening handshake, decided from a request
// head the front door already read: either the 101 answer to write, or the
// HTTP error (400, or 426 for another protocol version) and why.
class WsHandshake
{
public:
    struct Outcome
    {
        bool accepted = false;
        int status = 101;
        QByteArray response; // the complete answer, head (and body) included
        QByteArray error;    // why it was refused (also the body of the error)
    };

    // `method` as sent; `headers` keyed by lower-case name (FrontDoor::RequestHead).
    static Outcome answer(QByteArrayView method, const QHash<QByteArray, QByteArray> &headers,
                          QByteArrayView serverName);

    // base64(SHA-1(key + the RFC's GUID)).
    static QByteArray acceptFor(QByteArrayView key);
    // True when the comma-separated token list `value` holds `token` (case-insensitively).
    static bool hasToken(QByteArrayView value, QByteArrayView token);
};

} // namespace QuantPush
