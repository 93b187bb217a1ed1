#include "NotificationBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace QuantPush {

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_showButton(new QPushButton(this))
    , m_dismissButton(new QPushButton(this))
    , m_hideTimer(new QTimer(this))
{
    setObjectName(u"notificationBanner"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hideTimer->setSingleShot(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 6, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_showButton);
    layout->addWidget(m_dismissButton);
    connect(m_showButton, &QPushButton::clicked, this, &NotificationBanner::showRequested);
    connect(m_dismissButton, &QPushButton::clicked, this, &QWidget::hide);
    connect(m_hideTimer, &QTimer::timeout, this, &QWidget::hide);
    retranslate();
    hide();
}

void NotificationBanner::notify(const QString &text, Severity severity)
{
    const bool critical = severity == Severity::Critical;
    setStyleSheet(critical ? u"QFrame#notificationBanner { background: #fbe3e0; border: 1px solid #c0392b; }"_s
                           : u"QFrame#notificationBanner { background: #e3f1e5; border: 1px solid #2e7d32; }"_s);
    m_text->setText(text);
    if (critical)
        m_hideTimer->stop();
    else
        m_hideTimer->start(InformationTimeoutMs);
    show();
}

QString NotificationBanner::text() const { return m_text->text(); }

void NotificationBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void NotificationBanner::retranslate()
{
    m_showButton->setText(tr("Show alerts"));
    m_dismissButton->setText(tr("Dismiss"));
}

} // namespace QuantPush
