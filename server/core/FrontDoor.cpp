#include "FrontDoor.h"

#include "Logging.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <QtCore/QMetaMethod>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>
#endif

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

FrontDoor::FrontDoor(const Limits &limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits), m_headSweep(new QTimer(this))
{
    m_clock.start();
    // A connection is dropped between its deadline and a quarter of the
    // timeout (at most 250 ms) later.
    m_headSweep->setInterval(std::clamp(m_limits.handshakeTimeoutMs / 4, 10, 250));
    connect(m_headSweep, &QTimer::timeout, this, &FrontDoor::sweepHeads);
    // Room for what is not a connection (log and config files, redis, the
    // process sampler) once the descriptors are nearly all taken.
    constexpr rlim_t Reserve = 64;
    rlimit files {};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 2 * Reserve)
        m_descriptorCeiling = qintptr(files.rlim_cur - Reserve);
    // Qt stops accepting on some accept errors (EMFILE among them on some
    // versions) and retries at once on others: either way, a pause.
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcConnection) << "accept failed:" << error << "- accepting again in 100 ms";
        pauseAcceptingFor(100);
    });
}

bool FrontDoor::descriptorFits(qintptr descriptor)
{
    if (m_descriptorCeiling <= 0 || descriptor < m_descriptorCeiling)
        return true;
    ::close(int(descriptor));
    Q_EMIT rejected(u"out_of_descriptors"_s);
    if (!m_acceptPaused)
        qCWarning(lcConnection) << "open files nearly at the limit (descriptor" << descriptor
                                << "): a new connection was closed; accepting again in 100 ms";
    pauseAcceptingFor(100);
    return false;
}

void FrontDoor::pauseAcceptingFor(int ms)
{
    if (m_acceptPaused)
        return;
    m_acceptPaused = true;
    pauseAccepting();
    QTimer::singleShot(ms, this, [this] {
        m_acceptPaused = false;
        resumeAccepting();
    });
}

bool FrontDoor::admitPending(const QHostAddress &address)
{
    const int fromAddress = m_pendingByAddress.value(address);
    QString reason;
    if (m_headDeadlines.size() >= m_limits.maxPendingHeads)
        reason = u"pending_handshakes_full"_s;
    else if (fromAddress >= m_limits.maxPendingHeadsPerAddress)
        reason = u"pending_handshakes_per_ip"_s;
    if (reason.isEmpty())
        return true;
    Q_EMIT rejected(reason);
    qCInfo(lcConnection).noquote() << address.toString() << "closed before its request head:" << reason
                                   << "(" << m_headDeadlines.size() << "pending," << fromAddress << "from it)";
    return false;
}

namespace {

#if QT_CONFIG(ssl)
std::optional<QByteArray> readPem(const QString &path, QStringView key, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read %2: %3"_s.arg(key, path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}
#endif

} // namespace

bool FrontDoor::loadTls(QString *error)
{
    m_tlsEnabled = false;
    if (m_limits.tlsCertFile.isEmpty() && m_limits.tlsKeyFile.isEmpty())
        return true;
    if (m_limits.tlsCertFile.isEmpty() || m_limits.tlsKeyFile.isEmpty()) {
        *error = u"security.tls: give both cert and key, or neither"_s;
        return false;
    }
#if QT_CONFIG(ssl)
    if (!QSslSocket::supportsSsl()) {
        *error = u"security.tls: this Qt has no working TLS backend (is the OpenSSL plugin and libssl installed?)"_s;
        return false;
    }
    const std::optional<QByteArray> certPem = readPem(m_limits.tlsCertFile, u"security.tls.cert", error);
    if (!certPem)
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = u"security.tls.cert: %1 holds no PEM certificate"_s.arg(m_limits.tlsCertFile);
        return false;
    }
    const std::optional<QByteArray> keyPem = readPem(m_limits.tlsKeyFile, u"security.tls.key", error);
    if (!keyPem)
        return false;
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = u"security.tls.key: %1 holds no unencrypted PEM private key (RSA, EC or DSA)"_s.arg(m_limits.tlsKeyFile);
        return false;
    }
    const QSslCertificate &leaf = chain.first();
    if (leaf.expiryDate() < QDateTime::currentDateTimeUtc())
        qCWarning(lcServer).noquote() << "security.tls.cert:" << m_limits.tlsCertFile << "expired on"
                                      << leaf.expiryDate().toString(Qt::ISODate);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with tokens, not certificates
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    m_tls = tls;
    m_tlsEnabled = true;
    qCInfo(lcServer).noquote() << "TLS on: certificate" << m_limits.tlsCertFile << "for"
                               << leaf.subjectInfo(QSslCertificate::CommonName).join(u", "_s) << "valid until"
                               << leaf.expiryDate().toString(Qt::ISODate);
    return true;
