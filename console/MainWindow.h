#pragma once

#include "ConsoleOptions.h"

#include <QMainWindow>

class QAction;
class QListWidget;
class QMenu;
class QStackedWidget;
class QSystemTrayIcon;

namespace QuantPush {

class AlertsPage;
class BroadcastComposer;
class ConnectionStatusWidget;
class ConnectionsPage;
class ConsoleController;
class DashboardPage;
class InspectorPage;
class LanguageManager;
class StatisticsPage;
class NotificationBanner;
struct AlertEvent;

// The console's window: a navigation list, the six pages, the connection
// status bar, and the alert notifications (system tray when the desktop has
// one, an in-window banner otherwise). It holds no connection logic: that
// is ConsoleController's (and PushClient's) job.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum Page {
        DashboardPageIndex, ConnectionsPageIndex, StatisticsPageIndex, ComposerPageIndex, InspectorPageIndex,
        AlertsPageIndex, PageCount
    };

    MainWindow(ConsoleController *controller, LanguageManager *languages, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Applies the command line: connect, open a page, scripted actions.
    void start(const ConsoleOptions &options);
    void showPage(Page page);
    static std::optional<Page> pageFromName(const QString &name);

    DashboardPage *dashboard() const { return m_dashboard; }
    ConnectionsPage *connectionsPage() const { return m_connections; }
    StatisticsPage *statisticsPage() const { return m_statistics; }
    BroadcastComposer *composer() const { return m_composer; }
    InspectorPage *inspector() const { return m_inspector; }
    AlertsPage *alertsPage() const { return m_alerts; }
    NotificationBanner *banner() const { return m_banner; }
    ConnectionStatusWidget *statusWidget() const { return m_status; }

public Q_SLOTS:
    void openConnectDialog();
    void openSettingsDialog();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildMenus();
    void buildCentral();
    void retranslate();
    void updateTitle();
    void updateActions();
    void onAlert(const AlertEvent &event);
    void sendTemplateWhenConnected(const QString &channel);
    void showAbout();

    ConsoleController *m_controller;
    LanguageManager *m_languages;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    NotificationBanner *m_banner;
    DashboardPage *m_dashboard;
    ConnectionsPage *m_connections;
    StatisticsPage *m_statistics;
    BroadcastComposer *m_composer;
    InspectorPage *m_inspector;
    AlertsPage *m_alerts;
    ConnectionStatusWidget *m_status;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_connectAction;
    QAction *m_disconnectAction;
    QAction *m_settingsAction;
    QAction *m_quitAction;
    QAction *m_aboutAction;
    QList<QAction *> m_pageActions;
    int m_firingAlerts = 0;
    QMetaObject::Connection m_sendTemplateConnection;
};

} // namespace QuantPush
