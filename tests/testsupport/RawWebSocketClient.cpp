#include "RawWebSocketClient.h"

#include <QtNetwork/QHostAddress>

namespace QuantPush::Testing {

RawWebSocketClient::RawWebSocketClient(quint16 port, const QByteArray &path)
{
    connect(&socket, &QTcpSocket::readyRead, this, [this] {
        m_buffer += socket.readAll();
        parse();
    });
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

void RawWebSocketClient::parse()
{
    if (!upgraded) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        upgraded = m_buffer.startsWith("HTTP/1.1 101");
        m_buffer.remove(0, end + 4);
    }
    // Server frames are unmasked; the ones tests see use 7- or 16-bit lengths.
    while (m_buffer.size() >= 2) {
        const int opcode = m_buffer.at(0) & 0x0F;
        qsizetype length = m_buffer.at(1) & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
            header = 4;
        }
        if (m_buffer.size() < header + length)
            return;
        const QByteArray payload = m_buffer.mid(header, length);
        m_buffer.remove(0, header + length);
        if (opcode == 0x1)
            texts.append(QString::fromUtf8(payload));
        else if (opcode == 0x8 && payload.size() >= 2) {
            closeCode = (quint8(payload.at(0)) << 8) | quint8(payload.at(1));
            closeReason = QString::fromUtf8(payload.mid(2));
        }
        else if (opcode == 0x9)
            ++pings;
        else if (opcode == 0xA)
            ++pongs;
    }
}

} // namespace QuantPush::Testing
