// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"
#include "pollpacing.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

class RedisValue;
class RelayDirectory;
struct RelayInstanceStats;

// One class of `client-output-buffer-limit` (hard, soft, soft seconds), in bytes as CONFIG GET prints them.
struct OutputBufferLimit
{
    qint64 hardBytes = 0;
    qint64 softBytes = 0;
    qint64 softSeconds = 0;

    bool operator==(const OutputBufferLimit &) const = default;
    bool isUnlimited() const { return hardBytes <= 0 && softBytes <= 0; }
    // What the warning's share is taken of: the soft limit, or the hard one when soft is 0.
    qint64 baseBytes() const { return softBytes > 0 ? softBytes : qMax<qint64>(0, hardBytes); }

    // Redis's built-in default for the pubsub class: 32mb 8mb 60.
    static OutputBufferLimit redisDefault() { return {32 * 1024 * 1024, 8 * 1024 * 1024, 60}; }
    // The class (pubsub, normal, replica or its old name slave) in CONFIG GET's value
    // ("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"); nullopt when missing or
    // malformed. Sizes may carry Redis's units (1k = 1000, 1kb = 1024, m, mb, g, gb).
    static std::optional<OutputBufferLimit> parse(const QByteArray &value,
                                                  const QByteArray &clientClass = "pubsub");
    // "8mb"-style size as Redis reads it; nullopt when not a size.
    static std::optional<qint64> parseSize(const QByteArray &text);
};

// What one node (or the server) says its pubsub limit is.
struct NodeOutputLimit
{
    QString node; // host:port on a Cluster; empty on one server
    OutputBufferLimit limit = OutputBufferLimit::redisDefault();
    // CONFIG GET did not answer with the limit (refused by an ACL, renamed, not reported): Redis's
    // defaults are assumed, and error says why.
    bool assumed = false;
    QString error;
    bool operator==(const NodeOutputLimit &) const = default;
};

// A connection that is above the warning share of its limit.
struct SlowConsumer
{
    enum class Kind { Subscriber, RelayClient };
    Kind kind = Kind::Subscriber;
    QString key;    // unique: node + '#' + id, or "relay:" + instance + '#' + id
    quint64 id = 0; // Redis's client id, or the relay's client id
    QString name;   // CLIENT SETNAME
    QString address;
    QString node;         // the Redis node on a Cluster; empty on one server and for relay clients
    QString relay;        // the relay instance it belongs to (named switchboard-relay:<instance>), or empty
    bool console = false; // a console connection (switchboard-console:*)
    qint64 bytes = 0;     // omem, or a relay client's queued bytes
    qint64 totalMemory = -1; // tot-mem; -1 for relay clients
    qint64 queryBuffer = -1; // qbuf
    int channels = 0;        // sub, or a relay client's rooms
    int patterns = 0;        // psub
    int shardChannels = 0;   // ssub
    qint64 ageSeconds = -1;  // age
    qint64 softLimit = 0;    // bytes, 0: none
    qint64 hardLimit = 0;    // bytes, 0: none; a relay client's --max-outbound-bytes
    qint64 aboveMs = 0;      // how long it has been above the share, as the polls saw it
    QDateTime aboveSince;

    double softShare() const { return softLimit > 0 ? double(bytes) / double(softLimit) : -1; }
    double hardShare() const { return hardLimit > 0 ? double(bytes) / double(hardLimit) : -1; }
    // "switchboard-relay:r1", "client 7 (10.0.0.1:5000)".
    QString displayName() const;
};

struct SlowConsumerEvent
{
    enum class Kind { Warned, Cleared, Disconnected };
    Kind kind = Kind::Warned;
    QDateTime at;
    SlowConsumer consumer; // as last seen
    QString text() const;
};

// Early warning for Pub/Sub connections that Redis is about to disconnect for their output buffer
// (`client-output-buffer-limit pubsub <hard> <soft> <seconds>`). Reads the limit with CONFIG GET (on a
// Cluster from every node; refused or renamed: Redis's defaults, said so in limits()) and polls
// `CLIENT LIST TYPE pubsub` on its own light timer (every second by default, paced like the Channels
// dock on a server with many pub/sub clients). A connection whose omem passes threshold() of the soft
// limit (of the hard one when soft is 0) is a warning until it drops below it; one that disappears while
// above it was most likely disconnected by Redis and is recorded as an event. Relay clients whose queued
// bytes pass the same share of their relay's --max-outbound-bytes (heartbeat) are warnings too.
class SlowConsumerMonitor : public QObject
{
    Q_OBJECT
public:
    explicit SlowConsumerMonitor(QObject *parent = nullptr);
    ~SlowConsumerMonitor() override;

