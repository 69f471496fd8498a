// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"
#include "channeltraffic.h"
#include "channelworker.h"
#include "redisconnection.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>

class ChannelListModel;
class ClusterNodesModel;
class HistoryKeyScanner;
class RedisClusterConnection;
class ChannelTreeModel;
class PubSubClientModel;
class RedisConnection;
class QThread;
class RelayDirectory;

// The Channels view's logic: polls Redis through a ChannelMonitor, listens to the relays' heartbeats
// (RelayDirectory) and feeds the list, tree and client models. A part of a snapshot that Redis refused
// is applied empty (the snapshot's errors say why); a part a backed-off round did not ask for is left
// as it is. The monitor runs on a worker thread (ChannelWorker) with its own connection made from the
// attached one's options; the GUI thread gets each round's diff and applies it to the models in
// slices of a few milliseconds per event-loop turn. snapshotReady comes once every model has it.
class ChannelsController : public QObject
{
    Q_OBJECT
public:
    explicit ChannelsController(QObject *parent = nullptr);
    ~ChannelsController() override;

    // Polls on connection (owned by the caller, used for commands only); the relay directory opens its
    // own subscriber with connection->options(). Refreshes at once.
    void attach(RedisConnection *connection);
    // A Redis Cluster: polls every node (a ClusterChannelMonitor on the worker, on a Cluster connection
    // of its own made from cluster's options; it also feeds nodesModel()); node (a connection to one of
    // its nodes) is the connection() the relay directory listens on.
    void attachCluster(RedisClusterConnection *cluster, RedisConnection *node);
    bool isCluster() const { return m_cluster; }
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
    // Which channels have a relay's history stream; scanned with the channel list, at most every
    // HistoryKeyScanner's minimum interval (refresh() scans at once).
    HistoryKeyScanner *historyScanner() const { return m_history; }
    const PubSubSnapshot &lastSnapshot() const { return m_last; }
    QString lastError() const { return m_lastError; }
    // -1 when Redis did not say (PUBSUB NUMSUB failed).
    qint64 subscribersFor(const QByteArray &channel) const;

Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void refreshFailed(const QString &error);
    void refreshIntervalChanged(std::chrono::milliseconds interval);

private:
    void startWorker(RedisConnection *connection, const RedisConnectionOptions &options);
    void stopWorker();
    void startDirectory();
    void onRound(const ChannelRoundPtr &round);
    void applySlice();
    void finishRound();

    QPointer<RedisConnection> m_connection;
    QThread *m_thread = nullptr;
    ChannelWorker *m_worker = nullptr; // lives on m_thread
    quint64 m_generation = 0;
    std::deque<ChannelRoundPtr> m_rounds; // the first is being applied
    QTimer m_sliceTimer;
    bool m_refreshing = false;
    bool m_directoryPending = false;
    bool m_cluster = false;
    RelayDirectory *m_directory;
    ChannelListModel *m_list;
    ChannelTreeModel *m_tree;
    PubSubClientModel *m_clients;
    ClusterNodesModel *m_nodes;
    HistoryKeyScanner *m_history;
    std::chrono::milliseconds m_interval{2000};
    PollBudget m_budget;
    PubSubSnapshot m_last;
    QString m_lastError;
};
