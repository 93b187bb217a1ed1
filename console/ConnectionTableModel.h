#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QStringList>

namespace QuantPush {

// The server's connections (the `connections` reply) as a table. Refreshes
// are merged row by row, keyed by connection id: rows that stay are
// updated in place (dataChanged), so sorting, filtering and the user's
// selection survive every refresh.
class ConnectionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Id, User, Role, Status, RemoteAddress, ConnectedSince, Subscriptions, MessagesIn, MessagesOut, QueueDepth,
        ColumnCount
    };
    // Raw values for sorting (numbers sort as numbers, times as times).
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IdRole = Qt::UserRole + 1;

    struct Row
    {
        QString id;
        QString user;
        QString role;
        bool authenticated = false;
        QString status; // the server's ConnectionStatus: connected, authenticated, closing
        QString remoteAddress;
        QDateTime connectedAt;
        QStringList subscriptions; // channel names
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        qint64 queueDepth = 0;
        qint64 bufferedBytes = 0;
        qint64 pendingAcks = 0;

        bool operator==(const Row &other) const = default;
        static Row fromJson(const QJsonObject &object);
    };

    explicit ConnectionTableModel(QObject *parent = nullptr);

    void setConnections(const QJsonArray &connections);
    void setOwnSessionIds(const QStringList &ids);
    void clear();
    void retranslate();
    const Row &row(int index) const { return m_rows.at(index); }
    int rowOf(const QString &id) const { return m_index.value(id, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    QString toolTip(const Row &row) const;
    void removeMissing(const QSet<QString> &ids);
    void reindex();

    QList<Row> m_rows;
    QHash<QString, int> m_index;
    QSet<QString> m_ownIds;
};

} // namespace QuantPush
