#include "InspectorPage.h"

#include "ConsoleController.h"
#include "ConsoleSettings.h"
#include "Formatting.h"
#include "JsonEditor.h"
#include "WireNames.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace QuantPush {

InspectorPage::InspectorPage(ConsoleController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new InspectorModel(this))
    , m_flushTimer(new QTimer(this))
    , m_channelLabel(new QLabel(this))
    , m_channel(new QComboBox(this))
    , m_filtersLabel(new QLabel(this))
    , m_filters(new JsonEditor(this))
    , m_subscribeButton(new QPushButton(this))
    , m_unsubscribeButton(new QPushButton(this))
    , m_activeLabel(new QLabel(this))
    , m_connectionLabel(new QLabel(this))
    , m_pauseButton(new QPushButton(this))
    , m_clearButton(new QPushButton(this))
    , m_follow(new QCheckBox(this))
    , m_statsLabel(new QLabel(this))
    , m_view(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
{
    const QStringList channels = Wire::channels();
    for (const QString &channel : channels)
        m_channel->addItem(channel, channel);
    m_channel->setCurrentIndex(m_channel->findData(u"market_data"_s));
    m_filters->setEmptyAllowed(true);
    m_filters->setMaximumLines(2);
    m_filters->setPlaceholderText(u"{\"symbol\": \"BTCUSDT\"}"_s);
    m_model->setCapacity(ConsoleSettings::inspectorRowLimit());
    m_pauseButton->setCheckable(true);
    m_follow->setChecked(true);
    m_activeLabel->setWordWrap(true);
    m_activeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, whatever the rate.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {100, 150, 150, 80};
    for (int column = 0; column < InspectorModel::Data; ++column)
        m_view->setColumnWidth(column, widths[column]);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    buildLayout();
    retranslate();

    m_flushTimer->setInterval(FlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &InspectorPage::flush);
    m_flushTimer->start();
    connect(m_subscribeButton, &QPushButton::clicked, this, &InspectorPage::onSubscribeClicked);
    connect(m_unsubscribeButton, &QPushButton::clicked, this,
            [this] { unsubscribeFrom(m_channel->currentData().toString()); });
    connect(m_filters, &JsonEditor::validityChanged, m_subscribeButton, &QPushButton::setEnabled);
    connect(m_pauseButton, &QPushButton::toggled, this, &InspectorPage::setPaused);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_pending.clear();
        m_model->clear();
        m_detail->clear();
        m_droppedWhilePaused = 0;
        updateLabels();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InspectorPage::showDetail);
    connect(m_controller, &ConsoleController::inspectorClientReset, this, &InspectorPage::onClientReset);
    updateLabels();
}

void InspectorPage::buildLayout()
{
    auto *subscribeRow = new QHBoxLayout;
    subscribeRow->addWidget(m_channelLabel);
    subscribeRow->addWidget(m_channel);
    subscribeRow->addWidget(m_filtersLabel);
    subscribeRow->addWidget(m_filters, 1);
    subscribeRow->addWidget(m_subscribeButton, 0, Qt::AlignTop);
    subscribeRow->addWidget(m_unsubscribeButton, 0, Qt::AlignTop);

    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_activeLabel, 1);
    stateRow->addWidget(m_connectionLabel);

    auto *viewRow = new QHBoxLayout;
    viewRow->addWidget(m_pauseButton);
    viewRow->addWidget(m_clearButton);
    viewRow->addWidget(m_follow);
    viewRow->addStretch(1);
    viewRow->addWidget(m_statsLabel);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(subscribeRow);
    layout->addLayout(stateRow);
    layout->addLayout(viewRow);
    layout->addWidget(splitter, 1);
}

void InspectorPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void InspectorPage::retranslate()
{
    m_channelLabel->setText(tr("Channel:"));
    m_filtersLabel->setText(tr("Filters:"));
    m_subscribeButton->setText(tr("Subscribe"));
    m_subscribeButton->setToolTip(tr("Subscribe (or change the filters of) this channel"));
    m_unsubscribeButton->setText(tr("Unsubscribe"));
    m_pauseButton->setText(isPaused() ? tr("Resume") : tr("Pause"));
    m_clearButton->setText(tr("Clear"));
    m_follow->setText(tr("Follow newest"));
    m_detail->setPlaceholderText(tr("Select a message to see it in full."));
    m_model->retranslate();
    updateLabels();
}

PushClient *InspectorPage::ensureClient()
{
    if (m_client)
        return m_client;
    m_client = m_controller->inspectorClient();
    connect(m_client, &PushClient::messageReceived, this, &InspectorPage::onMessage);
    connect(m_client, &PushClient::gapReported, this, &InspectorPage::onGap);
    connect(m_client, &PushClient::stateChanged, this, &InspectorPage::updateLabels);
    connect(m_client, &PushClient::subscriptionFailed, this,
            [this](const QString &channel, const QString &code, const QString &message) {
                m_subscriptions.remove(channel);
                m_error = tr("Subscribing to %1 failed: %2 (%3)").arg(channel, message, code);
                updateLabels();
            });
    return m_client;
}

void InspectorPage::onClientReset()
{
    // A new server: the old subscriptions do not carry over.
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = nullptr;
    m_subscriptions.clear();
    m_error.clear();
    updateLabels();
}

void InspectorPage::onSubscribeClicked()
{
    m_filters->validateNow();
    if (!m_filters->isValid())
        return;
    subscribeTo(m_channel->currentData().toString(), m_filters->object());
}

