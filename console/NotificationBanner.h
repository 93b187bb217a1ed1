#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QTimer;

namespace QuantPush {

// An in-window notification strip, used for alerts when the desktop has no
// system tray (or the user turned desktop notifications off). A firing
// alert stays until dismissed; a cleared one fades out by itself.
class NotificationBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Severity { Critical, Information };
    static constexpr int InformationTimeoutMs = 15000;

    explicit NotificationBanner(QWidget *parent = nullptr);

    void notify(const QString &text, Severity severity);
    QString text() const;

Q_SIGNALS:
    void showRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_text;
    QPushButton *m_showButton;
    QPushButton *m_dismissButton;
    QTimer *m_hideTimer;
};

} // namespace QuantPush
