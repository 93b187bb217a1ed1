#pragma once

#include "Protocol.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace QuantPush {

// Why a request was refused: a wire error code plus a message a client author
// can act on. Mapped to the `error` frame and to HTTP statuses in one place.
struct ProtocolError
{
    ErrorCode code = ErrorCode::BadRequest;
    QString message;

    QJsonObject toJson() const;
};

} // namespace QuantPush
