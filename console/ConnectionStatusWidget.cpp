#include "ConnectionStatusWidget.h"

#include "StatsTimeline.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr int CountdownTickMs = 250;

} // namespace

ConnectionStatusWidget::ConnectionStatusWidget(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_status(controller->status())
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
    , m_rtt(new QLabel(this))
    , m_countdown(new QTimer(this))
{
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_rtt);
    m_countdown->setInterval(CountdownTickMs);
    connect(m_countdown, &QTimer::timeout, this, &ConnectionStatusWidget::refresh);
    connect(controller, &ConsoleController::statusChanged, this, &ConnectionStatusWidget::onStatus);
    connect(controller->timeline(), &StatsTimeline::updated, this, [this] {
        const std::optional<StatsTimeline::Point> latest = m_controller->timeline()->latest();
        const bool cluster = latest && latest->stats.broker && latest->stats.broker->type == u"redis"_s;
        const QString node = cluster && m_status.state == PushClient::State::Connected ? latest->stats.broker->nodeId
                                                                                       : QString();
        if (node != m_nodeId) {
            m_nodeId = node;
            refresh();
        }
    });
    connect(controller, &ConsoleController::roundTripMeasured, this, [this](double ms) {
        m_rttMs = ms;
        refresh();
    });
    refresh();
}

void ConnectionStatusWidget::onStatus(const ConsoleController::Status &status)
{
    m_status = status;
    if (status.state == PushClient::State::Reconnecting)
        m_countdown->start();
    else
        m_countdown->stop();
    if (status.state != PushClient::State::Connected) {
        m_rttMs = -1;
        m_nodeId.clear(); // a reconnection may land on another node
    }
    refresh();
}

void ConnectionStatusWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QWidget::changeEvent(event);
}

QString ConnectionStatusWidget::text() const { return m_text->text(); }

QString ConnectionStatusWidget::lossReason() const
{
    if (!m_status.errorCode.isEmpty())
        return m_status.reason.isEmpty() ? m_status.errorCode : u"%1 (%2)"_s.arg(m_status.reason, m_status.errorCode);
    if (m_status.closeCode > 0)
        return m_status.reason.isEmpty() ? tr("close code %1").arg(m_status.closeCode)
                                         : tr("%1 (close code %2)").arg(m_status.reason).arg(m_status.closeCode);
    if (!m_status.reason.isEmpty())
        return m_status.reason;
    return tr("the server could not be reached");
}

QString ConnectionStatusWidget::describe(QColor *color) const
{
    const QString server = m_controller->profile().url.toDisplayString();
    switch (m_status.state) {
    case PushClient::State::Disconnected:
        *color = QColor(0x90, 0x90, 0x90);
        return server.isEmpty() ? tr("Not connected") : tr("Disconnected from %1").arg(server);
    case PushClient::State::Connecting:
        *color = QColor(0xd9, 0x82, 0x2b);
        return tr("Connecting to %1…").arg(server);
    case PushClient::State::Authenticating:
        *color = QColor(0xd9, 0x82, 0x2b);
        return tr("Authenticating with %1…").arg(server);
    case PushClient::State::Connected:
        if (m_status.adminDenied) {
            *color = QColor(0xd9, 0x82, 0x2b);
            return tr("Connected to %1 as %2 (%3), but this account is not an admin: %4")
                .arg(server, m_status.user, m_status.role, m_status.reason);
        }
        *color = QColor(0x2e, 0x7d, 0x32);
        if (!m_nodeId.isEmpty())
            return tr("Connected to %1, node %4, as %2 (%3)").arg(server, m_status.user, m_status.role, m_nodeId);
        return tr("Connected to %1 as %2 (%3)").arg(server, m_status.user, m_status.role);
    case PushClient::State::Reconnecting: {
        *color = QColor(0xd9, 0x82, 0x2b);
        const qint64 remainingMs = qMax<qint64>(0, m_status.reconnectAtMs - QDateTime::currentMSecsSinceEpoch());
        return tr("Connection lost: %1. Reconnecting in %2 s (attempt %3)…")
            .arg(lossReason(), QLocale().toString(double(remainingMs) / 1000.0, 'f', 1))
            .arg(m_status.attempt);
    }
    case PushClient::State::Failed:
        *color = QColor(0xc0, 0x39, 0x2b);
        return tr("Connection failed: %1").arg(lossReason());
    }
    return {};
}

void ConnectionStatusWidget::refresh()
{
    QColor color;
    m_text->setText(describe(&color));
    m_dot->setText(u"<span style=\"color:%1; font-size: large;\">&#9679;</span>"_s.arg(color.name()));
    m_rtt->setText(m_rttMs >= 0 ? tr("RTT %1 ms").arg(QLocale().toString(m_rttMs, 'f', m_rttMs < 10 ? 2 : 0))
                                : QString());
}

} // namespace QuantPush
