// SPDX-License-Identifier: MIT
#pragma once

#include "clusterchannelmonitor.h"

#include <QAbstractTableModel>
#include <QPointer>

// The Nodes view: one row per node of a Redis Cluster (each shard's primary, then its replicas), from
// the rounds of a ClusterChannelMonitor. Rows are updated in place (dataChanged) while the nodes stay
// the same; a changed topology resets the table.
class ClusterNodesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Node,
        Role,
        Shard,
        Slots,
        Clients,
        Channels,
        ShardChannels,
        Patterns,
        OutputBuffers,
        Reachable,
        ColumnCount
    };
    enum Roles { SortRole = Qt::UserRole + 1, NodeKeyRole, ReachableRole };

    explicit ClusterNodesModel(QObject *parent = nullptr);

    // Follows monitor's rounds (nullptr: empty).
    void attach(ClusterChannelMonitor *monitor);
    void applyNodes(const QList<ClusterNodeStatus> &nodes);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const QList<ClusterNodeStatus> &nodes() const { return m_nodes; }
    int primaryCount() const;
    int unreachableCount() const;
    // "3 primaries / 6 nodes", "+ 1 not reachable"; empty without nodes.
    QString summary() const;
    // "0-5460", "5461-10922, 16000-16383 (5,846 slots)"
    static QString slotText(const QList<std::pair<int, int>> &ranges);

Q_SIGNALS:
    void summaryChanged();

private:
    QVariant display(const ClusterNodeStatus &n, int column) const;
    QVariant sortValue(const ClusterNodeStatus &n, int column) const;

    QPointer<ClusterChannelMonitor> m_monitor;
    QList<ClusterNodeStatus> m_nodes;
};
