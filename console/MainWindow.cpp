#include "MainWindow.h"

#include "AlertModel.h"
#include "AlertsPage.h"
#include "BroadcastComposer.h"
#include "ConnectDialog.h"
#include "ConnectionStatusWidget.h"
#include "ConnectionsPage.h"
#include "ConsoleResources.h"
#include "ConsoleController.h"
#include "ConsoleLogging.h"
#include "ConsoleSettings.h"
#include "DashboardPage.h"
#include "InspectorPage.h"
#include "LanguageManager.h"
#include "NotificationBanner.h"
#include "StatisticsPage.h"
#include "RecentServers.h"
#include "SettingsDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

const char16_t *const PageIcons[] = {u":/icons/nav-dashboard.png", u":/icons/nav-connections.png",
                                     u":/icons/nav-statistics.png", u":/icons/nav-composer.png", u":/icons/nav-inspector.png",
                                     u":/icons/nav-alerts.png"};

} // namespace

MainWindow::MainWindow(ConsoleController *controller, LanguageManager *languages, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_languages(languages)
    , m_nav(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_banner(new NotificationBanner(this))
    , m_dashboard(new DashboardPage(controller->timeline(), this))
    , m_connections(new ConnectionsPage(controller, this))
    , m_statistics(new StatisticsPage(controller->timeline(), this))
    , m_composer(new BroadcastComposer(controller, this))
    , m_inspector(new InspectorPage(controller, this))
    , m_alerts(new AlertsPage(controller, this))
    , m_status(new ConnectionStatusWidget(controller, this))
{
    initConsoleResources();
    setWindowIcon(QIcon(u":/icons/quantpush-console.png"_s));
    buildActions();
    buildMenus();
    buildCentral();
    statusBar()->addWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(false);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showPage(AlertsPageIndex);
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }

    connect(m_controller, &ConsoleController::statusChanged, this, [this] {
        updateTitle();
        updateActions();
    });
    connect(m_controller, &ConsoleController::alertReceived, this, &MainWindow::onAlert);
    connect(m_alerts, &AlertsPage::firingCountChanged, this, [this](int firing) {
        m_firingAlerts = firing;
        retranslate();
    });
    connect(m_banner, &NotificationBanner::showRequested, this, [this] { showPage(AlertsPageIndex); });

    if (!restoreGeometry(ConsoleSettings::windowGeometry()))
        resize(1440, 900);
    retranslate();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    m_connectAction = new QAction(this);
    m_connectAction->setShortcut(QKeySequence::Open);
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::openConnectDialog);
    m_disconnectAction = new QAction(this);
    connect(m_disconnectAction, &QAction::triggered, m_controller, &ConsoleController::disconnectFromServer);
    m_settingsAction = new QAction(this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettingsDialog);
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    for (int page = 0; page < PageCount; ++page) {
        auto *action = new QAction(QIcon(QString::fromUtf16(PageIcons[page])), QString(), this);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + page)));
        connect(action, &QAction::triggered, this, [this, page] { showPage(Page(page)); });
        m_pageActions.append(action);
    }
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_connectAction);
    m_fileMenu->addAction(m_disconnectAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_settingsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addActions(m_pageActions);
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::buildCentral()
{
    m_nav->setIconSize(QSize(20, 20));
    m_nav->setSpacing(2);
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_nav->setStyleSheet(u"QListWidget { background: palette(window); } QListWidget::item { padding: 8px 6px; }"_s);
    for (int page = 0; page < PageCount; ++page)
        m_nav->addItem(new QListWidgetItem(QIcon(QString::fromUtf16(PageIcons[page])), QString()));
    for (QWidget *page : std::initializer_list<QWidget *> {m_dashboard, m_connections, m_statistics, m_composer, m_inspector, m_alerts})
        m_stack->addWidget(page);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(DashboardPageIndex);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(4);
    contentLayout->addWidget(m_banner);
    contentLayout->addWidget(m_stack, 1);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_nav);
    layout->addWidget(content, 1);
    setCentralWidget(central);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    m_fileMenu->setTitle(tr("&Server"));
    m_viewMenu->setTitle(tr("&View"));
    m_helpMenu->setTitle(tr("&Help"));
    m_connectAction->setText(tr("&Connect…"));
    m_disconnectAction->setText(tr("&Disconnect"));
    m_settingsAction->setText(tr("&Settings…"));
    m_quitAction->setText(tr("&Quit"));
    m_aboutAction->setText(tr("&About QuantPush Console"));
    const QString names[] = {tr("Dashboard"), tr("Connections"), tr("Statistics"), tr("Broadcast"), tr("Inspector"),
                             m_firingAlerts > 0 ? tr("Alerts (%1)").arg(m_firingAlerts) : tr("Alerts")};
    for (int page = 0; page < PageCount; ++page) {
        m_nav->item(page)->setText(names[page]);
        m_pageActions[page]->setText(names[page]);
    }
    m_nav->item(AlertsPageIndex)->setForeground(m_firingAlerts > 0 ? QBrush(QColor(0xc0, 0x39, 0x2b)) : QBrush());
    // The navigation is as wide as its longest entry, in any language.
    m_nav->setFixedWidth(m_nav->sizeHintForColumn(0) + 2 * m_nav->frameWidth() + 16);
    if (m_tray)
        m_tray->setToolTip(tr("QuantPush Console"));
    updateTitle();
}

