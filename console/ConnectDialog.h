#pragma once

#include "ServerProfile.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace QuantPush {

// Server URL, admin token or API key, TLS on or off, and the recent servers
// (QSettings). A secret is remembered only when the user ticks the box that
// says it is stored unencrypted.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    void setProfile(const ServerProfile &profile);
    ServerProfile profile() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslate();
    void loadRecent();
    void onRecentChosen(int index);
    void onUrlEdited();
    void onTlsToggled(bool on);
    void validate();

    QList<ServerProfile> m_recent;
    QLabel *m_recentLabel;
    QComboBox *m_recentCombo;
    QLabel *m_urlLabel;
    QLineEdit *m_url;
    QCheckBox *m_tls;
    QCheckBox *m_ignoreSsl;
    QCheckBox *m_compression;
    QLabel *m_credentialLabel;
    QRadioButton *m_tokenRadio;
    QRadioButton *m_apiKeyRadio;
    QLabel *m_secretLabel;
    QLineEdit *m_secret;
    QCheckBox *m_showSecret;
    QCheckBox *m_remember;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace QuantPush
