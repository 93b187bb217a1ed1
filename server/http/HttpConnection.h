#pragma once

#include "FrontDoor.h"
#include "HttpRequest.h"
#include "HttpResponse.h"

#include <QtCore/QObject>

class QTcpSocket;
class QTimer;

namespace QuantPush {

// One HTTP/1.1 exchange on a socket the front door handed over after peeking
// at its head: reads the body (Content-Length only), emits requestReady, writes
// the response the handler gives respond(), closes, deletes itself.
//
// Why hand-written rather than QHttpServer: in Qt 6.4 QHttpServer is a
// technical preview with no header, body or time limits, so every limit would
// have to be enforced before handing the socket over anyway, at which point the
// little left to do (a body of Content-Length bytes, a status line) is less code
// than the adapter, with every byte and every timer under our control.
//
// Nothing here blocks: a client that sends its body slowly, or never reads the
// answer, meets the one deadline (http.request_timeout_ms) and is cut off.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 maxBodyBytes = 1024 * 1024;
        int timeoutMs = 10000; // the whole exchange, from hand-over to the last byte written
    };

    // Takes ownership of the socket.
    HttpConnection(
        QTcpSocket *socket, const FrontDoor::RequestHead &head, const Limits &limits, QObject *parent = nullptr);

    void start();
    // Writes the response and closes. Called once, by the requestReady handler.
    void respond(const HttpResponse &response);
    // Instead of start(): answers from the head alone (a probe, a refusal),
    // reads no body, discards what the client still sends and closes when
    // it does (or after a short linger). Emits rejected() for the record.
    void answerNow(const HttpResponse &response);
    // The request as far as the head tells (no body before requestReady).
    const HttpRequest &request() const { return m_request; }

Q_SIGNALS:
    void requestReady(QuantPush::HttpConnection *connection, const QuantPush::HttpRequest &request);
    // An answer the connection gave by itself (bad framing, too large, timeout).
    void rejected(const QuantPush::HttpRequest &request, const QuantPush::HttpResponse &response);

private:
    enum class State { Head, Body, Responding, Done };

    void readMore();
    bool consumeHead();
    // Answers without having read the whole request; then lingers, discarding
    // input, so the client reads the answer instead of a connection reset.
    void refuse(const HttpResponse &response);
    void onTimeout();
    void finish();

    QTcpSocket *m_socket;
    QTimer *m_deadline;
    Limits m_limits;
    HttpRequest m_request;
    qint64 m_contentLength = 0;
    State m_state = State::Head;
    bool m_lingering = false;
};

} // namespace QuantPush
