#include "Probe.h"

#include <QtCore/QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::SecurityTesting {

Probe::Probe()
{
    connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    connect(&socket, &QWebSocket::connected, this, [this] { wasConnected = true; });
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        closed = true;
        closeCode = socket.closeCode();
    });
}

QStringList Probe::errorCodes() const
{
    QStringList codes;
    for (const QJsonObject &f : frames) {
        if (f.value(u"type"_s).toString() == u"error"_s)
            codes.append(f.value(u"data"_s).toObject().value(u"code"_s).toString());
    }
    return codes;
}

bool Probe::has(const QString &type, const QJsonValue &id) const
{
    for (const QJsonObject &f : frames) {
        if (f.value(u"type"_s).toString() == type && (id.isUndefined() || f.value(u"id"_s) == id))
            return true;
    }
    return false;
}

} // namespace QuantPush::SecurityTesting
