#include "BroadcastComposer.h"

#include "BroadcastHistoryModel.h"
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
#include <QJsonDocument>
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
    , m_filtersLabel(new QLabel(this))
    , m_filters(new JsonEditor(this))
    , m_filtersHelp(new QLabel(this))
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
    m_filters->setEmptyAllowed(true);
    m_filters->setMaximumLines(5);
    m_filtersHelp->setWordWrap(true);
    m_filtersHelp->setForegroundRole(QPalette::PlaceholderText);
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
    const int widths[] = {80, 150, 130, 80, 80, 90};
    for (int column = 0; column < BroadcastHistoryModel::Payload; ++column)
        m_historyView->setColumnWidth(column, widths[column]);

    buildLayout();
    retranslate();
    loadTemplate();

    connect(m_channel, &QComboBox::currentIndexChanged, this, &BroadcastComposer::onChannelChanged);
    connect(m_templateButton, &QPushButton::clicked, this, &BroadcastComposer::loadTemplate);
    connect(m_sendButton, &QPushButton::clicked, this, &BroadcastComposer::send);
    connect(m_payload, &JsonEditor::validityChanged, this, &BroadcastComposer::updateSendEnabled);
    connect(m_filters, &JsonEditor::validityChanged, this, &BroadcastComposer::updateSendEnabled);
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
    updateSendEnabled();
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
    right->addWidget(m_filtersLabel);
    right->addWidget(m_filters);
    right->addWidget(m_filtersHelp);
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
    m_filtersLabel->setText(tr("Filters (optional, JSON object):"));
    m_filters->setPlaceholderText(u"{\"symbol\": [\"BTCUSDT\", \"ETHUSDT\"]}"_s);
    m_filtersHelp->setText(tr("Only subscribers whose own filters match receive the message. Keys are payload "
                              "fields (dotted for nested ones); values are a scalar, a list of alternatives, or "
                              "operators such as {\"gte\": 100}."));
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
    m_sendButton->setEnabled(m_controller->isConnected() && m_payload->isValid() && m_filters->isValid());
}

QString BroadcastComposer::send()
{
    m_payload->validateNow();
    m_filters->validateNow();
    if (!m_payload->isValid() || !m_filters->isValid()) {
        showResult(tr("Fix the JSON first: nothing was sent."), true);
        return {};
    }
    const QString strategy = m_strategy->currentData().toString();
    const int priority = m_priority->value();
    const QString requestId = m_controller->publish(channel(), m_payload->object(), priority, strategy,
                                                    m_filters->object());
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
