#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace QuantPush {

// The console's preferences: language (applied live), the dashboard's
// default window, the inspector's row limit, desktop notifications, and a
// way to forget every stored secret. Saved to QSettings on OK.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    // "" for the system language.
    QString language() const;
    int windowMinutes() const;
    int inspectorRows() const;
    bool desktopNotifications() const;
    void save() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_languageLabel;
    QComboBox *m_language;
    QLabel *m_languageNote;
    QLabel *m_windowLabel;
    QComboBox *m_window;
    QLabel *m_rowsLabel;
    QSpinBox *m_rows;
    QCheckBox *m_notifications;
    QPushButton *m_forgetSecrets;
    QLabel *m_forgetResult;
    QDialogButtonBox *m_buttons;
};

} // namespace QuantPush
