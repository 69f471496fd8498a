// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"
#include "channeltraffic.h"

#include <QObject>
#include <QPointer>

#include <chrono>

class ChannelListModel;
class ClusterChannelMonitor;
class ClusterNodesModel;
class RedisClusterConnection;
class ChannelTreeModel;
class PubSubClientModel;
class RedisConnection;
class RelayDirectory;

// The Channels view's logic: polls Redis through a ChannelMonitor on the attached connection, listens
// to the relays' heartbeats (RelayDirectory) and feeds the list, tree and client models. A part of a
// snapshot that Redis refused is applied empty (the snapshot's errors say why); a part a backed-off
// round did not ask for is left as it is.
class ChannelsController : public QObject
{
    Q_OBJECT
public:
    explicit ChannelsController(QObject *parent = nullptr);
    ~ChannelsController() override;

    // Polls on connection (owned by the caller, used for commands only); the relay directory opens its
    // own subscriber with connection->options(). Refreshes at once.
    void attach(RedisConnection *connection);
    // A Redis Cluster: polls every node of cluster (ClusterChannelMonitor, which also feeds nodesModel());
    // node (a connection to one of its nodes) is the connection() the relay directory listens on.
    void attachCluster(RedisClusterConnection *cluster, RedisConnection *node);
    ClusterChannelMonitor *clusterMonitor() const { return m_clusterMonitor; }
    ClusterNodesModel *nodesModel() const { return m_nodes; }
    // Stops polling and listening; the models empty.
    void detach();
    bool isAttached() const;
    RedisConnection *connection() const;

    // 0 = off; refresh() still works.
    void setRefreshInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds refreshInterval() const { return m_interval; }
    // Everything at once, whatever the back-off (F5).
    void refresh();
    bool isRefreshing() const;
    // The thresholds that make a large or slow Redis polled less often (ChannelMonitor).
    void setPollBudget(const PollBudget &budget);
    const PollBudget &pollBudget() const { return m_budget; }
    void setTraffic(const ChannelTrafficMap &traffic);

    ChannelListModel *listModel() const { return m_list; }
    ChannelTreeModel *treeModel() const { return m_tree; }
    PubSubClientModel *clientModel() const { return m_clients; }
    RelayDirectory *directory() const { return m_directory; }
    const PubSubSnapshot &lastSnapshot() const { return m_last; }
    QString lastError() const { return m_lastError; }
    // -1 when Redis did not say (PUBSUB NUMSUB failed).
    qint64 subscribersFor(const QByteArray &channel) const;

Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void refreshFailed(const QString &error);
    void refreshIntervalChanged(std::chrono::milliseconds interval);

private:
    void onSnapshot(const PubSubSnapshot &snapshot);

    QPointer<RedisConnection> m_connection;
    ChannelMonitor *m_monitor = nullptr;
    ClusterChannelMonitor *m_clusterMonitor = nullptr;
    RelayDirectory *m_directory;
    ChannelListModel *m_list;
    ChannelTreeModel *m_tree;
    PubSubClientModel *m_clients;
    ClusterNodesModel *m_nodes;
    std::chrono::milliseconds m_interval{2000};
    PollBudget m_budget;
    PubSubSnapshot m_last;
    QString m_lastError;
};