void InspectorPage::subscribeTo(const QString &channel, const QJsonObject &filters)
{
    if (channel.isEmpty())
        return;
    PushClient *client = ensureClient();
    m_error.clear();
    m_subscriptions.insert(channel, filters);
    client->subscribe(channel, filters);
    client->open(); // no-op when already connected
    updateLabels();
}

void InspectorPage::unsubscribeFrom(const QString &channel)
{
    if (!m_client || !m_subscriptions.contains(channel))
        return;
    m_subscriptions.remove(channel);
    m_client->unsubscribe(channel);
    if (m_subscriptions.isEmpty())
        m_client->close(); // no reason to hold a second connection open
    updateLabels();
}

void InspectorPage::setPaused(bool paused)
{
    if (m_pauseButton->isChecked() != paused)
        m_pauseButton->setChecked(paused); // re-enters through toggled
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused) {
        m_droppedWhilePaused = 0;
        flush();
    }
    updateLabels();
}

bool InspectorPage::isPaused() const { return m_pauseButton->isChecked(); }

void InspectorPage::setRowLimit(int rows) { m_model->setCapacity(rows); }

void InspectorPage::onMessage(const QString &channel, const QString &type, qint64 seq, qint64 ts,
                              const QJsonObject &data, bool redelivered)
{
    InspectorModel::Row row;
    row.receivedMs = QDateTime::currentMSecsSinceEpoch();
    row.ts = ts;
    row.channel = channel;
    row.type = type;
    row.seq = seq;
    row.data = data;
    row.redelivered = redelivered;
    enqueue(std::move(row));
}

void InspectorPage::onGap(const QString &channel, qint64 from, qint64 to)
{
    InspectorModel::Row row;
    row.receivedMs = QDateTime::currentMSecsSinceEpoch();
    row.channel = channel;
    row.type = u"gap"_s;
    row.note = tr("The server skipped seq %1 to %2 for this connection (slow consumer).").arg(from).arg(to);
    enqueue(std::move(row));
}

void InspectorPage::enqueue(InspectorModel::Row &&row)
{
    ++m_received;
    ++m_rateWindowCount;
    m_pending.push_back(std::move(row));
    // Bounded even when paused: the oldest unseen messages go first.
    if (int(m_pending.size()) > m_model->capacity()) {
        m_pending.pop_front();
        if (isPaused())
            ++m_droppedWhilePaused;
    }
}

void InspectorPage::flush()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_rateWindowStartMs == 0)
        m_rateWindowStartMs = now;
    if (now - m_rateWindowStartMs >= 1000) {
        m_rate = double(m_rateWindowCount) * 1000.0 / double(now - m_rateWindowStartMs);
        m_rateWindowCount = 0;
        m_rateWindowStartMs = now;
        updateLabels();
    }
    if (isPaused() || m_pending.empty())
        return;
    m_model->append(std::exchange(m_pending, {}));
    if (m_follow->isChecked())
        m_view->scrollToBottom();
}

void InspectorPage::updateLabels()
{
    QStringList active;
    for (auto it = m_subscriptions.constBegin(); it != m_subscriptions.constEnd(); ++it) {
        active.append(it.value().isEmpty()
                          ? it.key()
                          : it.key() + u' ' + QString::fromUtf8(QJsonDocument(it.value()).toJson(QJsonDocument::Compact)));
    }
    QString text = active.isEmpty() ? tr("No subscriptions: pick a channel and press Subscribe.")
                                    : tr("Subscribed: %1").arg(active.join(u"; "_s));
    if (!m_error.isEmpty())
        text += u"  "_s + m_error;
    m_activeLabel->setText(text);
    m_activeLabel->setStyleSheet(m_error.isEmpty() ? QString() : u"color: #c0392b;"_s);

    QString state;
    if (m_client && !m_subscriptions.isEmpty()) {
        switch (m_client->state()) {
        case PushClient::State::Connected: state = tr("Inspector connection: live"); break;
        case PushClient::State::Reconnecting: state = tr("Inspector connection: reconnecting"); break;
        case PushClient::State::Failed: state = tr("Inspector connection: failed"); break;
        case PushClient::State::Disconnected: state = tr("Inspector connection: closed"); break;
        default: state = tr("Inspector connection: connecting"); break;
        }
    }
    m_connectionLabel->setText(state);

    QString stats = tr("%1 received · %2 / s · showing %3 of at most %4")
                        .arg(Format::count(m_received), Format::rate(m_rate), Format::count(m_model->rowCount()),
                             Format::count(m_model->capacity()));
    if (isPaused())
        stats += u" · "_s + tr("paused, %1 waiting").arg(Format::count(qint64(m_pending.size())));
    if (m_droppedWhilePaused > 0)
        stats += u" · "_s + tr("%1 older ones dropped").arg(Format::count(m_droppedWhilePaused));
    m_statsLabel->setText(stats);
}

void InspectorPage::showDetail()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const InspectorModel::Row &row = m_model->row(current.row());
    if (!row.note.isEmpty()) {
        m_detail->setPlainText(row.note);
        return;
    }
    const QJsonObject message {
        {u"type"_s, row.type},
        {u"channel"_s, row.channel},
        {u"seq"_s, row.seq},
        {u"ts"_s, row.ts},
        {u"data"_s, row.data},
    };
    m_detail->setPlainText(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Indented)));
}

} // namespace QuantPush
