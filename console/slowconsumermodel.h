// SPDX-License-Identifier: MIT
#pragma once

#include "slowconsumermonitor.h"

#include <QAbstractTableModel>
#include <QPointer>

// SlowConsumerMonitor's current warnings, one row per connection, sorted by key: rows are inserted
// and removed by key, and a changed row emits dataChanged for its changed cells with explicit roles.
// SortRole gives each cell a number (or text) to sort by, for a QSortFilterProxyModel.
class SlowConsumerModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ConnectionColumn,
        RelayColumn,
        NodeColumn,
        BytesColumn,
        SoftShareColumn,
        HardShareColumn,
        AboveForColumn,
        TotalMemoryColumn,
        QueryBufferColumn,
        SubscriptionsColumn,
        AgeColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, KeyRole };

    explicit SlowConsumerModel(QObject *parent = nullptr);

    // Follows the monitor's warnings (nullptr: empty).
    void setMonitor(SlowConsumerMonitor *monitor);
    // The rows, sorted by key (as SlowConsumerMonitor::warnings() gives them).
    void setWarnings(QList<SlowConsumer> warnings);
    const SlowConsumer &consumerAt(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "1.2 s", "3 min 4 s", "1 h 2 min".
    static QString formatDuration(qint64 ms);

private:
    QVariant display(const SlowConsumer &c, int column) const;
    QVariant sortValue(const SlowConsumer &c, int column) const;
    QString toolTip(const SlowConsumer &c) const;
    void updateRow(int row, const SlowConsumer &now);

    QPointer<SlowConsumerMonitor> m_monitor;
    QList<SlowConsumer> m_rows;
};
