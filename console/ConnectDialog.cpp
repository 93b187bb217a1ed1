#include "ConnectDialog.h"

#include "RecentServers.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace QuantPush {

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_recentLabel(new QLabel(this))
    , m_recentCombo(new QComboBox(this))
    , m_urlLabel(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_tls(new QCheckBox(this))
    , m_ignoreSsl(new QCheckBox(this))
    , m_compression(new QCheckBox(this))
    , m_credentialLabel(new QLabel(this))
    , m_tokenRadio(new QRadioButton(this))
    , m_apiKeyRadio(new QRadioButton(this))
    , m_secretLabel(new QLabel(this))
    , m_secret(new QLineEdit(this))
    , m_showSecret(new QCheckBox(this))
    , m_remember(new QCheckBox(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    auto *credentialGroup = new QButtonGroup(this);
    credentialGroup->addButton(m_tokenRadio);
    credentialGroup->addButton(m_apiKeyRadio);
    m_tokenRadio->setChecked(true);
    m_secret->setEchoMode(QLineEdit::Password);
    m_url->setMinimumWidth(380);
    m_problem->setWordWrap(true);
    m_ignoreSsl->setEnabled(false);

    buildLayout();
    retranslate();
    loadRecent();

    connect(m_recentCombo, &QComboBox::activated, this, &ConnectDialog::onRecentChosen);
    connect(m_url, &QLineEdit::textEdited, this, &ConnectDialog::onUrlEdited);
    connect(m_tls, &QCheckBox::toggled, this, &ConnectDialog::onTlsToggled);
    connect(m_showSecret, &QCheckBox::toggled, this,
            [this](bool show) { m_secret->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password); });
    connect(m_secret, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_tokenRadio, &QRadioButton::toggled, this, &ConnectDialog::retranslate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        const ServerProfile chosen = profile();
        RecentServers::remember(chosen);
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void ConnectDialog::buildLayout()
{
    auto *credential = new QHBoxLayout;
    credential->addWidget(m_tokenRadio);
    credential->addWidget(m_apiKeyRadio);
    credential->addStretch(1);
    auto *secret = new QHBoxLayout;
    secret->addWidget(m_secret, 1);
    secret->addWidget(m_showSecret);
    auto *tls = new QHBoxLayout;
    tls->addWidget(m_tls);
    tls->addWidget(m_ignoreSsl);
    tls->addStretch(1);

    auto *form = new QFormLayout;
    form->addRow(m_recentLabel, m_recentCombo);
    form->addRow(m_urlLabel, m_url);
    form->addRow(QString(), tls);
    form->addRow(QString(), m_compression);
    form->addRow(m_credentialLabel, credential);
    form->addRow(m_secretLabel, secret);
    form->addRow(QString(), m_remember);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
}

void ConnectDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ConnectDialog::retranslate()
{
    setWindowTitle(tr("Connect to a QuantPush server"));
    m_recentLabel->setText(tr("Recent servers:"));
    m_urlLabel->setText(tr("Server URL:"));
    m_url->setPlaceholderText(u"ws://127.0.0.1:8765/ws"_s);
    m_tls->setText(tr("TLS (wss://)"));
    m_ignoreSsl->setText(tr("Accept self-signed certificates (testing only)"));
    m_compression->setText(tr("Compressed pushes (deflate: less bandwidth, a little more CPU)"));
    m_credentialLabel->setText(tr("Sign in with:"));
    m_tokenRadio->setText(tr("Admin token (JWT)"));
    m_apiKeyRadio->setText(tr("API key"));
    const bool token = m_tokenRadio->isChecked();
    m_secretLabel->setText(token ? tr("Token:") : tr("API key:"));
    m_showSecret->setText(tr("Show"));
    m_remember->setText(token ? tr("Remember the token on this computer (stored unencrypted in the settings file)")
                              : tr("Remember the API key on this computer (stored unencrypted in the settings file)"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    if (m_recentCombo->count() > 0 && m_recent.isEmpty())
        m_recentCombo->setItemText(0, tr("(none yet)"));
    validate();
}

void ConnectDialog::loadRecent()
{
    m_recent = RecentServers::load();
    m_recentCombo->clear();
    if (m_recent.isEmpty()) {
        m_recentCombo->addItem(tr("(none yet)"));
        m_recentCombo->setEnabled(false);
        return;
    }
    for (const ServerProfile &profile : std::as_const(m_recent)) {
        const QString kind = profile.credential == ServerProfile::Credential::ApiKey ? tr("API key") : tr("token");
        m_recentCombo->addItem(u"%1  (%2)"_s.arg(profile.url.toDisplayString(), kind));
    }
    onRecentChosen(0);
}

void ConnectDialog::onRecentChosen(int index)
{
    if (index >= 0 && index < m_recent.size())
        setProfile(m_recent.at(index));
}

void ConnectDialog::setProfile(const ServerProfile &profile)
{
    m_url->setText(profile.url.toDisplayString());
    const QSignalBlocker blocker(m_tls);
    m_tls->setChecked(profile.isTls());
    m_ignoreSsl->setEnabled(profile.isTls());
    m_ignoreSsl->setChecked(profile.ignoreSslErrors);
    m_compression->setChecked(profile.compression);
    (profile.credential == ServerProfile::Credential::ApiKey ? m_apiKeyRadio : m_tokenRadio)->setChecked(true);
    m_secret->setText(profile.secret);
    m_remember->setChecked(profile.rememberSecret);
    validate();
}

ServerProfile ConnectDialog::profile() const
{
    ServerProfile profile;
    profile.url = ServerProfile::withTls(ServerProfile::normalisedUrl(m_url->text()), m_tls->isChecked());
    profile.credential = m_apiKeyRadio->isChecked() ? ServerProfile::Credential::ApiKey : ServerProfile::Credential::Token;
    profile.secret = m_secret->text().trimmed();
    profile.ignoreSslErrors = m_tls->isChecked() && m_ignoreSsl->isChecked();
    profile.rememberSecret = m_remember->isChecked();
    profile.compression = m_compression->isChecked();
    return profile;
}

void ConnectDialog::onUrlEdited()
{
    // Typing wss:// ticks TLS and ws:// unticks it, so both stay in agreement.
    const QUrl url = ServerProfile::normalisedUrl(m_url->text());
    const QSignalBlocker blocker(m_tls);
    if (url.scheme() == "wss"_L1 || url.scheme() == "ws"_L1) {
        m_tls->setChecked(url.scheme() == "wss"_L1);
        m_ignoreSsl->setEnabled(m_tls->isChecked());
    }
    validate();
}

void ConnectDialog::onTlsToggled(bool on)
{
    m_ignoreSsl->setEnabled(on);
    const QUrl url = ServerProfile::normalisedUrl(m_url->text());
    if (url.isValid() && !url.host().isEmpty())
        m_url->setText(ServerProfile::withTls(url, on).toDisplayString());
    validate();
}

void ConnectDialog::validate()
{
    const ServerProfile chosen = profile();
    QString problem;
    if (!chosen.isValid())
        problem = tr("Enter a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8765/ws");
    else if (chosen.secret.isEmpty())
        problem = tr("An admin token or API key is required for the admin requests.");
    m_problem->setText(problem);
    // A hint while the form is still blank, a warning once something is wrong in it.
    const bool blank = m_url->text().trimmed().isEmpty() || (chosen.isValid() && chosen.secret.isEmpty());
    m_problem->setStyleSheet(blank ? QString() : u"color: #c0392b;"_s);
    m_problem->setForegroundRole(blank ? QPalette::PlaceholderText : QPalette::WindowText);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace QuantPush
