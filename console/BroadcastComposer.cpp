#include "BroadcastComposer.h"

#include "BroadcastHistoryModel.h"
#include "ConnectionTableModel.h"
#include "ConsoleController.h"
#include "Formatting.h"
#include "JsonEditor.h"
#include "PayloadTemplates.h"
#include "StatsTimeline.h"
#include "WireNames.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalBlocker>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

BroadcastComposer::BroadcastComposer(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_history(new BroadcastHistoryModel(this))
    , m_channelLabel(new QLabel(this))
    , m_channel(new QComboBox(this))
    , m_strategyLabel(new QLabel(this))
    , m_strategy(new QComboBox(this))
    , m_channelInfo(new QLabel(this))
    , m_priorityLabel(new QLabel(this))
    , m_priority(new QSpinBox(this))
    , m_templateButton(new QPushButton(this))
    , m_payloadLabel(new QLabel(this))
    , m_payload(new JsonEditor(this))
    , m_targetLabel(new QLabel(this))
    , m_targetKind(new QComboBox(this))
    , m_targetValue(new QComboBox(this))
    , m_targetHelp(new QLabel(this))
    , m_previewButton(new QPushButton(this))
    , m_preview(new QLabel(this))
    , m_sendButton(new QPushButton(this))
    , m_result(new QLabel(this))
    , m_historyLabel(new QLabel(this))
    , m_historyView(new QTableView(this))
{
    const QStringList channels = Wire::channels();
    for (const QString &channel : channels)
        m_channel->addItem(channel, channel);
    m_strategy->addItem(QString(), QString());
    const QStringList strategies = Wire::strategies();
    for (const QString &strategy : strategies)
        m_strategy->addItem(strategy, strategy);
    m_priority->setRange(-1, 9);
    m_priority->setValue(-1);
    for (int kind = 0; kind < 4; ++kind)
        m_targetKind->addItem(QString(), kind);
    m_targetValue->setEditable(true); // a session or user not listed yet can be typed
    m_targetValue->setInsertPolicy(QComboBox::NoInsert);
    m_targetValue->setMinimumContentsLength(18);
    m_targetHelp->setWordWrap(true);
    m_targetHelp->setForegroundRole(QPalette::PlaceholderText);
    m_preview->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setWordWrap(true);
    m_channelInfo->setForegroundRole(QPalette::PlaceholderText);
    m_sendButton->setDefault(true);
    m_sendButton->setMinimumWidth(120);

    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->setWordWrap(false);
    m_historyView->verticalHeader()->hide();
    m_historyView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_historyView->verticalHeader()->setDefaultSectionSize(m_historyView->fontMetrics().height() + 8);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {80, 150, 130, 80, 150, 80, 90};
    for (int column = 0; column < BroadcastHistoryModel::Payload; ++column)
        m_historyView->setColumnWidth(column, widths[column]);

    buildLayout();
    retranslate();
    loadTemplate();

    connect(m_channel, &QComboBox::currentIndexChanged, this, &BroadcastComposer::onChannelChanged);
    connect(m_templateButton, &QPushButton::clicked, this, &BroadcastComposer::loadTemplate);
    connect(m_sendButton, &QPushButton::clicked, this, &BroadcastComposer::send);
    connect(m_payload, &JsonEditor::validityChanged, this, &BroadcastComposer::updateSendEnabled);
    connect(m_previewButton, &QPushButton::clicked, this, &BroadcastComposer::preview);
    connect(m_targetKind, &QComboBox::currentIndexChanged, this, [this] {
        updateTargetValues();
        invalidatePreview();
        updateSendEnabled();
    });
    connect(m_targetValue, &QComboBox::currentTextChanged, this, [this] {
        invalidatePreview();
        updateSendEnabled();
    });
    connect(m_channel, &QComboBox::currentIndexChanged, this, &BroadcastComposer::invalidatePreview);
    connect(m_controller, &ConsoleController::recipientsPreviewed, this, &BroadcastComposer::onPreviewed);
    connect(m_controller, &ConsoleController::connectionsUpdated, this, &BroadcastComposer::onConnections);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, [this] {
        if (m_sendButton->isEnabled())
            send();
    });
    connect(m_controller, &ConsoleController::statusChanged, this, &BroadcastComposer::updateSendEnabled);
    connect(m_controller->timeline(), &StatsTimeline::updated, this, &BroadcastComposer::updateChannelInfo);
    connect(m_channel, &QComboBox::currentIndexChanged, this, &BroadcastComposer::updateChannelInfo);
    connect(m_controller, &ConsoleController::published, this, &BroadcastComposer::onPublished);
    connect(m_controller, &ConsoleController::requestFailed, this, &BroadcastComposer::onFailed);
    updateTargetValues();
}

