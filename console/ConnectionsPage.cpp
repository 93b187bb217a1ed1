#include "ConnectionsPage.h"

#include "ConnectionTableModel.h"
#include "ConsoleController.h"
#include "Formatting.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

ConnectionsPage::ConnectionsPage(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new ConnectionTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_countLabel(new QLabel(this))
    , m_refreshedLabel(new QLabel(this))
    , m_view(new QTableView(this))
    , m_reasonLabel(new QLabel(this))
    , m_reason(new QLineEdit(this))
    , m_disconnectButton(new QPushButton(this))
    , m_resultLabel(new QLabel(this))
    , m_disconnectAction(new QAction(this))
    , m_copyIdAction(new QAction(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConnectionTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConnectionTableModel::Id, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ConnectionTableModel::Subscriptions, QHeaderView::Stretch);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_disconnectAction);
    m_view->addAction(m_copyIdAction);
    const int widths[] = {70, 180, 80, 110, 150, 130, 0, 110, 110, 100};
    for (int column = 0; column < ConnectionTableModel::ColumnCount; ++column) {
        if (widths[column] > 0)
            m_view->setColumnWidth(column, widths[column]);
    }

    m_filter->setClearButtonEnabled(true);
    m_reason->setClearButtonEnabled(true);
    m_reason->setMaxLength(120); // the server truncates close reasons there
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_disconnectAction->setShortcut(QKeySequence::Delete);
    m_disconnectAction->setShortcutContext(Qt::WidgetShortcut);

    buildLayout();
    retranslate();

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ConnectionsPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ConnectionsPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ConnectionsPage::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ConnectionsPage::updateCount);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConnectionsPage::updateActions);
    connect(m_disconnectButton, &QPushButton::clicked, m_disconnectAction, &QAction::trigger);
    connect(m_disconnectAction, &QAction::triggered, this, &ConnectionsPage::confirmDisconnect);
    connect(m_copyIdAction, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(selectedIds().join(u' ')); });

    connect(m_controller, &ConsoleController::connectionsUpdated, this, &ConnectionsPage::onConnectionsUpdated);
    connect(m_controller, &ConsoleController::statusChanged, this, [this](const ConsoleController::Status &status) {
        if (status.state != PushClient::State::Connected && status.state != PushClient::State::Reconnecting)
            m_model->clear(); // a different server, or none: old rows would mislead
        updateActions();
    });
    connect(m_controller, &ConsoleController::disconnectDone, this,
            [this](const QString &requestId, const QString &connectionId) {
                if (m_pendingDisconnects.removeAll(requestId) > 0)
                    showResult(tr("Connection %1 was disconnected.").arg(connectionId), false);
            });
    connect(m_controller, &ConsoleController::requestFailed, this,
            [this](const QString &requestId, const QString &code, const QString &message) {
                if (m_pendingDisconnects.removeAll(requestId) > 0)
                    showResult(tr("Disconnect failed: %1 (%2)").arg(message, code), true);
            });
    updateActions();
    updateCount();
}

void ConnectionsPage::buildLayout()
{
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_countLabel);
    top->addSpacing(12);
    top->addWidget(m_refreshedLabel);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_reasonLabel);
    bottom->addWidget(m_reason, 1);
    bottom->addWidget(m_disconnectButton);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);
    layout->addWidget(m_resultLabel);
}

void ConnectionsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConnectionsPage::retranslate()
{
    m_filter->setPlaceholderText(tr("Filter by ID, user, role, address or channel…"));
    m_reasonLabel->setText(tr("Reason:"));
    m_reason->setPlaceholderText(tr("Sent to the client with the close frame (optional)"));
    m_disconnectButton->setText(tr("Disconnect…"));
    m_disconnectAction->setText(tr("Disconnect…"));
    m_copyIdAction->setText(tr("Copy connection ID"));
    m_model->retranslate();
    updateCount();
}

QStringList ConnectionsPage::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids.append(row.data(ConnectionTableModel::IdRole).toString());
    return ids;
}

void ConnectionsPage::onConnectionsUpdated(const QJsonArray &connections)
{
    m_model->setOwnSessionIds(m_controller->ownSessionIds());
    m_model->setConnections(connections);
    m_refreshedAtMs = QDateTime::currentMSecsSinceEpoch();
    updateCount();
}

void ConnectionsPage::updateActions()
{
    const bool enabled = m_controller->isConnected() && m_view->selectionModel()->hasSelection();
    m_disconnectAction->setEnabled(enabled);
    m_disconnectButton->setEnabled(enabled);
    m_copyIdAction->setEnabled(m_view->selectionModel()->hasSelection());
}

void ConnectionsPage::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    m_countLabel->setText(shown == total ? tr("%n connection(s)", nullptr, total)
                                         : tr("%1 of %n connection(s)", nullptr, total).arg(shown));
    m_refreshedLabel->setText(m_refreshedAtMs > 0 ? tr("Refreshed %1").arg(Format::clockTime(m_refreshedAtMs))
                                                  : QString());
}

void ConnectionsPage::confirmDisconnect()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || !m_controller->isConnected())
        return;
    const QString reason = m_reason->text().trimmed();
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Disconnect clients"),
                                tr("Disconnect %n connection(s)?", nullptr, int(ids.size())), QMessageBox::NoButton,
                                this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setInformativeText(tr("Connection IDs: %1\nReason: %2\nClients that reconnect by themselves will come back.")
                                .arg(ids.join(u", "_s), reason.isEmpty() ? tr("(none)") : reason));
    QPushButton *confirm = box->addButton(tr("Disconnect"), QMessageBox::AcceptRole);
    box->addButton(tr("Cancel"), QMessageBox::RejectRole);
    box->setDefaultButton(confirm);
    connect(box, &QMessageBox::buttonClicked, this, [this, confirm, ids, reason](QAbstractButton *button) {
        if (button == confirm)
            disconnectNow(ids, reason);
    });
    box->open();
}

void ConnectionsPage::disconnectNow(const QStringList &ids, const QString &reason)
{
    for (const QString &id : ids) {
        const QString requestId = m_controller->requestDisconnect(id, reason);
        if (requestId.isEmpty()) {
            showResult(tr("Not connected: nothing was sent."), true);
            return;
        }
        m_pendingDisconnects.append(requestId);
    }
    showResult(tr("Disconnecting %1…").arg(ids.join(u", "_s)), false);
}

void ConnectionsPage::showResult(const QString &text, bool error)
{
    m_resultLabel->setText(text);
    m_resultLabel->setStyleSheet(error ? u"color: #c0392b;"_s : QString());
}

} // namespace QuantPush
