#pragma once

#include "ServerConfig.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

namespace QuantPush {

// Reads the YAML configuration over the embedded defaults. Every unknown key
// and every bad value is an error that names the key's full path, so a typo
// never silently leaves a default in place.
class ConfigLoader
{
public:
    static std::optional<ServerConfig> loadFile(const QString &path, QString *error);
    static std::optional<ServerConfig> loadYaml(const QByteArray &yaml, QString *error);
};

} // namespace QuantPush
