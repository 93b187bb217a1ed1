#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslConfiguration>
#endif

class QTcpSocket;
class QTimer;

namespace QuantPush {

// The one listening port. It reads each new connection's request head
// without consuming it and hands the socket on: WebSocket upgrades to the
// WebSocket side, everything else to the HTTP side. Connections that never
// send a complete head within the handshake timeout are dropped. With TLS
// configured every connection is a QSslSocket: the TLS handshake comes first
// and counts against the same timeout, and the head is read once encrypted.
class FrontDoor : public QTcpServer
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxHeaderBytes = 16 * 1024;
        int handshakeTimeoutMs = 5000;
        // Connections still sending their request head (the slow path: not
        // whole at accept), in all and from one address. Past either the
        // connection is closed at once: before these, one address held
        // 16,800 descriptors with one byte sent on each (review, session 26).
        int maxPendingHeads = 4096;
        int maxPendingHeadsPerAddress = 256;
        // When set, every connection is TLS (wss:// and https://).
        QString tlsCertFile;
        QString tlsKeyFile;
    };

    FrontDoor(const Limits &limits, QObject *parent = nullptr);

    // Reads the certificate chain and private key named in the limits, once,
    // before listening. True when TLS is off or loaded; false, with a message
    // naming the config key and the file, when a file is missing or unusable.
    bool loadTls(QString *error);
    bool isTls() const { return m_tlsEnabled; }

    // After listen(): the kernel hands over a connection once its first
    // bytes are there (TCP_DEFER_ACCEPT), so a WebSocket client's whole
    // head is usually here at accept and the connection goes to its worker
    // as a bare descriptor. Without it, most connections of a burst were
    // accepted before their head arrived and took the slower socket path on
    // this thread. A peer that sends nothing is accepted after about a
    // second all the same, and the handshake deadline applies from then.
    void deferAcceptUntilData();
    // After listen(): TCP_NODELAY on the listening socket, which Linux
    // copies to every connection it accepts (one system call fewer per
    // connection). The first connection is checked; if it did not inherit
    // the option, every connection gets its own setsockopt as before.
    void inheritNoDelay();

    // Parsed request head: method, path, lower-case header names.
    struct RequestHead
    {
        QByteArray method;
        QByteArray target;
        QHash<QByteArray, QByteArray> headers;
        // Bytes of the head and its blank line, still in the socket's buffer.
        qsizetype size = 0;
        bool isWebSocketUpgrade() const;
    };
    static std::optional<RequestHead> parseHead(QByteArrayView head);

Q_SIGNALS:
    void webSocketRequested(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);
    // A plain-TCP WebSocket upgrade whose whole head was there when it was
    // accepted: only the descriptor, with the head still in the kernel
    // (peeked, not read). The receiver owns the descriptor.
    void webSocketDescriptorRequested(qintptr descriptor, const QuantPush::FrontDoor::RequestHead &head);
    void httpRequested(QTcpSocket *socket, const QuantPush::FrontDoor::RequestHead &head);
    void rejected(const QString &reason);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    // The head that `bytes` hold before the blank line found at `end`,
    // with its size; nullopt when it is malformed.
    static std::optional<RequestHead> headEndingAt(QByteArrayView bytes, qsizetype end);
    // The fast path of a plain connection: true when it went out as
    // webSocketDescriptorRequested, false when it needs a socket here.
    bool upgradeAtOnce(qintptr descriptor);
    void setNoDelay(int fd);
    void watchHead(QTcpSocket *socket);
    void inspect(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, QByteArrayView status, const QString &reason);
    void forgetHead(QTcpSocket *socket);
    // False (the descriptor is closed) when the open-files limit is nearly
    // reached: accepting pauses for a moment instead of spinning on EMFILE.
    bool descriptorFits(qintptr descriptor);
    void pauseAcceptingFor(int ms);
    // False when the pending-head caps are full for a connection from `address`.
    bool admitPending(const QHostAddress &address);
    void sweepHeads();

    Limits m_limits;
    // Sockets whose head is not complete yet, with their deadline (ms on
    // m_clock). One sweep timer for all of them instead of a QTimer per
    // connection: at thousands of connects a second the timer objects and
    // their registrations cost more than the handshake they guard.
    struct PendingHead
    {
        qint64 deadlineMs = 0;
        QHostAddress address;
    };
    QHash<QTcpSocket *, PendingHead> m_headDeadlines;
    QHash<QHostAddress, int> m_pendingByAddress;
    // Descriptors at or above this are not kept (RLIMIT_NOFILE less a reserve).
    qintptr m_descriptorCeiling = 0;
    bool m_acceptPaused = false;
    // inheritNoDelay(): whether accepted sockets still need TCP_NODELAY set,
    // and whether the first one was checked.
    bool m_setNoDelayPerSocket = true;
    bool m_noDelayChecked = true;
    QTimer *m_headSweep;
    QElapsedTimer m_clock;
    // What upgradeAtOnce peeks into: one buffer for every connection.
    QByteArray m_peekBuffer;
    bool m_tlsEnabled = false;
#if QT_CONFIG(ssl)
    QSslConfiguration m_tls;
#endif
};

} // namespace QuantPush
