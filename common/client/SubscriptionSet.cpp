#include "client/SubscriptionSet.h"

#include "client/WireNames.h"

#include <QtCore/QJsonDocument>

namespace QuantPush {

using namespace ClientWire;

namespace {

// order_updates / position_updates are narrowed by the JWT "accounts" claim,
// so their seqs jump for such a user without any loss.
bool isAccountScoped(const QString &channel)
{
    return channel == "order_updates"_L1 || channel == "position_updates"_L1;
}

// Reads (without verifying: that is the server's job) whether the token
// carries an "accounts" claim.
bool jwtHasAccountsClaim(const QString &jwt)
{
    const QList<QStringView> parts = QStringView(jwt).split(u'.');
    if (parts.size() != 3)
        return false;
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toUtf8(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(payload).object().contains(Key::Accounts);
}

} // namespace

SubscriptionSet::SubscriptionSet()
    : m_gapExemptChannels{u"system_monitor"_s, u"performance_metrics"_s, u"trading_signals"_s}
{
}

void SubscriptionSet::setGapExemptChannels(const QStringList &channels)
{
    m_gapExemptChannels = QSet<QString>(channels.cbegin(), channels.cend());
}

QStringList SubscriptionSet::gapExemptChannels() const
{
    QStringList list(m_gapExemptChannels.cbegin(), m_gapExemptChannels.cend());
    list.sort();
    return list;
}

void SubscriptionSet::setToken(const QString &jwt)
{
    m_tokenScopesAccounts = jwtHasAccountsClaim(jwt);
}

SubscriptionSet::Subscription *SubscriptionSet::find(const QString &channel)
{
    const auto it = m_subscriptions.find(channel);
    return it == m_subscriptions.end() ? nullptr : &it.value();
}

const SubscriptionSet::Subscription *SubscriptionSet::find(const QString &channel) const
{
    const auto it = m_subscriptions.constFind(channel);
    return it == m_subscriptions.cend() ? nullptr : &it.value();
}

void SubscriptionSet::insert(const QString &channel, const QJsonObject &filters)
{
    m_subscriptions.insert(channel, Subscription{filters, {}, {}});
}

void SubscriptionSet::remove(const QString &channel)
{
    m_subscriptions.remove(channel);
    m_sequences.remove(channel);
}

QStringList SubscriptionSet::channels() const
{
    QStringList channels = m_subscriptions.keys();
    channels.sort();
    return channels;
}

QStringList SubscriptionSet::unsent() const
{
    QStringList channels;
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it) {
        if (it->requestId.isEmpty())
            channels.append(it.key());
    }
    return channels;
}

void SubscriptionSet::connectionLost()
{
    for (Subscription &subscription : m_subscriptions)
        subscription.requestId.clear();
}

qint64 SubscriptionSet::lastSeq(const QString &channel) const
{
    const auto it = m_sequences.constFind(channel);
    return it == m_sequences.cend() ? -1 : it->last();
}

SubscriptionSet::Resume SubscriptionSet::applyResume(const QString &channel, qint64 since, qint64 seq, bool hasSeq,
                                                     bool recovered)
{
    ChannelSequence &sequence = m_sequences[channel];
    if (since < 0) {
        if (hasSeq)
            sequence.setBaseline(seq);
        return Resume::Complete;
    }
    if (hasSeq && seq < since) {
        // The server's sequence went backwards (restart without a broker):
        // our numbering is meaningless now.
        sequence.reset(seq);
        return Resume::SeqRestarted;
    }
    if (!recovered) {
        sequence.expectDiscontinuity();
        return Resume::Incomplete;
    }
    return Resume::Complete;
}

SubscriptionSet::Push SubscriptionSet::accept(const QString &channel, qint64 seq)
{
    const ChannelSequence::Outcome outcome = m_sequences[channel].accept(seq);
    Push push;
    push.duplicate = outcome.duplicate;
    if (!outcome.duplicate && outcome.gapExpected >= 0 && isGapChecked(channel))
        push.gapExpected = outcome.gapExpected;
    return push;
}

qint64 SubscriptionSet::skip(const QString &channel, qint64 from, qint64 to)
{
    const qint64 silentlyMissing = m_sequences[channel].skip(from, to);
    return silentlyMissing >= 0 && isGapChecked(channel) ? silentlyMissing : -1;
}

bool SubscriptionSet::isGapChecked(const QString &channel) const
{
    if (m_gapExemptChannels.contains(channel))
        return false;
    // Filters (ours, or the server's per-account ones) make seq jump legitimately.
    const auto it = m_subscriptions.constFind(channel);
    if (it != m_subscriptions.cend() && !it->filters.isEmpty())
        return false;
    return !(m_tokenScopesAccounts && isAccountScoped(channel));
}

} // namespace QuantPush
