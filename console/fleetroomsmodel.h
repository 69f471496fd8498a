// SPDX-License-Identifier: MIT
#pragma once

#include "keyedtablemodel.h"
#include "relaydirectory.h"

#include <QPointer>

struct FleetRoomRow
{
    QByteArray channel;
    qint64 members = 0;
};

// The channels one relay of the fleet serves (its heartbeat's channels) with its local clients on
// each: the broadcast channel and every room. Follows the directory; empty when the relay is gone.
class FleetRoomsModel : public KeyedTableModel<FleetRoomRow, QByteArray>
{
    Q_OBJECT
public:
    enum Column { RoomColumn, ChannelColumn, MembersColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit FleetRoomsModel(QObject *parent = nullptr);

    void setDirectory(RelayDirectory *directory);
    // RelayInstanceStats::key; empty: none.
    void setRelay(const QString &key);
    QString relay() const { return m_key; }
    void refresh();

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    QByteArray keyOf(const FleetRoomRow &row) const override { return row.channel; }
    unsigned changedColumns(const FleetRoomRow &a, const FleetRoomRow &b) const override
    {
        return a.members != b.members ? 1u << MembersColumn : 0u;
    }

private:
    QPointer<RelayDirectory> m_directory;
    QString m_key;
    QByteArray m_prefix;
};
