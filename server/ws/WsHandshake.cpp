#include "WsHandshake.h"

#include <QtCore/QCryptographicHash>

namespace QuantPush {

namespace {

QByteArray refusal(int status, QByteArrayView statusText, QByteArrayView error, QByteArrayView extraHeaders = {})
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText.toByteArray() + "\r\n";
    out += extraHeaders.toByteArray();
    out += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(error.size() + 1)
        + "\r\nConnection: close\r\n\r\n";
    out += error.toByteArray() + '\n';
    return out;
}

WsHandshake::Outcome refused(int status, QByteArrayView statusText, QByteArrayView error,
                             QByteArrayView extraHeaders = {})
{
    WsHandshake::Outcome outcome;
    outcome.status = status;
    outcome.error = error.toByteArray();
    outcome.response = refusal(status, statusText, error, extraHeaders);
    return outcome;
}

} // namespace

bool WsHandshake::hasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        if (value.sliced(start, comma - start).trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = comma + 1;
    }
    return false;
}

QByteArray WsHandshake::acceptFor(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return sha1.result().toBase64();
}

WsHandshake::Outcome WsHandshake::answer(QByteArrayView method, const QHash<QByteArray, QByteArray> &headers,
                                         QByteArrayView serverName)
{
    if (method != "GET") {
        WsHandshake::Outcome outcome = refused(400, "Bad Request", "WebSocket upgrade must use GET");
        if (method == "HEAD") // an answer to HEAD has no body (RFC 9110 9.3.2)
            outcome.response.truncate(outcome.response.indexOf("\r\n\r\n") + 4);
        return outcome;
    }
    if (headers.value("upgrade").trimmed().compare("websocket", Qt::CaseInsensitive) != 0)
        return refused(400, "Bad Request", "Upgrade header must be websocket");
    if (!hasToken(headers.value("connection"), "upgrade"))
        return refused(400, "Bad Request", "Connection header must contain upgrade");
    const QByteArray version = headers.value("sec-websocket-version").trimmed();
    if (version != "13")
        return refused(426, "Upgrade Required", "Sec-WebSocket-Version must be 13", "Sec-WebSocket-Version: 13\r\n");
    const QByteArray key = headers.value("sec-websocket-key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.isEmpty() || !decoded || decoded.decoded.size() != 16)
        return refused(400, "Bad Request", "Sec-WebSocket-Key must be the base64 of 16 bytes");
    Outcome outcome;
    outcome.accepted = true;
    outcome.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: " + acceptFor(key) + "\r\nServer: " + serverName.toByteArray()
        + "\r\n\r\n";
    return outcome;
}

} // namespace QuantPush
