#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

#include <deque>

namespace QuantPush {

// The inspector's rolling log: at most capacity() rows, oldest dropped
// first. Rows are appended in batches (one insert per flush, not one per
// message) and their JSON text is built only when a row is painted.
class InspectorModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Channel, Type, Seq, Data, ColumnCount };

    struct Row
    {
        qint64 receivedMs = 0;
        qint64 ts = 0; // server publish time, µs
        QString channel;
        QString type;
        qint64 seq = -1;
        QJsonObject data;
        bool redelivered = false;
        QString note;          // for gap rows: what was skipped
        mutable QString text;  // compact JSON, built on first display
    };

    explicit InspectorModel(QObject *parent = nullptr);

    void setCapacity(int rows);
    int capacity() const { return m_capacity; }
    void append(std::deque<Row> &&rows);
    void clear();
    const Row &row(int index) const { return m_rows.at(std::size_t(index)); }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static constexpr int MaxDisplayChars = 400;

private:
    void dropOldest(int count);
    const QString &textOf(const Row &row) const;

    std::deque<Row> m_rows;
    int m_capacity = 2000;
};

} // namespace QuantPush
