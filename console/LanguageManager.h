#pragma once

#include <QObject>
#include <QStringList>

class QTranslator;

namespace QuantPush {

// Installs the console's translation (compiled into the binary from
// translations/*.ts) and Qt's own for standard texts. Switching is live:
// installing a translator sends QEvent::LanguageChange to every widget,
// and each page re-reads its texts then.
class LanguageManager : public QObject
{
    Q_OBJECT

public:
    explicit LanguageManager(QObject *parent = nullptr);

    // requested: "" for the system locale, or a language code ("en",
    // "zh_CN", "zh", "zh-CN" ...). Returns the language now in effect.
    QString apply(const QString &requested);
    QString current() const { return m_current; }

    static QStringList supported();
    static QString resolve(const QString &requested);
    // The language's own name ("English", "简体中文"): never translated, so a
    // user can find their language whatever the UI shows now.
    static QString nativeName(const QString &language);

private:
    QTranslator *m_app;
    QTranslator *m_qt;
    QString m_current;
};

} // namespace QuantPush
