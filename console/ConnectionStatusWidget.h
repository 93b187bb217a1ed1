#pragma once

#include "ConsoleController.h"

#include <QWidget>

class QLabel;
class QTimer;

namespace QuantPush {

// The status bar's account of the admin connection: connected (as whom, to
// which node of a cluster, round-trip time), reconnecting with a live countdown of the backoff
// delay from PushClient::reconnectScheduled, or failed with the reason.
class ConnectionStatusWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionStatusWidget(ConsoleController *controller, QWidget *parent = nullptr);

    QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void onStatus(const ConsoleController::Status &status);
    void refresh();
    QString describe(QColor *color) const;
    QString lossReason() const;

    ConsoleController *m_controller;
    ConsoleController::Status m_status;
    QLabel *m_dot;
    QLabel *m_text;
    QLabel *m_rtt;
    QTimer *m_countdown;
    double m_rttMs = -1;
    // With Redis, the node the connection landed on (through a load
    // balancer the URL does not say); empty for a single node.
    QString m_nodeId;
};

} // namespace QuantPush
