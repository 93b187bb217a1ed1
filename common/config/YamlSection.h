#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <yaml-cpp/yaml.h>

#include <functional>

namespace QuantPush {

// One YAML mapping being read: typed getters that check ranges and record an
// error naming "section.key", and a check that no key was left unread.
class YamlSection
{
public:
    YamlSection(YAML::Node node, QString path, QStringList *errors);

    bool isPresent() const { return m_node.IsDefined() && !m_node.IsNull(); }
    // Whether the key is given (and not null), for settings whose absence means something.
    bool has(const char *key) { const YAML::Node node = child(key); return node.IsDefined() && !node.IsNull(); }

    void read(const char *key, bool &target);
    void read(const char *key, int &target, int min, int max);
    void read(const char *key, qint64 &target, qint64 min, qint64 max);
    void read(const char *key, double &target, double min, double max);
    void read(const char *key, QString &target);
    void read(const char *key, QStringList &target);
    // A key whose value is a string from a fixed set.
    void readChoice(const char *key, const QStringList &choices, const std::function<void(const QString &)> &apply);

    YamlSection section(const char *key);
    // Every key of a mapping whose keys are names (roles:, channels:).
    void forEachEntry(const std::function<void(const QString &name, YamlSection &entry)> &visit);
    // Every item of a sequence of mappings (api_keys:).
    void forEachItem(const char *key, const std::function<void(YamlSection &item)> &visit);

    void error(const QString &key, const QString &message);
    // Reports every key of this mapping that no getter asked for.
    void rejectUnknownKeys();
    // The whole mapping is already reported as wrong: do not list its keys too.
    void skip() { m_isMap = false; }

private:
    YAML::Node child(const char *key);
    QString pathOf(const QString &key) const;

    YAML::Node m_node;
    QString m_path;
    QStringList *m_errors;
    QStringList m_known;
    bool m_isMap = false;
};

} // namespace QuantPush
