#include "GoodClient.h"

#include "SecurityFixture.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::SecurityTesting {

void GoodClient::onText(const QString &text)
{
    const QJsonObject f = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = f.value(u"type"_s).toString();
    if (type == u"subscribed"_s) {
        const QJsonObject data = f.value(u"data"_s).toObject();
        subscribedAt.insert(data.value(u"type"_s).toString(), data.value(u"seq"_s).toInteger());
    } else if (type == u"batch"_s) {
        for (const QJsonValue &item : f.value(u"data"_s).toArray())
            onPush(item.toObject());
    } else if (type == u"market_data"_s || type == u"order_update"_s) {
        onPush(f);
    } else if (type != u"welcome"_s && type != u"auth_ok"_s && type != u"pong"_s) {
        unexpected.append(f); // error, gap, anything else
    }
}

void GoodClient::onPush(const QJsonObject &push)
{
    const QString channel = push.value(u"channel"_s).toString();
    seqs[channel].append(push.value(u"seq"_s).toInteger());
    accounts.append(push.value(u"data"_s).toObject().value(u"account"_s).toString());
    if (channel == u"order_updates"_s) {
        socket.sendTextMessage(frame({{u"type"_s, u"ack"_s},
                                      {u"data"_s, QJsonObject {{u"channel"_s, channel},
                                                               {u"seq"_s, push.value(u"seq"_s)}}}}));
    }
}

} // namespace QuantPush::SecurityTesting