#else
    *error = u"security.tls: this build of Qt has no TLS support"_s;
    return false;
#endif
}

void FrontDoor::deferAcceptUntilData()
{
    const int seconds = 1;
    if (::setsockopt(int(socketDescriptor()), IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof seconds) != 0)
        qCWarning(lcServer) << "TCP_DEFER_ACCEPT not set:" << strerror(errno);
}

void FrontDoor::inheritNoDelay()
{
    const int one = 1;
    if (::setsockopt(int(socketDescriptor()), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        return;
    m_setNoDelayPerSocket = false;
    m_noDelayChecked = false;
}

void FrontDoor::setNoDelay(int fd)
{
    // Pushes are small and latency-bound: without TCP_NODELAY, Nagle holds a
    // frame back until the previous one is acknowledged (tens of ms).
    const int one = 1;
    if (!m_noDelayChecked) {
        m_noDelayChecked = true;
        int inherited = 0;
        socklen_t length = sizeof inherited;
        if (::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &inherited, &length) != 0 || inherited == 0) {
            qCInfo(lcServer) << "accepted sockets do not inherit TCP_NODELAY here: set per connection";
            m_setNoDelayPerSocket = true;
        }
    }
    if (m_setNoDelayPerSocket)
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool FrontDoor::RequestHead::isWebSocketUpgrade() const
{
    return headers.value("upgrade").trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
}

std::optional<FrontDoor::RequestHead> FrontDoor::parseHead(QByteArrayView head)
{
    // Walked line by line in place: copies are made only of what is kept
    // (this runs on the thread that accepts for every worker).
    qsizetype lineStart = 0;
    auto nextLine = [&head, &lineStart]() -> std::optional<QByteArrayView> {
        if (lineStart > head.size())
            return std::nullopt;
        qsizetype end = head.indexOf('\n', lineStart);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = head.sliced(lineStart, end - lineStart);
        lineStart = end + 1;
        return line;
    };
    const QByteArrayView requestLine = nextLine().value_or(QByteArrayView()).trimmed();
    // Exactly "METHOD SP TARGET SP VERSION": an empty part (two spaces) is malformed.
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : requestLine.indexOf(' ', firstSpace + 1);
    const QByteArrayView version = secondSpace < 0 ? QByteArrayView() : requestLine.sliced(secondSpace + 1);
    if (firstSpace <= 0 || secondSpace <= firstSpace + 1 || requestLine.indexOf(' ', secondSpace + 1) >= 0
        || (version != "HTTP/1.1" && version != "HTTP/1.0"))
        return std::nullopt;
    RequestHead parsed;
    parsed.method = requestLine.first(firstSpace).toByteArray();
    parsed.target = requestLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1).toByteArray();
    while (const std::optional<QByteArrayView> next = nextLine()) {
        const QByteArrayView line = next->trimmed();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        // RFC 9112: no whitespace between a field's name and its colon, and
        // one Content-Length / Host / Transfer-Encoding: where two disagree a
        // proxy in front and this server could each read a different body
        // (review, session 26: "Content-Length: 5" then "47" published 47).
        const QByteArrayView rawName = line.first(colon);
        if (rawName.contains(' ') || rawName.contains('\t'))
            return std::nullopt;
        QByteArray name = rawName.toByteArray().toLower();
        const bool single = name == "content-length" || name == "host" || name == "transfer-encoding";
        if (single && parsed.headers.contains(name))
            return std::nullopt;
        parsed.headers.insert(std::move(name), line.sliced(colon + 1).trimmed().toByteArray());
    }
    return parsed;
}

std::optional<FrontDoor::RequestHead> FrontDoor::headEndingAt(QByteArrayView bytes, qsizetype end)
{
    std::optional<RequestHead> head = parseHead(bytes.first(end));
    if (head)
        head->size = end + 4; // and its blank line
    return head;
}

bool FrontDoor::upgradeAtOnce(qintptr descriptor)
{
    if (m_tlsEnabled || !isSignalConnected(QMetaMethod::fromSignal(&FrontDoor::webSocketDescriptorRequested)))
        return false;
    const int fd = int(descriptor);
    setNoDelay(fd);
    if (m_peekBuffer.size() != m_limits.maxHeaderBytes + 4)
        m_peekBuffer = QByteArray(m_limits.maxHeaderBytes + 4, Qt::Uninitialized);
    ssize_t peeked = -1;
    do {
        peeked = ::recv(fd, m_peekBuffer.data(), std::size_t(m_peekBuffer.size()), MSG_PEEK | MSG_DONTWAIT);
    } while (peeked < 0 && errno == EINTR);
    if (peeked <= 0)
        return false;
    const QByteArrayView bytes(m_peekBuffer.constData(), peeked);
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const std::optional<RequestHead> head = headEndingAt(bytes, end);
    // Anything but a well-formed upgrade takes the socket path, which
    // answers it (HTTP, 400, 431).
    if (!head || !head->isWebSocketUpgrade())
        return false;
    Q_EMIT webSocketDescriptorRequested(descriptor, *head);
    return true;
}

void FrontDoor::incomingConnection(qintptr descriptor)
{
    // Most WebSocket clients send their request at once: its head is here
    // with the connection. Such a connection goes to the WebSocket side as
    // a bare descriptor, and its socket object is made once, by the thread
    // that keeps it: per connection that saves a QTcpSocket (its notifiers,
    // read buffer and a move between threads) on this thread, which accepts
    // for every worker.
    if (!descriptorFits(descriptor) || upgradeAtOnce(descriptor))
        return;
#if QT_CONFIG(ssl)
    QTcpSocket *socket = m_tlsEnabled ? new QSslSocket(this) : new QTcpSocket(this);
#else
    auto *socket = new QTcpSocket(this);
#endif
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress address = socket->peerAddress();
    if (!admitPending(address)) {
        socket->abort();
        delete socket;
        return;
    }
    // Pushes are small and latency-bound: without TCP_NODELAY, Nagle holds a
    // frame back until the previous one is acknowledged (tens of ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // One deadline for the TLS handshake (if any) and the request head.
    m_headDeadlines.insert(socket, {m_clock.elapsed() + m_limits.handshakeTimeoutMs, address});
    ++m_pendingByAddress[address];
    if (!m_headSweep->isActive())
        m_headSweep->start();
    connect(socket, &QObject::destroyed, this, [this, socket] { forgetHead(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
#if QT_CONFIG(ssl)
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        ssl->setSslConfiguration(m_tls);
        connect(ssl, &QSslSocket::encrypted, this, [this, ssl] { watchHead(ssl); });
        connect(ssl, &QSslSocket::errorOccurred, this, [this, ssl](QAbstractSocket::SocketError) {
            if (ssl->isEncrypted())
                return;
            Q_EMIT rejected(u"tls_handshake_failed"_s);
            qCInfo(lcConnection).noquote() << ssl->peerAddress().toString()
                                           << "TLS handshake failed:" << ssl->errorString();
            ssl->abort();
        });
        ssl->startServerEncryption();
        return;
    }
#endif
    watchHead(socket);
}

void FrontDoor::watchHead(QTcpSocket *socket)
{
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    if (socket->bytesAvailable() > 0)
        inspect(socket);
}

void FrontDoor::refuse(QTcpSocket *socket, QByteArrayView status, const QString &reason)
{
    Q_EMIT rejected(reason);
    socket->write("HTTP/1.1 ");
    socket->write(status.data(), status.size());
    socket->write("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

void FrontDoor::forgetHead(QTcpSocket *socket)
{
    const auto it = m_headDeadlines.constFind(socket);
    if (it == m_headDeadlines.cend())
        return;
    const auto count = m_pendingByAddress.find(it->address);
    if (count != m_pendingByAddress.end() && --count.value() <= 0)
        m_pendingByAddress.erase(count);
    m_headDeadlines.erase(it);
    if (m_headDeadlines.isEmpty())
        m_headSweep->stop();
}

void FrontDoor::sweepHeads()
{
    const qint64 now = m_clock.elapsed();
    QList<QTcpSocket *> overdue;
    for (auto it = m_headDeadlines.cbegin(); it != m_headDeadlines.cend(); ++it) {
        if (it->deadlineMs <= now)
            overdue.append(it.key());
    }
    for (QTcpSocket *socket : std::as_const(overdue)) {
        disconnect(socket, nullptr, this, nullptr);
        forgetHead(socket);
        Q_EMIT rejected(u"handshake_timeout"_s);
        qCInfo(lcConnection).noquote() << socket->peerAddress().toString() << "sent no complete request in time";
        socket->abort();
        socket->deleteLater();
    }
    if (m_headDeadlines.isEmpty())
        m_headSweep->stop();
}

void FrontDoor::inspect(QTcpSocket *socket)
{
    const QByteArray peeked = socket->peek(m_limits.maxHeaderBytes + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() > m_limits.maxHeaderBytes) {
            disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
            refuse(socket, "431 Request Header Fields Too Large", u"header_too_large"_s);
        }
        return;
    }
    // The head is complete: stop watching it here, the next owner reads it.
    disconnect(socket, nullptr, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    forgetHead(socket);

    const std::optional<RequestHead> head = headEndingAt(peeked, end);
    if (!head) {
        refuse(socket, "400 Bad Request", u"bad_request_head"_s);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    if (head->isWebSocketUpgrade())
        Q_EMIT webSocketRequested(socket, *head);
    else
        Q_EMIT httpRequested(socket, *head);
}

} // namespace QuantPush
