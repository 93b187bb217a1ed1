#pragma once

#include "WsTestClient.h"

#include <QtCore/QUrl>

#include <memory>

namespace QuantPush::Testing {

// The well-behaved bystander of the hostile-client tests: a client on one
// channel that must receive every seq from its subscription on, with no gap
// and no error, whatever the attacker next to it does. The server may be in
// this process or another; the caller publishes (or a demo feed does).
class SeqWatcher
{
public:
    // `url` carries the credentials if the server needs them (?token=...).
    SeqWatcher(const QUrl &url, const QString &channel, const QJsonObject &filters = {});

    bool isReady() const { return m_ready; }
    qint64 subscribedAt() const { return m_subscribedAt; }
    WsTestClient &client() { return m_client; }
    // Seqs received so far on the channel, in arrival order.
    QList<qint64> seqs() const;
    // True when every seq after the subscription up to `lastSeq` arrived
    // exactly once and in order, with no gap notice and no error; on
    // failure `why` says what was wrong.
    bool sawEverythingUpTo(qint64 lastSeq, QString *why) const;
    // Without a known last seq (a feed in another process): the seqs
    // received so far are consecutive from the subscription on, and there
    // are at least `atLeast` of them.
    bool sawConsecutive(int atLeast, QString *why) const;

private:
    WsTestClient m_client;
    QString m_channel;
    qint64 m_subscribedAt = 0;
    bool m_ready = false;
};

} // namespace QuantPush::Testing
