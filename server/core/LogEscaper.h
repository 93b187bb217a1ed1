#pragma once

#include <QtCore/QString>

namespace QuantPush {

// Control characters in a log line (ESC, CR, LF, ...) come from peers: a
// request line, a token's `sub`, a close reason. Written as they are, they
// forge log lines or drive a terminal. The escaper rewrites them as \xNN
// (\uNNNN above Latin-1) in every message, whatever category wrote it.
class LogEscaper
{
public:
    static QString escape(const QString &text);
    // Installs a message handler in front of the current one; idempotent.
    static void install();
};

} // namespace QuantPush