void MainWindow::updateTitle()
{
    const QUrl url = m_controller->profile().url;
    const QString server = url.port() >= 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    setWindowTitle(url.isEmpty() ? tr("QuantPush Console") : tr("QuantPush Console — %1").arg(server));
}

void MainWindow::updateActions()
{
    const PushClient::State state = m_controller->status().state;
    m_disconnectAction->setEnabled(state != PushClient::State::Disconnected && state != PushClient::State::Failed);
}

void MainWindow::showPage(Page page)
{
    m_nav->setCurrentRow(page);
}

std::optional<MainWindow::Page> MainWindow::pageFromName(const QString &name)
{
    const int index = int(ConsoleOptions::pages().indexOf(name));
    if (index < 0)
        return std::nullopt;
    // ConsoleOptions::pages() lists them in navigation order.
    return Page(index);
}

void MainWindow::start(const ConsoleOptions &options)
{
    if (const auto page = pageFromName(options.page))
        showPage(*page);
    if (!options.profile) {
        openConnectDialog();
        return;
    }
    ServerProfile remembered = *options.profile;
    remembered.rememberSecret = false; // a secret given on the command line is never written to disk
    RecentServers::remember(remembered);
    m_controller->connectTo(*options.profile);
    if (!options.inspectChannel.isEmpty())
        m_inspector->subscribeTo(options.inspectChannel);
    if (!options.sendTemplateChannel.isEmpty())
        sendTemplateWhenConnected(options.sendTemplateChannel);
}

void MainWindow::sendTemplateWhenConnected(const QString &channel)
{
    m_composer->setChannel(channel);
    m_composer->loadTemplate();
    // Once, on the first successful connection.
    m_sendTemplateConnection = connect(m_controller, &ConsoleController::statusChanged, this,
                                       [this](const ConsoleController::Status &status) {
                                           if (status.state != PushClient::State::Connected)
                                               return;
                                           disconnect(m_sendTemplateConnection);
                                           // The dry run first: the page then shows both answers.
                                           m_composer->preview();
                                           m_composer->send();
                                       });
}

void MainWindow::openConnectDialog()
{
    auto *dialog = new ConnectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_controller->profile().isValid()) {
        ServerProfile current = m_controller->profile();
        dialog->setProfile(current);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_controller->connectTo(dialog->profile()); });
    dialog->open();
}

void MainWindow::openSettingsDialog()
{
    auto *dialog = new SettingsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_languages->apply(dialog->language());
        m_dashboard->setWindowMinutes(dialog->windowMinutes());
        m_inspector->setRowLimit(dialog->inspectorRows());
    });
    dialog->open();
}

void MainWindow::onAlert(const AlertEvent &event)
{
    const bool firing = event.phase == AlertEvent::Phase::Firing;
    QString text;
    if (firing) {
        text = tr("Alert firing: %1, value %2, threshold %3")
                   .arg(event.rule, AlertModel::valueText(event.value), AlertModel::valueText(event.threshold));
    } else if (event.phase == AlertEvent::Phase::Cleared) {
        text = tr("Alert cleared: %1").arg(event.rule);
    } else {
        text = tr("Alert %1: %2").arg(event.rule, event.state);
    }
    qCInfo(lcConsole).noquote() << "alert" << event.rule << event.state;
    if (m_tray && ConsoleSettings::desktopNotifications()) {
        m_tray->showMessage(tr("QuantPush alert"), text,
                            firing ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
        return;
    }
    m_banner->notify(text, firing ? NotificationBanner::Severity::Critical : NotificationBanner::Severity::Information);
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("About QuantPush Console"),
                                tr("<b>QuantPush Console %1</b><p>The admin console of the QuantPush real-time push "
                                   "server: live statistics, connections, broadcasts, a message inspector and "
                                   "alerts.</p><p>Licensed under the GNU GPL version 3.</p>")
                                    .arg(QApplication::applicationVersion()),
                                QMessageBox::Ok, this);
    box->setIconPixmap(windowIcon().pixmap(64, 64));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    ConsoleSettings::setWindowGeometry(saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace QuantPush