void BroadcastComposer::buildLayout()
{
    // Left: the payload, the biggest thing to edit. Right: where it goes and
    // to whom, then the Publish button and its result.
    auto *payloadHeader = new QHBoxLayout;
    payloadHeader->addWidget(m_payloadLabel);
    payloadHeader->addStretch(1);
    payloadHeader->addWidget(m_templateButton);
    auto *left = new QVBoxLayout;
    left->addLayout(payloadHeader);
    left->addWidget(m_payload, 1);

    auto *options = new QFormLayout;
    options->addRow(m_channelLabel, m_channel);
    options->addRow(QString(), m_channelInfo);
    options->addRow(m_strategyLabel, m_strategy);
    options->addRow(m_priorityLabel, m_priority);
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_sendButton);
    sendRow->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addLayout(options);
    right->addSpacing(8);
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_targetKind);
    targetRow->addWidget(m_targetValue, 1);
    right->addWidget(m_targetLabel);
    right->addLayout(targetRow);
    right->addWidget(m_targetHelp);
    auto *previewRow = new QHBoxLayout;
    previewRow->addWidget(m_previewButton);
    previewRow->addWidget(m_preview, 1);
    right->addLayout(previewRow);
    right->addStretch(1);
    right->addLayout(sendRow);
    right->addWidget(m_result);

    auto *composer = new QWidget(this);
    auto *composerLayout = new QHBoxLayout(composer);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addLayout(left, 3);
    composerLayout->addSpacing(8);
    composerLayout->addLayout(right, 2);

    auto *historyPane = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyPane);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(m_historyLabel);
    historyLayout->addWidget(m_historyView, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(composer);
    splitter->addWidget(historyPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
}

void BroadcastComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void BroadcastComposer::retranslate()
{
    m_channelLabel->setText(tr("Channel:"));
    m_strategyLabel->setText(tr("Strategy:"));
    m_strategy->setItemText(0, tr("Channel default"));
    m_priorityLabel->setText(tr("Priority:"));
    m_priority->setSpecialValueText(tr("Default"));
    // QSpinBox sizes itself for the numbers only; make room for the word.
    m_priority->setMinimumWidth(m_priority->fontMetrics().horizontalAdvance(m_priority->specialValueText()) + 48);
    m_priority->setToolTip(tr("0 to 9, 9 highest; used by the priority_queue strategy"));
    m_templateButton->setText(tr("Load template"));
    m_templateButton->setToolTip(tr("Replace the payload with an example for this channel"));
    m_payloadLabel->setText(tr("Payload (JSON object):"));
    m_targetLabel->setText(tr("Send to:"));
    m_targetKind->setItemText(int(Target::Everyone), tr("Every subscriber"));
    m_targetKind->setItemText(int(Target::Role), tr("Connections with role"));
    m_targetKind->setItemText(int(Target::User), tr("Connections of user"));
    m_targetKind->setItemText(int(Target::Session), tr("One session"));
    m_targetHelp->setText(tr("Subscribers of the channel receive it; a role, user or session narrows that to "
                             "those connections (picked from the connection table). Their own subscription "
                             "filters and account scope still apply."));
    m_previewButton->setText(tr("Preview recipients"));
    m_previewButton->setToolTip(tr("Ask the server how many connections would receive this now (nothing is sent)"));
    m_sendButton->setText(tr("Publish"));
    m_sendButton->setToolTip(tr("Publish to the channel (Ctrl+Enter)"));
    m_historyLabel->setText(tr("Sent this session"));
    m_history->retranslate();
    updateChannelInfo();
}

// Who would get the message now: the channel's subscription count and
// latest seq from the last stats point.
void BroadcastComposer::updateChannelInfo()
{
    const std::optional<StatsTimeline::Point> latest = m_controller->timeline()->latest();
    if (!latest || !latest->stats.channels.contains(channel())) {
        m_channelInfo->clear();
        return;
    }
    const StatsSnapshot::ChannelCounters counters = latest->stats.channels.value(channel());
    m_channelInfo->setText(tr("%n subscription(s) on this channel now, latest seq %1", nullptr, int(counters.subscriptions))
                               .arg(Format::count(counters.seq)));
}

void BroadcastComposer::setChannel(const QString &channel)
{
    const int index = m_channel->findData(channel);
    if (index >= 0)
        m_channel->setCurrentIndex(index);
}

QString BroadcastComposer::channel() const { return m_channel->currentData().toString(); }

void BroadcastComposer::loadTemplate()
{
    m_lastTemplate = PayloadTemplates::forChannel(channel());
    m_payload->setText(m_lastTemplate);
}

void BroadcastComposer::onChannelChanged()
{
    // Swap the example only when the operator has not edited it.
    const QString current = m_payload->text().trimmed();
    if (current.isEmpty() || current == m_lastTemplate)
        loadTemplate();
}

void BroadcastComposer::updateSendEnabled()
{
    const bool targetChosen = target() == Target::Everyone || !targetValue().isEmpty();
    const bool ready = m_controller->isConnected() && m_payload->isValid() && targetChosen;
    m_sendButton->setEnabled(ready);
    m_previewButton->setEnabled(ready);
}

void BroadcastComposer::setTarget(Target target, const QString &value)
{
    m_targetKind->setCurrentIndex(int(target));
    const int index = m_targetValue->findData(value);
    if (index >= 0)
        m_targetValue->setCurrentIndex(index);
    else
        m_targetValue->setEditText(value);
}

BroadcastComposer::Target BroadcastComposer::target() const { return Target(m_targetKind->currentData().toInt()); }

QString BroadcastComposer::targetValue() const
{
    if (target() == Target::Everyone)
        return {};
    // A listed entry carries its value as data; a typed one is the text itself.
    const int index = m_targetValue->currentIndex();
    if (index >= 0 && m_targetValue->itemText(index) == m_targetValue->currentText())
        return m_targetValue->itemData(index).toString();
    return m_targetValue->currentText().trimmed();
}

QJsonObject BroadcastComposer::recipientFilter() const
{
    // PROTOCOL.md: a publish filter matches connection attributes.
    switch (target()) {
    case Target::Everyone: return {};
    case Target::Role: return {{u"role"_s, targetValue()}};
    case Target::User: return {{u"user"_s, targetValue()}};
    case Target::Session: return {{u"session_id"_s, targetValue()}};
    }
    return {};
}

QString BroadcastComposer::targetDescription() const
{
    switch (target()) {
    case Target::Everyone: return tr("every subscriber");
    case Target::Role: return tr("role %1").arg(targetValue());
    case Target::User: return tr("user %1").arg(targetValue());
    case Target::Session: return tr("session %1").arg(targetValue());
    }
    return {};
}

void BroadcastComposer::onConnections(const QJsonArray &connections)
{
    QStringList roles, users;
    QList<std::pair<QString, QString>> sessions;
    const QStringList own = m_controller->ownSessionIds();
    for (const QJsonValue &value : connections) {
        // Read the way the connection table reads it: the keys live there.
        const ConnectionTableModel::Row row = ConnectionTableModel::Row::fromJson(value.toObject());
        if (!row.role.isEmpty() && !roles.contains(row.role))
            roles.append(row.role);
        if (!row.user.isEmpty() && !users.contains(row.user))
            users.append(row.user);
        if (!row.id.isEmpty() && !own.contains(row.id)) {
            sessions.append({row.id, u"%1 · %2 (%3) %4"_s.arg(row.id, row.user.isEmpty() ? u"-"_s : row.user,
                                                               row.role.isEmpty() ? u"-"_s : row.role,
                                                               row.remoteAddress)});
        }
    }
    roles.sort();
    users.sort();
    if (roles == m_roles && users == m_users && sessions == m_sessions)
        return;
    m_roles = roles;
    m_users = users;
    m_sessions = sessions;
    updateTargetValues();
}

// Refills the value list for the target kind, keeping what was chosen or typed.
void BroadcastComposer::updateTargetValues()
{
    const QString keep = targetValue();
    const QSignalBlocker blocker(m_targetValue);
    m_targetValue->clear();
    switch (target()) {
    case Target::Everyone: break;
    case Target::Role:
        for (const QString &role : std::as_const(m_roles))
            m_targetValue->addItem(role, role);
        break;
    case Target::User:
        for (const QString &user : std::as_const(m_users))
            m_targetValue->addItem(user, user);
        break;
    case Target::Session:
        for (const auto &[id, label] : std::as_const(m_sessions))
            m_targetValue->addItem(label, id);
        break;
    }
    m_targetValue->setEnabled(target() != Target::Everyone);
    const int index = keep.isEmpty() ? -1 : m_targetValue->findData(keep);
    if (index >= 0)
        m_targetValue->setCurrentIndex(index);
    else
        m_targetValue->setEditText(keep);
    updateSendEnabled();
}

void BroadcastComposer::invalidatePreview()
{
    m_previewRequest.clear();
    m_previewed = -1;
    m_preview->clear();
}

QString BroadcastComposer::preview()
{
    m_payload->validateNow();
    if (!m_payload->isValid()) {
        showResult(tr("Fix the JSON first: nothing was sent."), true);
        return {};
    }
    invalidatePreview();
    m_previewRequest = m_controller->previewPublish(channel(), m_payload->object(), m_priority->value(),
                                                    m_strategy->currentData().toString(), recipientFilter());
    if (!m_previewRequest.isEmpty())
        m_preview->setText(tr("Asking the server…"));
    return m_previewRequest;
}

void BroadcastComposer::onPreviewed(const QString &requestId, qint64 recipients)
{
    if (requestId != m_previewRequest)
        return; // an answer to a question no longer asked
    m_previewed = recipients;
    m_preview->setText(tr("Would reach %n connection(s) now", nullptr, int(recipients)));
}

QString BroadcastComposer::previewText() const { return m_preview->text(); }

QString BroadcastComposer::send()
{
    m_payload->validateNow();
    if (!m_payload->isValid()) {
        showResult(tr("Fix the JSON first: nothing was sent."), true);
        return {};
    }
    const QString strategy = m_strategy->currentData().toString();
    const int priority = m_priority->value();
    const QString requestId = m_controller->publish(channel(), m_payload->object(), priority, strategy,
                                                    recipientFilter());
    if (requestId.isEmpty()) {
        showResult(tr("Not connected: nothing was sent."), true);
        return {};
    }
    BroadcastHistoryModel::Entry entry;
    entry.requestId = requestId;
    entry.sentAt = QDateTime::currentDateTime();
    entry.channel = channel();
    entry.strategy = strategy;
    entry.priority = priority;
    entry.target = targetDescription();
    entry.payload = QString::fromUtf8(QJsonDocument(m_payload->object()).toJson(QJsonDocument::Compact));
    m_history->add(entry);
    showResult(tr("Publishing on %1…").arg(entry.channel), false);
    return requestId;
}

void BroadcastComposer::onPublished(const QString &requestId, qint64 seq, qint64 recipients)
{
    if (!m_history->markPublished(requestId, seq, recipients))
        return;
    const QString channel = m_history->entry(m_history->rowOf(requestId)).channel;
    showResult(tr("Published on %1: seq %2, %n recipient(s).", nullptr, int(recipients))
                   .arg(channel, Format::count(seq)),
               false);
}

void BroadcastComposer::onFailed(const QString &requestId, const QString &code, const QString &message)
{
    if (requestId == m_previewRequest) {
        m_preview->setText(tr("Preview failed: %1 (%2)").arg(message, code));
        return;
    }
    if (!m_history->markFailed(requestId, u"%1: %2"_s.arg(code, message)))
        return;
    showResult(tr("The server refused the message: %1 (%2)").arg(message, code), true);
}

void BroadcastComposer::showResult(const QString &text, bool error)
{
    m_result->setText(text);
    m_result->setStyleSheet(error ? u"color: #c0392b;"_s : u"color: #2e7d32;"_s);
}

QString BroadcastComposer::resultText() const { return m_result->text(); }

} // namespace QuantPush
