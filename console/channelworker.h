// SPDX-License-Identifier: MIT
#pragma once

#include "channeldiff.h"
#include "channelmonitor.h"
#include "clusterchannelmonitor.h"
#include "redisconnection.h"

#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

class RedisClusterConnection;

// What one poll round hands the GUI thread: the snapshot (its channel list shared, not copied) and,
// when the round asked for the channels, the diff of that list against the round handed over before.
struct ChannelRound
{
    PubSubSnapshot snapshot;
    std::shared_ptr<const ChannelDiff> diff; // null: the channel list is the one of the last round
    quint64 generation = 0;
};
using ChannelRoundPtr = std::shared_ptr<const ChannelRound>;
Q_DECLARE_METATYPE(ChannelRoundPtr)

// Runs a ChannelMonitor on its own RedisConnection (made from the console connection's options; for a
// redis-cluster:// URL a ClusterChannelMonitor on its own RedisClusterConnection) and
// diffs each snapshot, all on the thread it is moved to, so that reading, parsing, sorting and diffing
// a million channels never blocks the GUI thread. One round at a time is handed over: the next is
// diffed once the GUI thread says it applied the last (applied()); rounds that end in between replace
// each other. Made on the GUI thread, moved, then driven by queued calls; deleted on its thread.
class ChannelWorker : public QObject
{
    Q_OBJECT
public:
    explicit ChannelWorker(quint64 generation, QObject *parent = nullptr);

    // On the worker's thread:
    void start(const RedisConnectionOptions &options, std::chrono::milliseconds interval,
               const PollBudget &budget);
    void setInterval(std::chrono::milliseconds interval);
    void setBudget(const PollBudget &budget);
    void refresh();
    void applied();

Q_SIGNALS:
    void roundReady(const ChannelRoundPtr &round);
    // On a Cluster, after each round: every node's state (ClusterChannelMonitor::nodesReady).
    void nodesReady(const QList<ClusterNodeStatus> &nodes);
    void refreshFailed(const QString &error);

private:
    void onSnapshot(const PubSubSnapshot &snapshot);
    void handOver();

    quint64 m_generation;
    RedisConnection *m_connection = nullptr;
    ChannelMonitor *m_monitor = nullptr;
    RedisClusterConnection *m_cluster = nullptr; // a Cluster URL: every node is polled instead
    ClusterChannelMonitor *m_clusterMonitor = nullptr;
    ChannelDiffer m_differ;
    std::optional<PubSubSnapshot> m_pending;
    bool m_inFlight = false;
};
