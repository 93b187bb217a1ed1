#pragma once

#include "AlertEvent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace QuantPush {

// Fire and clear events of the server's alert rules, newest first, plus
// which rules are firing right now.
class AlertModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Rule, State, Value, Threshold, Since, ColumnCount };
    static constexpr int MaxEvents = 1000;

    explicit AlertModel(QObject *parent = nullptr);

    void add(const AlertEvent &event);
    void clear();
    int firingCount() const { return int(m_firing.size()); }
    QStringList firingRules() const;
    const AlertEvent &event(int row) const { return m_events.at(row); }
    void retranslate();

    static QString stateText(const AlertEvent &event);
    static QString valueText(const QJsonValue &value);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<AlertEvent> m_events;
    QHash<QString, AlertEvent> m_firing; // rule -> its fire event
};

} // namespace QuantPush
