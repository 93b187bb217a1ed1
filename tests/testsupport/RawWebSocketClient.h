#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtNetwork/QTcpSocket>

namespace QuantPush::Testing {

// A WebSocket client written on a bare QTcpSocket: it reads what the server
// sends as a third-party client would, and never answers pings. Qt's own
// QWebSocket reports close codes it does not know (1013 among them) as 1002,
// so close codes are read here straight from the close frame.
class RawWebSocketClient : public QObject
{
    Q_OBJECT
public:
    explicit RawWebSocketClient(quint16 port, const QByteArray &path = QByteArrayLiteral("/ws"));

    QTcpSocket socket;
    bool upgraded = false;  // the server answered 101
    QStringList texts;      // text frames received
    int closeCode = -1;     // from the server's close frame
    QString closeReason;    // from the server's close frame
    int pings = 0;          // pings received (never answered)
    int pongs = 0;          // pongs received (answers to pings written to `socket`)

private:
    void parse();

    QByteArray m_buffer;
};

} // namespace QuantPush::Testing
