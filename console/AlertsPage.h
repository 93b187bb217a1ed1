#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace QuantPush {

class AlertModel;
class ConsoleController;
struct AlertEvent;

// The server's alert rules firing and clearing (system_monitor messages
// with data.kind == "alert"), as a log with the rules firing now on top.
// Notifying the operator (tray or in-window) is the main window's job.
class AlertsPage : public QWidget
{
    Q_OBJECT

public:
    explicit AlertsPage(ConsoleController *controller, QWidget *parent = nullptr);

    AlertModel *model() const { return m_model; }

Q_SIGNALS:
    void firingCountChanged(int firing);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onAlert(const AlertEvent &event);
    void updateSummary();

    AlertModel *m_model;
    QLabel *m_summary;
    QPushButton *m_clearButton;
    QTableView *m_view;
};

} // namespace QuantPush
