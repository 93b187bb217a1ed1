#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace QuantPush {

class ConnectionTableModel;
class ConsoleController;

// Every connection of the server in a sortable, filterable table, refreshed
// by the controller every 2 s, and the admin `disconnect` action with a
// reason. The confirmation is a window-modal box opened asynchronously, so
// the console keeps updating while it is up.
class ConnectionsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionsPage(ConsoleController *controller, QWidget *parent = nullptr);

    ConnectionTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QAction *disconnectAction() const { return m_disconnectAction; }
    // Connection ids of the selected rows, in view order.
    QStringList selectedIds() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    void onConnectionsUpdated(const QJsonArray &connections);
    void confirmDisconnect();
    void disconnectNow(const QStringList &ids, const QString &reason);
    void updateActions();
    void updateCount();
    void showResult(const QString &text, bool error);

    ConsoleController *m_controller;
    ConnectionTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_countLabel;
    QLabel *m_refreshedLabel;
    QTableView *m_view;
    QLabel *m_reasonLabel;
    QLineEdit *m_reason;
    QPushButton *m_disconnectButton;
    QLabel *m_resultLabel;
    QAction *m_disconnectAction;
    QAction *m_copyIdAction;
    QStringList m_pendingDisconnects; // request ids
    qint64 m_refreshedAtMs = 0;
};

} // namespace QuantPush
