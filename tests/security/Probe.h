#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtWebSockets/QWebSocket>

namespace QuantPush::SecurityTesting {

// A client that records every frame and how the connection ended.
class Probe : public QObject
{
    Q_OBJECT
public:
    Probe();

    QStringList errorCodes() const;
    bool has(const QString &type, const QJsonValue &id = QJsonValue(QJsonValue::Undefined)) const;

    QWebSocket socket;
    QList<QJsonObject> frames;
    bool wasConnected = false;
    bool closed = false;
    int closeCode = -1;
};

} // namespace QuantPush::SecurityTesting
