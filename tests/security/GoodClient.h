#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtWebSockets/QWebSocket>

namespace QuantPush::SecurityTesting {

// The well-behaved client: subscribes to market_data (batched) and
// order_updates (acked, its own account), acks everything, and records the
// seqs it receives per channel.
class GoodClient : public QObject
{
    Q_OBJECT
public:
    void onText(const QString &text);
    void onPush(const QJsonObject &push);

    QWebSocket socket;
    QHash<QString, qint64> subscribedAt;
    QHash<QString, QList<qint64>> seqs;
    QStringList accounts;
    QList<QJsonObject> unexpected;
    bool closed = false;
};

} // namespace QuantPush::SecurityTesting
