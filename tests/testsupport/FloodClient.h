#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtNetwork/QTcpSocket>

namespace QuantPush::Testing {

// The attacker of the hostile-client tests: upgrades to WebSocket on a bare
// socket with a tiny receive window (SO_RCVBUF), then never reads another
// byte and sends one text frame `count` times, keeping at most about 1 MiB
// in its own write buffer (so that fifty of them do not cost the test
// process gigabytes). Whatever the server answers piles up on its side.
class FloodClient : public QObject
{
    Q_OBJECT
public:
    FloodClient(quint16 port, const QByteArray &text, int count, const QByteArray &extraHeaders = {},
                int receiveBufferBytes = 4096);

    bool isUpgraded() const { return m_upgraded; }
    bool isGone() const { return m_goneAfterMs >= 0; }
    // Milliseconds from connecting to the server dropping the connection (-1: still there).
    qint64 goneAfterMs() const { return m_goneAfterMs; }
    int framesSent() const { return m_sent; }
    QTcpSocket &socket() { return m_socket; }

private:
    void topUp();
    void gone();

    QTcpSocket m_socket;
    QByteArray m_frame;
    QByteArray m_head;
    int m_count;
    int m_sent = 0;
    bool m_upgraded = false;
    qint64 m_goneAfterMs = -1;
    QElapsedTimer m_clock;
};

} // namespace QuantPush::Testing
