#pragma once

#include <QString>

namespace QuantPush {

// A starting payload per channel for the broadcast composer, shaped like
// what the demo feed and the protocol examples send on that channel, so
// subscribers' filters (symbol, account, ...) apply to it as usual.
class PayloadTemplates
{
public:
    PayloadTemplates() = delete;

    // Indented JSON; an empty object for a channel the console does not know.
    static QString forChannel(const QString &channel);
};

} // namespace QuantPush
