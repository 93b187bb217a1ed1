#include "SettingsDialog.h"

#include "ConsoleSettings.h"
#include "LanguageManager.h"
#include "RecentServers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

SettingsDialog::SettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_languageLabel(new QLabel(this))
    , m_language(new QComboBox(this))
    , m_languageNote(new QLabel(this))
    , m_windowLabel(new QLabel(this))
    , m_window(new QComboBox(this))
    , m_rowsLabel(new QLabel(this))
    , m_rows(new QSpinBox(this))
    , m_notifications(new QCheckBox(this))
    , m_forgetSecrets(new QPushButton(this))
    , m_forgetResult(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_language->addItem(QString(), QString());
    const QStringList languages = LanguageManager::supported();
    for (const QString &language : languages)
        m_language->addItem(LanguageManager::nativeName(language), language);
    m_language->setCurrentIndex(qMax(0, m_language->findData(ConsoleSettings::language())));
    for (const int minutes : {1, 5, 15})
        m_window->addItem(QString(), minutes);
    m_window->setCurrentIndex(qMax(0, m_window->findData(ConsoleSettings::chartWindowMinutes())));
    m_rows->setRange(ConsoleSettings::MinInspectorRows, ConsoleSettings::MaxInspectorRows);
    m_rows->setSingleStep(500);
    m_rows->setValue(ConsoleSettings::inspectorRowLimit());
    m_notifications->setChecked(ConsoleSettings::desktopNotifications());
    m_languageNote->setWordWrap(true);
    m_languageNote->setForegroundRole(QPalette::PlaceholderText);

    auto *form = new QFormLayout;
    form->addRow(m_languageLabel, m_language);
    form->addRow(QString(), m_languageNote);
    form->addRow(m_windowLabel, m_window);
    form->addRow(m_rowsLabel, m_rows);
    form->addRow(QString(), m_notifications);
    form->addRow(QString(), m_forgetSecrets);
    form->addRow(QString(), m_forgetResult);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_forgetSecrets, &QPushButton::clicked, this, [this] {
        RecentServers::forgetSecrets();
        m_forgetResult->setText(tr("Stored tokens and API keys were removed."));
    });
    retranslate();
}

QString SettingsDialog::language() const { return m_language->currentData().toString(); }
int SettingsDialog::windowMinutes() const { return m_window->currentData().toInt(); }
int SettingsDialog::inspectorRows() const { return m_rows->value(); }
bool SettingsDialog::desktopNotifications() const { return m_notifications->isChecked(); }

void SettingsDialog::save() const
{
    ConsoleSettings::setLanguage(language());
    ConsoleSettings::setChartWindowMinutes(windowMinutes());
    ConsoleSettings::setInspectorRowLimit(inspectorRows());
    ConsoleSettings::setDesktopNotifications(desktopNotifications());
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings"));
    m_languageLabel->setText(tr("Language:"));
    m_language->setItemText(0, tr("System default (%1)").arg(LanguageManager::nativeName(LanguageManager::resolve({}))));
    m_languageNote->setText(tr("Applies at once; the --lang option overrides it for one run."));
    m_windowLabel->setText(tr("Dashboard window:"));
    m_window->setItemText(0, tr("1 minute"));
    m_window->setItemText(1, tr("5 minutes"));
    m_window->setItemText(2, tr("15 minutes"));
    m_rowsLabel->setText(tr("Inspector keeps at most:"));
    m_rows->setSuffix(tr(" rows"));
    m_notifications->setText(tr("Desktop notifications for alerts (when the desktop has a system tray)"));
    m_forgetSecrets->setText(tr("Forget all stored tokens and API keys"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("OK"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
}

} // namespace QuantPush
