#pragma once

#include <QWidget>

class QComboBox;
class QJsonArray;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace QuantPush {

class BroadcastHistoryModel;
class ConsoleController;
class JsonEditor;

// Composes an admin `publish`: channel, strategy, priority, a JSON payload
// validated as it is typed (with a template per channel), and who gets it:
// everyone subscribed, or only the connections of one role, one user or one
// session, picked from the live connection table (the server matches these
// against connection attributes, PROTOCOL.md's recipient filter). Preview
// asks the server for a dry run and shows how many connections the message
// would reach now; the `published` reply's seq and recipient count are
// shown and kept in a history of this session.
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
    // A dry run of what send() would send; returns the request id or "".
    QString preview();

    enum class Target { Everyone, Role, User, Session };
    void setTarget(Target target, const QString &value = {});
    Target target() const;
    QString targetValue() const;
    // The recipient filter the target makes ({} for everyone).
    QJsonObject recipientFilter() const;

    JsonEditor *payloadEditor() const { return m_payload; }
    QComboBox *targetCombo() const { return m_targetKind; }
    QComboBox *targetValueCombo() const { return m_targetValue; }
    QPushButton *previewButton() const { return m_previewButton; }
    // The last dry run's answer, -1 while none (or after a change).
    qint64 previewedRecipients() const { return m_previewed; }
    QString previewText() const;
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
    void onPreviewed(const QString &requestId, qint64 recipients);
    void onConnections(const QJsonArray &connections);
    void updateTargetValues();
    void invalidatePreview();
    QString targetDescription() const;
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
    QLabel *m_targetLabel;
    QComboBox *m_targetKind;
    QComboBox *m_targetValue;
    QLabel *m_targetHelp;
    QPushButton *m_previewButton;
    QLabel *m_preview;
    QPushButton *m_sendButton;
    QLabel *m_result;
    QLabel *m_historyLabel;
    QTableView *m_historyView;
    QString m_lastTemplate; // to replace an untouched template when the channel changes
    // From the last `connections` reply: the roles, users and sessions to pick from.
    QStringList m_roles;
    QStringList m_users;
    QList<std::pair<QString, QString>> m_sessions; // id, "id · user (role) address"
    QString m_previewRequest;
    qint64 m_previewed = -1;
};

} // namespace QuantPush
