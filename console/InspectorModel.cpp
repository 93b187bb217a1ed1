#include "InspectorModel.h"

#include "Formatting.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace QuantPush {

InspectorModel::InspectorModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int InspectorModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int InspectorModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

void InspectorModel::setCapacity(int rows)
{
    m_capacity = qMax(1, rows);
    if (int(m_rows.size()) > m_capacity)
        dropOldest(int(m_rows.size()) - m_capacity);
}

void InspectorModel::dropOldest(int count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    endRemoveRows();
}

void InspectorModel::append(std::deque<Row> &&rows)
{
    if (rows.empty())
        return;
    // More than fits: only the newest rows survive, the rest never touch the view.
    if (int(rows.size()) > m_capacity)
        rows.erase(rows.begin(), rows.end() - m_capacity);
    const int overflow = int(m_rows.size() + rows.size()) - m_capacity;
    dropOldest(qMin(overflow, int(m_rows.size())));
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    for (Row &row : rows)
        m_rows.push_back(std::move(row));
    endInsertRows();
}

void InspectorModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void InspectorModel::retranslate() { Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1); }

const QString &InspectorModel::textOf(const Row &row) const
{
    if (row.text.isEmpty()) {
        if (!row.note.isEmpty())
            row.text = row.note;
        else
            row.text = QString::fromUtf8(QJsonDocument(row.data).toJson(QJsonDocument::Compact)).left(MaxDisplayChars);
    }
    return row.text;
}

QVariant InspectorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows.at(std::size_t(index.row()));
    if (role == Qt::ForegroundRole && !row.note.isEmpty())
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role == Qt::TextAlignmentRole && index.column() == Seq)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return Format::clockTimeMs(row.receivedMs);
    case Channel: return row.channel;
    case Type: return row.redelivered ? tr("%1 (redelivered)").arg(row.type) : row.type;
    case Seq: return row.seq >= 0 ? QVariant(row.seq) : QVariant();
    case Data: return textOf(row);
    default: return {};
    }
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Received");
    case Channel: return tr("Channel");
    case Type: return tr("Type");
    case Seq: return tr("Seq");
    case Data: return tr("Data");
    default: return {};
    }
}

} // namespace QuantPush
