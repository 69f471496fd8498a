// SPDX-License-Identifier: MIT
#pragma once

#include "keyedtablemodel.h"
#include "relaydirectory.h"

#include <QPointer>

// One relay's busiest clients (its heartbeat's topClients: most bytes queued, then most frames),
// with their queue's share of the relay's --max-outbound-bytes.
class FleetClientsModel : public KeyedTableModel<RelayClientLoad, quint64>
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        AddressColumn,
        QueuedColumn,
        ShareColumn,
        RoomsColumn,
        InColumn,
        OutColumn,
        SinceColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit FleetClientsModel(QObject *parent = nullptr);

    void setDirectory(RelayDirectory *directory);
    void setRelay(const QString &key);
    QString relay() const { return m_key; }
    void refresh();

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    quint64 keyOf(const RelayClientLoad &row) const override { return row.id; }
    unsigned changedColumns(const RelayClientLoad &a, const RelayClientLoad &b) const override;

private:
    QVariant value(const RelayClientLoad &c, int column, bool forSorting) const;

    QPointer<RelayDirectory> m_directory;
    QString m_key;
    qint64 m_limit = 0;
};
