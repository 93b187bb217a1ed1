#include "YamlSection.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

QString scalarText(const YAML::Node &node)
{
    return node.IsScalar() ? QString::fromStdString(node.Scalar()) : u"(not a scalar)"_s;
}

} // namespace

YamlSection::YamlSection(YAML::Node node, QString path, QStringList *errors)
    : m_node(std::move(node)), m_path(std::move(path)), m_errors(errors)
{
    m_isMap = m_node.IsMap();
    if (isPresent() && !m_isMap)
        m_errors->append(u"%1: expected a mapping"_s.arg(m_path.isEmpty() ? u"(top level)"_s : m_path));
}

QString YamlSection::pathOf(const QString &key) const
{
    if (key.isEmpty())
        return m_path;
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void YamlSection::error(const QString &key, const QString &message)
{
    m_errors->append(pathOf(key) + u": "_s + message);
}

YAML::Node YamlSection::child(const char *key)
{
    m_known.append(QString::fromLatin1(key));
    if (!m_isMap)
        return YAML::Node(YAML::NodeType::Undefined);
    return m_node[key];
}

void YamlSection::read(const char *key, bool &target)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    try {
        target = node.as<bool>();
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), u"expected true or false, got '%1'"_s.arg(scalarText(node)));
    }
}

void YamlSection::read(const char *key, int &target, int min, int max)
{
    qint64 value = target;
    read(key, value, min, max);
    target = int(value);
}

void YamlSection::read(const char *key, qint64 &target, qint64 min, qint64 max)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    try {
        const auto value = node.as<long long>();
        if (value < min || value > max) {
            error(QString::fromLatin1(key), u"must be between %1 and %2, got %3"_s.arg(min).arg(max).arg(value));
            return;
        }
        target = value;
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), u"expected an integer, got '%1'"_s.arg(scalarText(node)));
    }
}

void YamlSection::read(const char *key, double &target, double min, double max)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    try {
        const double value = node.as<double>();
        if (!std::isfinite(value) || value < min || value > max) {
            error(QString::fromLatin1(key), u"must be between %1 and %2, got %3"_s.arg(min).arg(max).arg(value));
            return;
        }
        target = value;
    } catch (const YAML::Exception &) {
        error(QString::fromLatin1(key), u"expected a number, got '%1'"_s.arg(scalarText(node)));
    }
}

void YamlSection::read(const char *key, QString &target)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsScalar()) {
        error(QString::fromLatin1(key), u"expected a string"_s);
        return;
    }
    target = QString::fromStdString(node.Scalar());
}

void YamlSection::read(const char *key, QStringList &target)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsSequence()) {
        error(QString::fromLatin1(key), u"expected a list of strings"_s);
        return;
    }
    QStringList values;
    for (const YAML::Node &item : node) {
        if (!item.IsScalar()) {
            error(QString::fromLatin1(key), u"expected a list of strings"_s);
            return;
        }
        values.append(QString::fromStdString(item.Scalar()));
    }
    target = values;
}

void YamlSection::readChoice(const char *key, const QStringList &choices,
                             const std::function<void(const QString &)> &apply)
{
    QString value;
    const qsizetype before = m_errors->size();
    read(key, value);
    if (value.isEmpty() || m_errors->size() != before)
        return;
    if (!choices.contains(value)) {
        error(QString::fromLatin1(key), u"must be one of %1, got '%2'"_s.arg(choices.join(u", "_s), value));
        return;
    }
    apply(value);
}

YamlSection YamlSection::section(const char *key)
{
    return YamlSection(child(key), pathOf(QString::fromLatin1(key)), m_errors);
}

void YamlSection::forEachEntry(const std::function<void(const QString &, YamlSection &)> &visit)
{
    if (!m_isMap)
        return;
    for (const auto &entry : m_node) {
        const QString name = QString::fromStdString(entry.first.as<std::string>());
        m_known.append(name);
        YamlSection section(entry.second, pathOf(name), m_errors);
        visit(name, section);
        section.rejectUnknownKeys();
    }
}

void YamlSection::forEachItem(const char *key, const std::function<void(YamlSection &)> &visit)
{
    const YAML::Node node = child(key);
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsSequence()) {
        error(QString::fromLatin1(key), u"expected a list"_s);
        return;
    }
    int index = 0;
    for (const YAML::Node &item : node) {
        YamlSection section(item, u"%1[%2]"_s.arg(pathOf(QString::fromLatin1(key))).arg(index++), m_errors);
        visit(section);
        section.rejectUnknownKeys();
    }
}

void YamlSection::rejectUnknownKeys()
{
    if (!m_isMap)
        return;
    for (const auto &entry : m_node) {
        const QString name = QString::fromStdString(entry.first.as<std::string>());
        if (!m_known.contains(name))
            m_errors->append(pathOf(name) + u": unknown key"_s);
    }
}

} // namespace QuantPush
