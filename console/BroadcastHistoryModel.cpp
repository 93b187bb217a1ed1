#include "BroadcastHistoryModel.h"

#include "Formatting.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace QuantPush {

namespace {

constexpr int MaxEntries = 500; // a session's worth; older ones are dropped

} // namespace

BroadcastHistoryModel::BroadcastHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int BroadcastHistoryModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }
int BroadcastHistoryModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

void BroadcastHistoryModel::add(const Entry &entry)
{
    if (m_entries.size() >= MaxEntries) {
        beginRemoveRows({}, MaxEntries - 1, int(m_entries.size()) - 1);
        m_entries.resize(MaxEntries - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
}

int BroadcastHistoryModel::rowOf(const QString &requestId) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).requestId == requestId)
            return row;
    }
    return -1;
}

void BroadcastHistoryModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool BroadcastHistoryModel::markPublished(const QString &requestId, qint64 seq, qint64 recipients)
{
    const int row = rowOf(requestId);
    if (row < 0)
        return false;
    Entry &entry = m_entries[row];
    entry.state = Entry::State::Published;
    entry.seq = seq;
    entry.recipients = recipients;
    rowChanged(row);
    return true;
}

bool BroadcastHistoryModel::markFailed(const QString &requestId, const QString &error)
{
    const int row = rowOf(requestId);
    if (row < 0)
        return false;
    Entry &entry = m_entries[row];
    entry.state = Entry::State::Failed;
    entry.error = error;
    rowChanged(row);
    return true;
}

void BroadcastHistoryModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QVariant BroadcastHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries.at(index.row());
    if (role == Qt::ForegroundRole && entry.state == Entry::State::Failed)
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role == Qt::ToolTipRole && index.column() == Payload)
        return entry.state == Entry::State::Failed ? entry.error : entry.payload;
    if (role == Qt::TextAlignmentRole && (index.column() == Seq || index.column() == Recipients))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const bool published = entry.state == Entry::State::Published;
    switch (index.column()) {
    case Time: return entry.sentAt.toString(u"HH:mm:ss"_s);
    case Channel: return entry.channel;
    case Strategy: return entry.strategy.isEmpty() ? tr("channel default") : entry.strategy;
    case Priority: return entry.priority < 0 ? tr("default") : QString::number(entry.priority);
    case Target: return entry.target;
    case Seq:
        return published ? QVariant(Format::count(entry.seq))
                         : QVariant(entry.state == Entry::State::Pending ? tr("sending…") : tr("failed"));
    case Recipients: return published ? QVariant(Format::count(entry.recipients)) : QVariant();
    case Payload: return entry.state == Entry::State::Failed ? entry.error : entry.payload;
    default: return {};
    }
}

QVariant BroadcastHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Sent");
    case Channel: return tr("Channel");
    case Strategy: return tr("Strategy");
    case Priority: return tr("Priority");
    case Target: return tr("To");
    case Seq: return tr("Seq");
    case Recipients: return tr("Recipients");
    case Payload: return tr("Payload or error");
    default: return {};
    }
}

} // namespace QuantPush
