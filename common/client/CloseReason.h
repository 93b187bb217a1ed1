#pragma once

#include <QtCore/QString>

namespace QuantPush {

// Why a connection closed, as the server meant it.
//
// Qt 6.4's QWebSocket only accepts the close codes RFC 6455 listed in 2011:
// 1012–1014 are "invalid" to it, so a server's 1013 ("try again later",
// PROTOCOL.md: server full) reaches the application as 1002 with the reason
// "Invalid close code 1002 detected." and the server's own reason lost. A
// QuantPush server never closes with 1002, and 1013 is the only code it
// sends that Qt rejects, and it sends it before `welcome`; so that
// rewritten 1002 before `welcome` is read back as 1013.
struct CloseReason
{
    static constexpr int ProtocolError = 1002;
    static constexpr int TryAgainLater = 1013;

    int code = 0;
    QString text;

    // `welcomed`: whether this connection got `welcome` before it closed.
    static CloseReason fromQt(int qtCode, const QString &qtReason, bool welcomed);
};

} // namespace QuantPush
