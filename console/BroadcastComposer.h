#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace QuantPush {

class BroadcastHistoryModel;
class ConsoleController;
class JsonEditor;

// Composes an admin `publish`: channel, strategy, priority, optional
// filters and a JSON payload validated as it is typed, with a template per
// channel. The `published` reply's seq and recipient count are shown and
// kept in a history of this session.
class BroadcastComposer : public QWidget
{
    Q_OBJECT

public:
    explicit BroadcastComposer(ConsoleController *controller, QWidget *parent = nullptr);

    void setChannel(const QString &channel);
    QString channel() const;
    void loadTemplate();
    // Returns the request id, or "" when nothing could be sent.
    QString send();

    JsonEditor *payloadEditor() const { return m_payload; }
    JsonEditor *filtersEditor() const { return m_filters; }
    QComboBox *strategyCombo() const { return m_strategy; }
    QSpinBox *prioritySpin() const { return m_priority; }
    QPushButton *sendButton() const { return m_sendButton; }
    BroadcastHistoryModel *history() const { return m_history; }
    QString resultText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    void updateSendEnabled();
    void updateChannelInfo();
    void onChannelChanged();
    void onPublished(const QString &requestId, qint64 seq, qint64 recipients);
    void onFailed(const QString &requestId, const QString &code, const QString &message);
    void showResult(const QString &text, bool error);

    ConsoleController *m_controller;
    BroadcastHistoryModel *m_history;
    QLabel *m_channelLabel;
    QComboBox *m_channel;
    QLabel *m_strategyLabel;
    QComboBox *m_strategy;
    QLabel *m_channelInfo;
    QLabel *m_priorityLabel;
    QSpinBox *m_priority;
    QPushButton *m_templateButton;
    QLabel *m_payloadLabel;
    JsonEditor *m_payload;
    QLabel *m_filtersLabel;
    JsonEditor *m_filters;
    QLabel *m_filtersHelp;
    QPushButton *m_sendButton;
    QLabel *m_result;
    QLabel *m_historyLabel;
    QTableView *m_historyView;
    QString m_lastTemplate; // to replace an untouched template when the channel changes
};

} // namespace QuantPush
