#include "LogEscaper.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

QtMessageHandler g_next = nullptr;
std::atomic_bool g_installed {false};

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

void escapingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString escaped = LogEscaper::escape(message);
    if (g_next) {
        g_next(type, context, escaped);
    } else {
        const QByteArray line = qFormatLogMessage(type, context, escaped).toLocal8Bit();
        std::fprintf(stderr, "%s\n", line.constData());
    }
}

} // namespace

QString LogEscaper::escape(const QString &text)
{
    const auto firstControl = std::find_if(text.cbegin(), text.cend(), [](QChar c) { return isControl(c.unicode()); });
    if (firstControl == text.cend())
        return text;
    QString escaped;
    escaped.reserve(text.size() + 16);
    for (const QChar c : text) {
        const char16_t code = c.unicode();
        if (!isControl(code))
            escaped.append(c);
        else if (code <= 0xff)
            escaped.append(u"\\x%1"_s.arg(uint(code), 2, 16, QChar(u'0')));
        else
            escaped.append(u"\\u%1"_s.arg(uint(code), 4, 16, QChar(u'0')));
    }
    return escaped;
}

void LogEscaper::install()
{
    if (g_installed.exchange(true))
        return;
    g_next = qInstallMessageHandler(escapingHandler);
}

} // namespace QuantPush
