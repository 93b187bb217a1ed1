#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace QuantPush {

// What the composer sent this session, newest first, with the seq and the
// recipient count of each `published` reply (or the error).
class BroadcastHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Channel, Strategy, Priority, Target, Seq, Recipients, Payload, ColumnCount };

    struct Entry
    {
        enum class State { Pending, Published, Failed };
        QString requestId;
        QDateTime sentAt;
        QString channel;
        QString strategy; // empty: the channel's default
        int priority = -1;
        QString target;   // who it was for, as the composer described it
        QString payload;  // compact JSON
        State state = State::Pending;
        qint64 seq = -1;
        qint64 recipients = -1;
        QString error;
    };

    explicit BroadcastHistoryModel(QObject *parent = nullptr);

    void add(const Entry &entry);
    // Returns false when the request id is not in the history.
    bool markPublished(const QString &requestId, qint64 seq, qint64 recipients);
    bool markFailed(const QString &requestId, const QString &error);
    const Entry &entry(int row) const { return m_entries.at(row); }
    int rowOf(const QString &requestId) const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void rowChanged(int row);

    QList<Entry> m_entries;
};

} // namespace QuantPush
