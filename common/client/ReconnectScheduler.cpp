#include "client/ReconnectScheduler.h"

#include "client/ReconnectBackoff.h"
#include "client/WireNames.h"

#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>

#include <algorithm>

namespace QuantPush {

using namespace ClientWire;

ReconnectScheduler::ReconnectScheduler(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ReconnectScheduler::due);
}

void ReconnectScheduler::setUrl(const QUrl &url)
{
    m_url = url;
    m_urls = {url};
    m_urlIndex = 0;
}

void ReconnectScheduler::setUrls(const QList<QUrl> &urls)
{
    m_urls = urls;
    m_urlIndex = 0;
    m_url = urls.isEmpty() ? QUrl() : urls.first();
}

void ReconnectScheduler::adoptAdvice(const QJsonObject &advice)
{
    if (!m_followServerAdvice)
        return;
    if (const QJsonValue v = advice.value(Key::Enabled); v.isBool())
        m_policy.enabled = v.toBool();
    if (const QJsonValue v = advice.value(Key::MaxAttempts); v.isDouble() && v.toInt(-1) >= 0)
        m_policy.maxAttempts = v.toInt();
    if (const QJsonValue v = advice.value(Key::InitialDelayMs); v.isDouble() && v.toInt(-1) >= 1)
        m_policy.initialDelayMs = v.toInt();
    if (const QJsonValue v = advice.value(Key::MaxDelayMs); v.isDouble() && v.toInt(-1) >= 1)
        m_policy.maxDelayMs = v.toInt();
    if (const QJsonValue v = advice.value(Key::BackoffMultiplier); v.isDouble() && v.toDouble() >= 1.0)
        m_policy.backoffMultiplier = v.toDouble();
    if (const QJsonValue v = advice.value(Key::JitterEnabled); v.isBool())
        m_policy.jitterEnabled = v.toBool();
    m_policy.maxDelayMs = std::max(m_policy.maxDelayMs, m_policy.initialDelayMs);
}

ReconnectScheduler::Outcome ReconnectScheduler::schedule(int *delayMs)
{
    if (!m_policy.enabled)
        return Outcome::Disabled;
    ++m_attempt;
    if (m_policy.maxAttempts > 0 && m_attempt > m_policy.maxAttempts)
        return Outcome::GaveUp;
    if (m_urls.size() > 1) { // fail over to the next node
        m_urlIndex = (m_urlIndex + 1) % m_urls.size();
        m_url = m_urls.at(m_urlIndex);
    }
    *delayMs = ReconnectBackoff::delayMs(m_policy, m_attempt, *QRandomGenerator::global());
    m_timer->start(*delayMs);
    return Outcome::Scheduled;
}

bool ReconnectScheduler::isWaiting() const
{
    return m_timer->isActive();
}

void ReconnectScheduler::cancel()
{
    m_timer->stop();
}

} // namespace QuantPush
