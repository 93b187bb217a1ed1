#include "SeqWatcher.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

SeqWatcher::SeqWatcher(const QUrl &url, const QString &channel, const QJsonObject &filters)
    : m_channel(channel)
{
    if (!m_client.open(url, 15000))
        return;
    QJsonObject request {{u"type"_s, channel}};
    if (!filters.isEmpty())
        request.insert(u"filters"_s, filters);
    const std::optional<QJsonObject> reply = m_client.subscribe(request, 15000);
    if (!reply || reply->value(u"type"_s).toString() != u"subscribed"_s)
        return;
    m_subscribedAt = reply->value(u"data"_s).toObject().value(u"seq"_s).toInteger();
    m_ready = true;
}

QList<qint64> SeqWatcher::seqs() const
{
    QList<qint64> list;
    for (const QJsonObject &push : m_client.pushesOn(m_channel))
        list.append(push.value(u"seq"_s).toInteger());
    return list;
}

bool SeqWatcher::sawConsecutive(int atLeast, QString *why) const
{
    const QList<qint64> received = seqs();
    for (qsizetype i = 0; i < received.size(); ++i) {
        if (received.at(i) != m_subscribedAt + 1 + i) {
            *why = u"seq %1 at position %2, expected %3"_s.arg(received.at(i)).arg(i).arg(m_subscribedAt + 1 + i);
            return false;
        }
    }
    if (received.size() < atLeast) {
        *why = u"only %1 messages, expected at least %2"_s.arg(received.size()).arg(atLeast);
        return false;
    }
    if (!m_client.framesOfType(u"gap"_s).isEmpty() || !m_client.framesOfType(u"error"_s).isEmpty()) {
        *why = u"a gap notice or an error arrived"_s;
        return false;
    }
    if (m_client.isClosed()) {
        *why = u"the bystander was disconnected with %1"_s.arg(m_client.closeCode());
        return false;
    }
    return true;
}

bool SeqWatcher::sawEverythingUpTo(qint64 lastSeq, QString *why) const
{
    if (!sawConsecutive(int(lastSeq - m_subscribedAt), why))
        return false;
    if (seqs().size() != lastSeq - m_subscribedAt) {
        *why = u"%1 messages, expected %2"_s.arg(seqs().size()).arg(lastSeq - m_subscribedAt);
        return false;
    }
    return true;
}

} // namespace QuantPush::Testing
