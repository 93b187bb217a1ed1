#include "ConnectionTableModel.h"

#include "Formatting.h"

#include <QFont>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace QuantPush {

ConnectionTableModel::Row ConnectionTableModel::Row::fromJson(const QJsonObject &object)
{
    Row row;
    const QJsonValue id = object.value("id"_L1);
    row.id = id.isString() ? id.toString() : QString::number(id.toInteger());
    row.user = object.value("user"_L1).toString();
    row.role = object.value("role"_L1).toString();
    row.authenticated = object.value("authenticated"_L1).toBool();
    row.status = object.value("status"_L1).toString();
    row.remoteAddress = object.value("remote_address"_L1).toString();
    row.connectedAt = QDateTime::fromString(object.value("connected_at"_L1).toString(), Qt::ISODateWithMs);
    const QJsonArray subscriptions = object.value("subscriptions"_L1).toArray();
    for (const QJsonValue &subscription : subscriptions)
        row.subscriptions.append(subscription.toObject().value("type"_L1).toString());
    row.messagesIn = object.value("messages_in"_L1).toInteger();
    row.messagesOut = object.value("messages_out"_L1).toInteger();
    row.queueDepth = object.value("queue_depth"_L1).toInteger();
    row.bufferedBytes = object.value("buffered_bytes"_L1).toInteger();
    row.pendingAcks = object.value("pending_acks"_L1).toInteger();
    return row;
}

ConnectionTableModel::ConnectionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ConnectionTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ConnectionTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

void ConnectionTableModel::setConnections(const QJsonArray &connections)
{
    QList<Row> incoming;
    incoming.reserve(connections.size());
    QSet<QString> ids;
    for (const QJsonValue &value : connections) {
        Row row = Row::fromJson(value.toObject());
        if (row.id.isEmpty() || ids.contains(row.id))
            continue;
        ids.insert(row.id);
        incoming.append(row);
    }
    removeMissing(ids);

    QList<Row> added;
    for (const Row &row : std::as_const(incoming)) {
        const int existing = m_index.value(row.id, -1);
        if (existing < 0) {
            added.append(row);
        } else if (!(m_rows.at(existing) == row)) {
            m_rows[existing] = row;
            Q_EMIT dataChanged(index(existing, 0), index(existing, ColumnCount - 1));
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        reindex();
        endInsertRows();
    }
}

// Removes vanished rows one contiguous run at a time, from the bottom, so
// the indexes of the runs still to remove stay valid.
void ConnectionTableModel::removeMissing(const QSet<QString> &ids)
{
    int row = int(m_rows.size()) - 1;
    while (row >= 0) {
        if (ids.contains(m_rows.at(row).id)) {
            --row;
            continue;
        }
        const int last = row;
        while (row > 0 && !ids.contains(m_rows.at(row - 1).id))
            --row;
        beginRemoveRows({}, row, last);
        m_rows.remove(row, last - row + 1);
        reindex();
        endRemoveRows();
        --row;
    }
}

void ConnectionTableModel::reindex()
{
    m_index.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(m_rows.at(i).id, i);
}

void ConnectionTableModel::setOwnSessionIds(const QStringList &ids)
{
    const QSet<QString> own(ids.cbegin(), ids.cend());
    if (own == m_ownIds)
        return;
    m_ownIds = own;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ConnectionTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void ConnectionTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QVariant ConnectionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return sortValue(row, index.column());
    case IdRole:
        return row.id;
    case Qt::ToolTipRole:
        return toolTip(row);
    case Qt::TextAlignmentRole:
        if (index.column() >= MessagesIn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (m_ownIds.contains(row.id)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant ConnectionTableModel::display(const Row &row, int column) const
{
    switch (column) {
    case Id: return row.id;
    case User:
        if (m_ownIds.contains(row.id))
            return tr("%1 (this console)").arg(row.user);
        return row.authenticated ? row.user : tr("(not authenticated)");
    case Role: return row.role;
    case Status:
        if (row.status == "authenticated"_L1)
            return tr("authenticated");
        if (row.status == "connected"_L1)
            return tr("connected");
        if (row.status == "closing"_L1)
            return tr("closing");
        return row.status;
    case RemoteAddress: return row.remoteAddress;
    case ConnectedSince: {
        const QDateTime local = row.connectedAt.toLocalTime();
        return local.date() == QDate::currentDate() ? local.toString(u"HH:mm:ss"_s)
                                                    : local.toString(u"yyyy-MM-dd HH:mm"_s);
    }
    case Subscriptions: return row.subscriptions.join(u", "_s);
    case MessagesIn: return Format::count(row.messagesIn);
    case MessagesOut: return Format::count(row.messagesOut);
    case QueueDepth: return Format::count(row.queueDepth);
    default: return {};
    }
}

QVariant ConnectionTableModel::sortValue(const Row &row, int column) const
{
    switch (column) {
    case Id: return row.id.toLongLong(); // wire ids are numeric strings
    case ConnectedSince: return row.connectedAt.toMSecsSinceEpoch();
    case Subscriptions: return qint64(row.subscriptions.size());
    case MessagesIn: return row.messagesIn;
    case MessagesOut: return row.messagesOut;
    case QueueDepth: return row.queueDepth;
    default: return display(row, column);
    }
}

QString ConnectionTableModel::toolTip(const Row &row) const
{
    return tr("Connection %1 from %2\nConnected at %3\nSubscriptions: %4\nBuffered: %5, unacknowledged: %6")
        .arg(row.id, row.remoteAddress, row.connectedAt.toLocalTime().toString(Qt::ISODate),
             row.subscriptions.isEmpty() ? tr("none") : row.subscriptions.join(u", "_s),
             Format::bytes(row.bufferedBytes), Format::count(row.pendingAcks));
}

QVariant ConnectionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id: return tr("ID");
    case User: return tr("User");
    case Role: return tr("Role");
    case Status: return tr("Status");
    case RemoteAddress: return tr("Remote address");
    case ConnectedSince: return tr("Connected since");
    case Subscriptions: return tr("Subscriptions");
    case MessagesIn: return tr("Messages in");
    case MessagesOut: return tr("Messages out");
    case QueueDepth: return tr("Queue depth");
    default: return {};
    }
}

} // namespace QuantPush