    // Polls one server (or a Sentinel's primary, followed by the connection). Starting again on the
    // same connection changes nothing.
    void start(RedisConnection *connection);
    // Polls every node of a Cluster (and follows its topology).
    void start(RedisClusterConnection *cluster);
    // Stops polling and forgets limits and warnings (events stay).
    void stop();
    bool isRunning() const { return m_connection || m_cluster; }

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setBudget(const PollBudget &budget) { m_budget = budget; }
    // The effective interval after pacing, from the last round.
    const PollPacing &pacing() const { return m_pacing; }
    void setNodeTimeout(std::chrono::milliseconds timeout) { m_nodeTimeout = timeout; }
    // The share of the soft limit (0.05 .. 1) that warns; 0.5 by default.
    void setThreshold(double share);
    double threshold() const { return m_threshold; }
    void setMaxEvents(int count);
    // How often CONFIG GET is asked again (an operator may CONFIG SET the limit).
    void setConfigInterval(std::chrono::milliseconds interval) { m_configInterval = interval; }

    // A round now (or after the running one).
    void refresh();

    QList<NodeOutputLimit> limits() const; // sorted by node
    // The limits in a sentence per distinct limit ("Redis's pubsub limit: hard 2 MiB at once, soft 512 KiB
    // for 3 s", "CONFIG refused (NOPERM ...): Redis's defaults assumed ..."), nodes named on a Cluster.
    static QString describeLimits(const QList<NodeOutputLimit> &limits);
    QList<SlowConsumer> warnings() const; // sorted by key
    int warningCount() const { return int(m_warnings.size()); }
    const QList<SlowConsumerEvent> &events() const { return m_events; }
    QString lastError() const { return m_lastError; }

    // One node's CLIENT LIST (node empty on one server), as a round applies it; emits like a round.
    void ingest(const QString &node, const QList<PubSubClient> &clients);
    // The relays' heartbeats (RelayDirectory::instances()): each relay's busiest clients against its
    // --max-outbound-bytes. A relay no longer listed takes its clients' warnings along (no event).
    void ingestRelays(const QList<RelayInstanceStats> &relays);
    // Calls ingestRelays() with the directory's instances whenever it changes (nullptr: stops).
    void followRelays(RelayDirectory *directory);

Q_SIGNALS:
    void limitsChanged();
    void warningsChanged();
    void warningCountChanged(int count);
    void eventAdded(const SlowConsumerEvent &event);
    void roundFinished();
    void pollFailed(const QString &error);

private:
    struct Round;
    struct Tracked
    {
        SlowConsumer consumer;
        qint64 aboveSinceMs = 0; // m_clock
    };
    struct Target
    {
        QString node;
        RedisConnection *connection = nullptr;
    };
    QList<Target> targets() const;
    void startRound();
    void askConfig(const std::shared_ptr<Round> &round, const Target &target);
    void askClients(const std::shared_ptr<Round> &round, const Target &target);
    void onConfig(const QString &node, const RedisValue &reply);
    void settle(const std::shared_ptr<Round> &round);
    void finishRound();
    // Updates the warnings of one source (a node, or "relay:" + instance); true when anything changed.
    bool apply(const QString &source, const QList<SlowConsumer> &seen);
    SlowConsumer fromClient(const QString &node, const PubSubClient &client) const;
    void addEvent(SlowConsumerEvent::Kind kind, const SlowConsumer &consumer);
    void announce(bool changed);
    void scheduleNext();

    QPointer<RedisConnection> m_connection;
    QPointer<RedisClusterConnection> m_cluster;
    QMetaObject::Connection m_relaysConnection;
    QTimer m_timer;
    QTimer m_deadline;
    std::chrono::milliseconds m_interval{1000};
    std::chrono::milliseconds m_nodeTimeout{5000};
    std::chrono::milliseconds m_configInterval{60000};
    PollBudget m_budget;
    PollPacing m_pacing;
    double m_threshold = 0.5;
    int m_maxEvents = 200;
    std::shared_ptr<Round> m_round;
    bool m_refreshQueued = false;
    QElapsedTimer m_clock;
    QHash<QString, NodeOutputLimit> m_limits;
    QHash<QString, qint64> m_configAskedMs; // by node
    QHash<QString, Tracked> m_warnings;     // by key
    QList<SlowConsumerEvent> m_events;      // oldest first
    QString m_lastError;
    int m_announcedCount = 0;
};
