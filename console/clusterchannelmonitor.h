// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

class RedisClusterConnection;

// What one node of a Redis Cluster said in a round of ClusterChannelMonitor.
struct ClusterNodeStatus
{
    QString key; // host:port (RedisClusterTopology::Node::key())
    QByteArray id;
    bool primary = false;
    QString primaryKey;               // a replica's primary; a primary's own key
    int shard = 0;                    // 1-based, in the topology's order
    QList<std::pair<int, int>> slots; // the shard's ranges (a replica serves its primary's)
    bool healthy = true;              // what the topology says of it
    bool reachable = false;           // answered this round
    QString error;                    // why not, or the first command it refused
    qint64 pubsubClients = -1;        // CLIENT LIST TYPE pubsub; -1 unknown
    qint64 classicChannels = -1;      // PUBSUB CHANNELS
    qint64 shardChannels = -1;        // PUBSUB SHARDCHANNELS
    qint64 patterns = -1;             // PUBSUB NUMPAT
    qint64 outputBufferBytes = -1;    // omem of its pub/sub clients added up
    qint64 replyMs = -1;              // how long its slowest answer took

    bool operator==(const ClusterNodeStatus &) const = default;
};

// The Channels view's poll on a Redis Cluster: every node of the topology (primaries and replicas)
// is asked what ChannelMonitor asks one server, plus sharded Pub/Sub, and one PubSubSnapshot for the
// whole Cluster comes out:
//   classic channels: PUBSUB CHANNELS is the union over the nodes and NUMSUB the sum (each node counts
//     only the subscribers connected to it; a classic message reaches every node);
//   sharded channels: PUBSUB SHARDCHANNELS / SHARDNUMSUB (one command per hash slot) of every node,
//     replicas included (a sharded subscriber may be connected to a replica of the owner), summed and
//     shown with the shard that owns the channel's slot;
//   NUMPAT summed; CLIENT LIST TYPE pubsub of every node (each client marked with its node).
// A node that does not answer within the round's timeout, or whose connection is down, is left out and
// reported in nodesReady(); the round fails (refreshFailed) only when no node answered. Every round asks
// for everything; on a large or slow Cluster the rounds come less often (PollBudget, applied to the
// busiest node: its channels and clients, its slowest reply), and the snapshot's pacing says why.
class ClusterChannelMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ClusterChannelMonitor(RedisClusterConnection *cluster, QObject *parent = nullptr);
    ~ClusterChannelMonitor() override;

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setNodeTimeout(std::chrono::milliseconds timeout) { m_nodeTimeout = timeout; }
    void setBatchSize(int channelsPerNumsub) { m_batchSize = qMax(1, channelsPerNumsub); }
    void setBudget(const PollBudget &budget) { m_budget = budget; }
    bool isRefreshing() const { return m_round != nullptr; }
    void refresh();
    const QList<ClusterNodeStatus> &lastNodes() const { return m_lastNodes; }


Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void nodesReady(const QList<ClusterNodeStatus> &nodes);
    void refreshFailed(const QString &error);

private:
    struct Round;
    struct NodeRound;
    void startRound();
    void askNode(const std::shared_ptr<Round> &round, int node);
    void askNumsub(const std::shared_ptr<Round> &round, int node, bool sharded, const QByteArrayList &names);
    void send(const std::shared_ptr<Round> &round, int node, PubSubCommandError::Command command,
              const QByteArrayList &args, std::function<void(const RedisValue &)> onReply);
    void settle(const std::shared_ptr<Round> &round);
    void onDeadline();
    void finish();
    PubSubSnapshot aggregate(Round &round) const;
    // The busiest node's share decides how often rounds come.
    void pace(PubSubSnapshot &snapshot, const QList<ClusterNodeStatus> &nodes);

    RedisClusterConnection *m_cluster;
    QTimer m_timer;
    QTimer m_deadline;
    std::chrono::milliseconds m_interval{0};
    std::chrono::milliseconds m_nodeTimeout{4000};
    int m_batchSize = 1000;
    PollBudget m_budget;
    std::chrono::milliseconds m_nextInterval{0};
    std::shared_ptr<Round> m_round;
    bool m_refreshQueued = false;
    QList<ClusterNodeStatus> m_lastNodes;
};
