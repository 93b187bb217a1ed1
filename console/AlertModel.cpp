#include "AlertModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace QuantPush {

AlertModel::AlertModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int AlertModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_events.size()); }
int AlertModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

void AlertModel::add(const AlertEvent &event)
{
    if (event.phase == AlertEvent::Phase::Firing)
        m_firing.insert(event.rule, event);
    else if (event.phase == AlertEvent::Phase::Cleared)
        m_firing.remove(event.rule);
    if (m_events.size() >= MaxEvents) {
        beginRemoveRows({}, MaxEvents - 1, int(m_events.size()) - 1);
        m_events.resize(MaxEvents - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_events.prepend(event);
    endInsertRows();
}

void AlertModel::clear()
{
    // Only the log is cleared: a rule still firing stays counted until it clears.
    beginResetModel();
    m_events.clear();
    endResetModel();
}

QStringList AlertModel::firingRules() const
{
    QStringList rules = m_firing.keys();
    rules.sort();
    return rules;
}

void AlertModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_events.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QString AlertModel::stateText(const AlertEvent &event)
{
    switch (event.phase) {
    case AlertEvent::Phase::Firing: return tr("firing");
    case AlertEvent::Phase::Cleared: return tr("cleared");
    default: return event.state;
    }
}

QString AlertModel::valueText(const QJsonValue &value)
{
    if (value.isDouble())
        return QLocale().toString(value.toDouble(), 'g', 6);
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    return {};
}

QVariant AlertModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const AlertEvent &event = m_events.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (event.phase == AlertEvent::Phase::Firing)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        if (event.phase == AlertEvent::Phase::Cleared)
            return QBrush(QColor(0x2e, 0x7d, 0x32));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return event.receivedAt.toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case Rule: return event.rule;
    case State: return stateText(event);
    case Value: return valueText(event.value);
    case Threshold: return valueText(event.threshold);
    case Since: {
        const QDateTime since = AlertEvent::sinceTime(event.since);
        return since.isValid() ? since.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : valueText(event.since);
    }
    default: return {};
    }
}

QVariant AlertModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Received");
    case Rule: return tr("Rule");
    case State: return tr("State");
    case Value: return tr("Value");
    case Threshold: return tr("Threshold");
    case Since: return tr("Since");
    default: return {};
    }
}

} // namespace QuantPush
