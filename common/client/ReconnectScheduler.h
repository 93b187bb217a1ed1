#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>

#include "client/ReconnectPolicy.h"

class QJsonObject;
class QTimer;

namespace QuantPush {

// PushClient's reconnect policy at work: which node the next attempt goes
// to, how long it waits (ReconnectBackoff), when to give up, and the
// server's `reconnection` advice from welcome. It owns the timer; due()
// means "open the next connection now".
class ReconnectScheduler : public QObject
{
    Q_OBJECT

public:
    enum class Outcome { Disabled, GaveUp, Scheduled };

    explicit ReconnectScheduler(QObject *parent = nullptr);

    void setUrl(const QUrl &url);
    // Several nodes: each attempt after a failure goes to the next one.
    void setUrls(const QList<QUrl> &urls);
    QUrl url() const { return m_url; }

    void setPolicy(const ReconnectPolicy &policy) { m_policy = policy; }
    ReconnectPolicy policy() const { return m_policy; }
    void setFollowServerAdvice(bool follow) { m_followServerAdvice = follow; }
    bool followsServerAdvice() const { return m_followServerAdvice; }
    // Takes the sane fields of welcome.data.reconnection into the policy
    // (a server cannot make the client spin); nothing unless following.
    void adoptAdvice(const QJsonObject &advice);

    // The attempt being waited for or made since the last success (0: none).
    int attempt() const { return m_attempt; }
    void resetAttempts() { m_attempt = 0; }

    // The next attempt: counted, moved to the next URL, its delay (written
    // to `delayMs`) on the timer. Disabled and GaveUp start nothing.
    Outcome schedule(int *delayMs);
    bool isWaiting() const;
    void cancel();

Q_SIGNALS:
    void due();

private:
    QUrl m_url;
    QList<QUrl> m_urls;
    qsizetype m_urlIndex = 0;
    ReconnectPolicy m_policy;
    bool m_followServerAdvice = true;
    int m_attempt = 0;
    QTimer *m_timer;
};

} // namespace QuantPush
