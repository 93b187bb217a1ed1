#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include "client/ChannelSequence.h"

namespace QuantPush {

// What PushClient is subscribed to and where each channel's seq stands:
// the subscriptions it re-sends after every reconnect ("since" = lastSeq),
// duplicate dropping and loss detection per channel, and which channels'
// seqs jump legitimately (gap-exempt channels, filters, account scoping).
class SubscriptionSet
{
public:
    struct Subscription
    {
        QJsonObject filters;
        QString subscriptionId;
        QString requestId; // subscribe sent on the current connection, else empty
    };

    // What a `subscribed` reply means for the channel's numbering.
    enum class Resume { Complete, Incomplete, SeqRestarted };

    struct Push
    {
        bool duplicate = false;
        qint64 gapExpected = -1; // a loss the application must hear of, else -1
    };

    SubscriptionSet();

    void setGapExemptChannels(const QStringList &channels);
    QStringList gapExemptChannels() const;
    // A token with an "accounts" claim: the server narrows the account
    // scoped channels, so their seqs jump without any loss.
    void setToken(const QString &jwt);

    bool contains(const QString &channel) const { return m_subscriptions.contains(channel); }
    Subscription *find(const QString &channel);
    const Subscription *find(const QString &channel) const;
    // A new (or replaced) subscription, not yet sent.
    void insert(const QString &channel, const QJsonObject &filters);
    // Forgets the subscription and the channel's seq.
    void remove(const QString &channel);
    QStringList channels() const; // sorted
    QStringList unsent() const;   // not subscribed on the current connection
    void connectionLost();        // nothing is subscribed on the next one yet

    qint64 lastSeq(const QString &channel) const; // highest seq seen, -1 if none

    // The server's `subscribed` reply to a subscribe that resumed from
    // `since` (-1: a fresh one): aligns the channel's bookkeeping with it.
    Resume applyResume(const QString &channel, qint64 since, qint64 seq, bool hasSeq, bool recovered);
    Push accept(const QString &channel, qint64 seq);
    // A server `gap` notice; returns the first seq lost silently before
    // `from` when the channel is gap checked, else -1.
    qint64 skip(const QString &channel, qint64 from, qint64 to);

private:
    bool isGapChecked(const QString &channel) const;

    QHash<QString, Subscription> m_subscriptions;
    QHash<QString, ChannelSequence> m_sequences;
    QSet<QString> m_gapExemptChannels;
    bool m_tokenScopesAccounts = false; // JWT "accounts" claim: server filters by account
};

} // namespace QuantPush
