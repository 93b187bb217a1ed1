#include "ProtocolError.h"

#include "JsonKeys.h"

namespace QuantPush {

QJsonObject ProtocolError::toJson() const
{
    return QJsonObject {{Key::Code, wireName(code)}, {Key::Message, message}};
}

} // namespace QuantPush
