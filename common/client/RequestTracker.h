#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QString>

#include <optional>

namespace QuantPush {

// PushClient's requests in flight on one connection: the ids it hands out
// ("c1", "c2", ...), what each id asked for (so a reply or an error can be
// matched to it), and the pings awaiting their pong with when they left.
class RequestTracker
{
public:
    struct Request
    {
        QString type;
        QString channel;
        qint64 since = -1;
        bool generic = false; // from sendRequest/publish: answered by replyReceived
    };

    RequestTracker();

    QString nextId();
    void track(const QString &id, const Request &request);
    // The request `id` answers (removed), or an empty Request.
    Request take(const QString &id);

    void pingSent(const QString &id);
    // Round trip of the ping `id` answers (removed); nothing for a pong of
    // an earlier connection or not ours.
    std::optional<double> pongReceived(const QString &id);
    // Some ping has waited longer than `timeoutMs` for its pong.
    bool pongOverdue(int timeoutMs) const;

    // The connection is gone: nothing it sent will be answered.
    void clear();

private:
    // A server that never answers must not grow memory.
    static constexpr int MaxOutstandingPings = 32;

    quint64 m_counter = 0;
    QHash<QString, Request> m_pending;  // request id -> request, per connection
    QHash<QString, qint64> m_pingsSent; // ping id -> m_clock nanoseconds
    QElapsedTimer m_clock;
};

} // namespace QuantPush
