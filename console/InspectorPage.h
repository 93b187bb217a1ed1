#pragma once

#include "InspectorModel.h"
#include "client/PushClient.h"

#include <QMap>
#include <QPointer>
#include <QWidget>

#include <deque>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace QuantPush {

class ConsoleController;
class JsonEditor;

// Subscribes the inspector connection to any channel with filters and
// shows the messages as they arrive. Messages are buffered and handed to
// the view in batches every 100 ms, so a channel at thousands of messages
// per second costs one view update per batch; pausing freezes the view
// while the newest messages keep being collected (within the row limit).
class InspectorPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr int FlushIntervalMs = 100;

    explicit InspectorPage(ConsoleController *controller, QWidget *parent = nullptr);

    void subscribeTo(const QString &channel, const QJsonObject &filters = {});
    void unsubscribeFrom(const QString &channel);
    void setPaused(bool paused);
    bool isPaused() const;
    void setRowLimit(int rows);

    InspectorModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QStringList subscribedChannels() const { return m_subscriptions.keys(); }
    qint64 receivedTotal() const { return m_received; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    PushClient *ensureClient();
    void onClientReset();
    void onMessage(const QString &channel, const QString &type, qint64 seq, qint64 ts, const QJsonObject &data,
                   bool redelivered);
    void onGap(const QString &channel, qint64 from, qint64 to);
    void enqueue(InspectorModel::Row &&row);
    void flush();
    void updateLabels();
    void showDetail();
    void onSubscribeClicked();

    ConsoleController *m_controller;
    QPointer<PushClient> m_client;
    InspectorModel *m_model;
    QTimer *m_flushTimer;
    std::deque<InspectorModel::Row> m_pending;
    QMap<QString, QJsonObject> m_subscriptions;
    QString m_error;
    qint64 m_received = 0;
    qint64 m_droppedWhilePaused = 0;
    qint64 m_rateWindowStartMs = 0;
    qint64 m_rateWindowCount = 0;
    double m_rate = 0;

    QLabel *m_channelLabel;
    QComboBox *m_channel;
    QLabel *m_filtersLabel;
    JsonEditor *m_filters;
    QPushButton *m_subscribeButton;
    QPushButton *m_unsubscribeButton;
    QLabel *m_activeLabel;
    QLabel *m_connectionLabel;
    QPushButton *m_pauseButton;
    QPushButton *m_clearButton;
    QCheckBox *m_follow;
    QLabel *m_statsLabel;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
};

} // namespace QuantPush
