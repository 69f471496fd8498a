// SPDX-License-Identifier: MIT
#pragma once

#include "canarystatus.h"

#include <QAbstractTableModel>
#include <QPointer>

class CanaryMonitor;

// The canary table: one row per relay the monitor follows (relay, state, p50, p99, sent, lost,
// loss %), refreshed on CanaryMonitor::changed (rows updated in place while the relays stay the same).
class CanaryStatusModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Relay, State, P50, P99, Sent, Lost, LossPercent, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1 };

    explicit CanaryStatusModel(CanaryMonitor *monitor, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    CanaryStatus statusAt(int row) const { return m_rows.value(row); }
    void refresh();

private:
    QPointer<CanaryMonitor> m_monitor;
    QList<CanaryStatus> m_rows;
};
