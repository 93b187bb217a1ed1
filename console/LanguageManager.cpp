#include "LanguageManager.h"

#include "ConsoleLogging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr auto English = "en"_L1;
constexpr auto SimplifiedChinese = "zh_CN"_L1;

} // namespace

LanguageManager::LanguageManager(QObject *parent)
    : QObject(parent)
    , m_app(new QTranslator(this))
    , m_qt(new QTranslator(this))
{
}

QStringList LanguageManager::supported() { return {QString(English), QString(SimplifiedChinese)}; }

QString LanguageManager::resolve(const QString &requested)
{
    QStringList candidates;
    if (requested.trimmed().isEmpty())
        candidates = QLocale::system().uiLanguages();
    else
        candidates.append(requested.trimmed());
    for (QString candidate : std::as_const(candidates)) {
        candidate.replace(u'-', u'_');
        // Simplified Chinese for zh, zh_CN, zh_Hans, zh_SG; traditional
        // variants (zh_TW, zh_HK, zh_Hant) have no translation and get English.
        if (candidate.startsWith("zh"_L1, Qt::CaseInsensitive)) {
            const bool traditional = candidate.contains("TW"_L1, Qt::CaseInsensitive)
                || candidate.contains("HK"_L1, Qt::CaseInsensitive) || candidate.contains("Hant"_L1, Qt::CaseInsensitive);
            return traditional ? QString(English) : QString(SimplifiedChinese);
        }
        if (candidate.startsWith("en"_L1, Qt::CaseInsensitive) || candidate == "C"_L1)
            return QString(English);
    }
    return QString(English);
}

QString LanguageManager::nativeName(const QString &language)
{
    if (language == SimplifiedChinese)
        return u"简体中文"_s;
    return u"English"_s;
}

QString LanguageManager::apply(const QString &requested)
{
    const QString language = resolve(requested);
    if (language == m_current)
        return m_current;
    QCoreApplication::removeTranslator(m_app);
    QCoreApplication::removeTranslator(m_qt);
    QLocale::setDefault(QLocale(language));
    if (!m_app->load(u":/i18n/quantpush_"_s + language))
        qCWarning(lcConsole) << "no compiled translation for" << language;
    else
        QCoreApplication::installTranslator(m_app);
    if (language != English) {
        // Qt's own strings (standard dialogs, context menus, JSON parser messages).
        if (m_qt->load(u"qtbase_"_s + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(m_qt);
    }
    m_current = language;
    qCInfo(lcConsole) << "language" << language;
    return m_current;
}

} // namespace QuantPush
