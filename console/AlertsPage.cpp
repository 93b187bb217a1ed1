#include "AlertsPage.h"

#include "AlertModel.h"
#include "ConsoleController.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

AlertsPage::AlertsPage(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_model(new AlertModel(this))
    , m_summary(new QLabel(this))
    , m_clearButton(new QPushButton(this))
    , m_view(new QTableView(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {170, 220, 100, 140, 140};
    for (int column = 0; column < AlertModel::Since; ++column)
        m_view->setColumnWidth(column, widths[column]);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    retranslate();
    connect(controller, &ConsoleController::alertReceived, this, &AlertsPage::onAlert);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_model->clear();
        updateSummary();
    });
}

void AlertsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void AlertsPage::retranslate()
{
    m_clearButton->setText(tr("Clear log"));
    m_clearButton->setToolTip(tr("Empty the list; rules still firing stay counted until they clear"));
    m_model->retranslate();
    updateSummary();
}

void AlertsPage::onAlert(const AlertEvent &event)
{
    const int before = m_model->firingCount();
    m_model->add(event);
    updateSummary();
    if (m_model->firingCount() != before)
        Q_EMIT firingCountChanged(m_model->firingCount());
}

void AlertsPage::updateSummary()
{
    const int firing = m_model->firingCount();
    if (firing == 0) {
        m_summary->setText(tr("No alert rule is firing. Fire and clear events of the server's alert rules "
                              "appear here as they happen (%n event(s) logged).",
                              nullptr, m_model->rowCount()));
        m_summary->setStyleSheet(u"color: #2e7d32;"_s);
    } else {
        m_summary->setText(tr("%n rule(s) firing: %1", nullptr, firing).arg(m_model->firingRules().join(u", "_s)));
        m_summary->setStyleSheet(u"color: #c0392b; font-weight: 600;"_s);
    }
}

} // namespace QuantPush
