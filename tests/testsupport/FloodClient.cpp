#include "FloodClient.h"

#include <QtCore/QtEndian>
#include <QtNetwork/QHostAddress>

namespace QuantPush::Testing {
namespace {

constexpr qint64 OwnBufferBytes = 1 << 20;

// One masked client text frame (RFC 6455 5.2), built once and sent as is.
QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(key, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ key[i % 4]));
    return frame;
}

} // namespace

FloodClient::FloodClient(quint16 port, const QByteArray &text, int count, const QByteArray &extraHeaders,
                         int receiveBufferBytes)
    : m_frame(maskedTextFrame(text)), m_count(count)
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
