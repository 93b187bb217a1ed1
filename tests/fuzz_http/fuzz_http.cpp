// The HTTP request head parser (FrontDoor::parseHead, which sees every
// connection's first bytes before anything else) and the log escaper (which
// sees every peer string written to the log), fed arbitrary bytes.
#include "FrontDoor.h"
#include "LogEscaper.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace QuantPush;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

void checkEscaped(const QString &text)
{
    const QString escaped = LogEscaper::escape(text);
    for (const QChar c : escaped)
        require(!isControl(c.unicode()));
    require(escaped.size() >= text.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<FrontDoor::RequestHead> head = FrontDoor::parseHead(input);
    if (head) {
        // The request line had three parts and a version: method and target
        // are non-empty and hold no separators, names are lower-case.
        require(!head->method.isEmpty() && !head->target.isEmpty());
        require(!head->method.contains(' ') && !head->target.contains(' '));
        require(!head->method.contains('\n') && !head->target.contains('\n'));
        for (auto it = head->headers.cbegin(); it != head->headers.cend(); ++it) {
            require(!it.key().isEmpty());
            require(it.key() == it.key().toLower());
            require(!it.key().contains('\n') && !it.value().contains('\n'));
        }
        (void)head->isWebSocketUpgrade();
        checkEscaped(QString::fromLatin1(head->method + ' ' + head->target));
    }
    checkEscaped(QString::fromUtf8(input));
    checkEscaped(QString::fromLatin1(input));
    return 0;
}
