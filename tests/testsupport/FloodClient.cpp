#include "FloodClient.h"

#include "ClientFrame.h"

#include <QtNetwork/QHostAddress>

namespace QuantPush::Testing {
namespace {

constexpr qint64 OwnBufferBytes = 1 << 20;

} // namespace

FloodClient::FloodClient(quint16 port, const QByteArray &text, int count, const QByteArray &extraHeaders,
                         int receiveBufferBytes)
    : m_frame(maskedClientFrame(0x1, text, 0x12345678)), m_count(count)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_upgraded)
            return; // never read again: the server's answers pile up on its side
        m_head += m_socket.read(4096);
        if (m_head.contains("\r\n\r\n")) {
            m_upgraded = m_head.startsWith("HTTP/1.1 101");
            m_socket.setReadBufferSize(1); // stop taking bytes off the kernel
            if (m_upgraded)
                topUp();
        }
    });
    connect(&m_socket, &QTcpSocket::bytesWritten, this, &FloodClient::topUp);
    connect(&m_socket, &QTcpSocket::disconnected, this, &FloodClient::gone);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) { gone(); });
    m_clock.start();
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBufferBytes);
    m_socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                   + extraHeaders + "\r\n");
}

void FloodClient::topUp()
{
    if (!m_upgraded || isGone())
        return;
    while (m_sent < m_count && m_socket.bytesToWrite() < OwnBufferBytes) {
        m_socket.write(m_frame);
        ++m_sent;
    }
}

void FloodClient::gone()
{
    if (m_goneAfterMs < 0)
        m_goneAfterMs = m_clock.elapsed();
}

} // namespace QuantPush::Testing
