// SPDX-License-Identifier: MIT
#pragma once

#include "reconnectbackoff.h"
#include "redisclustertopology.h"
#include "redisconnection.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

// A Redis Cluster on the Qt event loop, for redis-cluster:// and rediss-cluster:// URLs.
//
// The topology comes from the URL's seed nodes and then from any node it names (CLUSTER SHARDS,
// or CLUSTER SLOTS before Redis 7). It is read again after a MOVED, when a node's connection
// drops, while a primary is unhealthy (every 250 ms until a replica has taken over) and every
// topologyInterval. Each node gets its own RedisConnection (the options' credentials, TLS,
// heartbeat and client name), opened on first use; nodes that leave the topology are closed.
//
// command() sends a command to the primary that owns its key's slot (the key is the first
// argument after the command's name: PUBLISH, SPUBLISH, GET, SET, ...) and follows MOVED (the
// slot has a new owner: the map is updated and the topology read again) and ASK (the slot is
// being migrated: ASKING, then the command, on the node named), at most MaxRedirections times;
// TRYAGAIN is retried after 50 ms. The callback sees the final reply. A command whose owner's
// connection is not ready waits for it (in order, per node); one in flight when a connection
// drops fails as in RedisConnection (isConnectionFailure()): it may or may not have run.
//
// Ready once a topology covers every slot; Reconnecting (with the backoff) while no node answers.
class RedisClusterConnection : public QObject
{
    Q_OBJECT
public:
    using State = RedisConnection::State;
    using ReplyCallback = RedisConnection::ReplyCallback;
    static constexpr int MaxRedirections = 5;

    explicit RedisClusterConnection(RedisConnectionOptions options, QObject *parent = nullptr);
    ~RedisClusterConnection() override;

    void open();
    // No reconnect; queued and in-flight commands fail with an error reply.
    void close();

    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    QString lastError() const { return m_lastError; }
    const RedisConnectionOptions &options() const { return m_options; }
    const RedisClusterTopology &topology() const { return m_topology; }
    void setTopologyInterval(std::chrono::milliseconds interval);
    // Off: a MOVED is not followed but answered as a connection failure ("ERR switchboard:
    // connection moved: MOVED ..."; the map is still updated), and so is a command that waited
    // for a node whose slot went to another one meanwhile, and the first command for a slot whose
    // owner a topology refresh changed: the caller decides when to send it again (RedisBus waits
    // until the subscribers have moved too). On by default.
    void setFollowMoves(bool follow) { m_followMoves = follow; }

    void command(const QByteArrayList &args, QObject *context, ReplyCallback callback);
    // To the owner of slot, whatever the arguments (a command without a key, a slot chosen).
    void commandForSlot(int slot, const QByteArrayList &args, QObject *context, ReplyCallback callback);
    // The connection to host:port (made and opened on first use; owned by this object), e.g. for
    // per-node commands such as PUBSUB SHARDCHANNELS.
    RedisConnection *nodeConnection(const QString &host, quint16 port);
    // Reads the topology again soon (coalesced).
    void refreshTopology();
    // Writes what every node connection has buffered, without the event loop (shutdown).
    void flush();

    quint64 redirections() const { return m_redirections; }
    quint64 topologyRefreshes() const { return m_refreshes; }
    qsizetype waitingCount() const;

Q_SIGNALS:
    void stateChanged(RedisConnection::State state, const QString &lastError);
    // A refresh read another topology than the last, or the Cluster is reachable again.
    void topologyChanged();

private:
    struct Pending
    {
        QByteArrayList args;
        int slot = 0;
        ReplyCallback callback;
        QPointer<QObject> context;
        bool hasContext = false;
        int redirects = 0;
        QString askHost; // set: send ASKING + the command to this node, once
        quint16 askPort = 0;
    };

    void dispatch(Pending p);
    void sendTo(RedisConnection *node, Pending p);
    void onReply(Pending p, const RedisValue &reply);
    bool redirect(Pending &p, const RedisValue &reply);
    void flushWaiting(const QString &key);
    void startRefresh();
    void tryRefreshFrom(qsizetype candidate, quint64 generation);
    void onTopology(RedisClusterTopology topology);
    void refreshFailed(const QString &why);
    void onNodeState(const QString &key, RedisConnection *node);
    void setState(State state, const QString &error = {});
    QList<RedisUrl::Node> refreshCandidates() const;
    bool needsWatching() const;
    static void invoke(const Pending &p, const RedisValue &value);

    RedisConnectionOptions m_options;
    State m_state = State::Disconnected;
    QString m_lastError;
    RedisClusterTopology m_topology;
    bool m_hasTopology = false;
    QHash<QString, RedisConnection *> m_nodes;
    std::deque<Pending> m_unrouted;                  // no topology yet
    QHash<QString, std::deque<Pending>> m_waiting;   // per node whose connection is not ready
    QTimer m_refreshSoon;
    QTimer m_refreshPeriodic;
    QTimer m_refreshAttempt; // one candidate's time to answer
    QTimer m_retry;
    ReconnectBackoff m_backoff;
    quint64 m_refreshGeneration = 0;
    QList<RedisUrl::Node> m_candidates;
    QStringList m_refreshErrors;
    QString m_refreshNode; // host:port of the node asked now
    std::function<void(const QString &)> m_refreshNext;
    bool m_refreshing = false;
    bool m_closing = false;
    bool m_followMoves = true;
    // Follow moves off: per slot, whether a refresh changed its owner and the next command is to
    // fail (SlotMoved), or failures are on their way (SlotFailing: later commands fail too).
    enum : qint8 { SlotSettled, SlotMoved, SlotFailing };
    std::vector<qint8> m_movedSlots;
    int m_failingCommands = 0;
    quint64 m_redirections = 0;
    quint64 m_refreshes = 0;
};
