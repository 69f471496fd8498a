// SPDX-License-Identifier: MIT
#pragma once

#include "pollpacing.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

class RedisConnection;
class RedisValue;

struct PubSubClient
{
    qint64 id = 0;
    QString name;
    QString address;
    int channels = 0; // sub=
    int patterns = 0; // psub=
    qint64 outputBytes = 0; // omem=
    QString node{};        // on a Cluster: the node it is connected to (host:port)
    int shardChannels = 0; // ssub= (Redis 7)
    qint64 totalMemory = 0; // tot-mem=: buffers and argv, the output buffer included
    qint64 queryBuffer = 0; // qbuf=
    qint64 ageSeconds = 0;  // age=
    bool isRelay() const { return name.startsWith(QLatin1StringView("switchboard-relay:")); }
};

// A command of a round that Redis refused (an ACL's NOPERM) or answered with another error.
struct PubSubCommandError
{
    enum class Command { Channels, Numsub, Numpat, ClientList, ShardChannels, ShardNumsub };
    Command command = Command::Channels;
    QString error;         // Redis's reply, verbatim
    int failedBatches = 0; // Numsub: how many of the round's batches failed

    bool isRefusal() const { return error.startsWith(QLatin1StringView("NOPERM")); }
    // "PUBSUB CHANNELS", "PUBSUB NUMSUB", "PUBSUB NUMPAT", "CLIENT LIST TYPE pubsub"
    static QString commandText(Command command);
    // The ACL rule that allows it: "+pubsub|channels", ..., "+client|list".
    static QString aclRule(Command command);
};

struct PubSubSnapshot
{
    struct Channel
    {
        QByteArray name;
        qint64 subscribers = 0; // -1: NUMSUB did not answer for this channel
    };
    // On a Cluster, a channel subscribed with SSUBSCRIBE (kept apart: a million classic channels pay
    // nothing for it). Its Channel::subscribers counts both kinds; subscribers here the sharded part.
    enum class Kind : quint8 { Classic, Sharded, Both };
    struct ShardedChannel
    {
        qint64 subscribers = 0; // -1: unknown
        bool alsoClassic = false;
        int shard = 0;        // the shard that owns its slot, numbered as in the Nodes view
        QString primary;      // that shard's primary, host:port
    };
    QDateTime takenAt;
    qint64 durationMs = 0;
    QList<Channel> channels; // sorted by name
    qint64 patternSubscriptions = 0;
    QList<PubSubClient> clients;
    QHash<QByteArray, ShardedChannel> sharded; // by name; empty on one server
    // A Cluster: how many nodes answered and were summed (0: one server).
    int clusterNodes = 0;
    QStringList unreachableNodes; // host:port of the nodes left out of the sums

    // What Redis answered. A part whose command failed is empty, and the failure is in errors.
    bool channelsKnown = false;
    bool subscribersKnown = false; // every NUMSUB batch answered
    bool patternsKnown = false;
    bool clientsKnown = false;
    // Whether this round asked for the part; a backed-off part is carried over from the round that did.
    bool channelsRefreshed = false;
    bool clientsRefreshed = false;
    QDateTime channelsTakenAt;
    QDateTime clientsTakenAt;
    // The last answer of each command that failed; empty when every command worked.
    QList<PubSubCommandError> errors;
    // How often the expensive parts are asked, from what they measured when last asked.
    PollPacing channelPacing;
    PollPacing clientPacing;

    const PubSubCommandError *errorFor(PubSubCommandError::Command command) const;
    Kind kindOf(const QByteArray &channel) const;
};

// Polls Redis's view of Pub/Sub: PUBSUB CHANNELS, NUMSUB (in pipelined batches), NUMPAT and
// CLIENT LIST TYPE pubsub, and emits one consistent snapshot per round. Rounds never overlap.
// A command Redis refuses or fails leaves its part empty and listed in the snapshot's errors; the
// rest is shown. Only a lost connection fails the whole round (refreshFailed, nothing applied).
// On a large or slow Redis the channel list and the clients are asked less often than every round
// (PollBudget); refresh() always asks for everything.
class ChannelMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ChannelMonitor(RedisConnection *connection, QObject *parent = nullptr);

    // 0 turns polling off; refresh() still works.
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setBatchSize(int channelsPerNumsub) { m_batchSize = qMax(1, channelsPerNumsub); }
    void setBudget(const PollBudget &budget) { m_budget = budget; }
    const PollBudget &budget() const { return m_budget; }
    bool isRefreshing() const { return m_round != nullptr; }

    // Everything, now (or right after the round that is running).
    void refresh();

    static QList<PubSubClient> parseClientList(const QByteArray &text);

Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void refreshFailed(const QString &error);

private:
    struct Round;
    void startRound(bool everything);
    bool isDue(const PollPacing &pacing, qint64 askedAtMs) const;
    void askChannels(const std::shared_ptr<Round> &round);
    void askNumsub(const std::shared_ptr<Round> &round, const QByteArrayList &names);
    void askNumpat(const std::shared_ptr<Round> &round);
    void askClients(const std::shared_ptr<Round> &round);
    // The reply if it belongs to the running round and Redis answered; records Redis's error for
    // command, fails the round on a lost connection.
    bool accept(const std::shared_ptr<Round> &round, PubSubCommandError::Command command,
                const RedisValue &reply);
    void settle(const std::shared_ptr<Round> &round);
    void fail(const QString &error);
    void finish();

    RedisConnection *m_connection;
    QTimer m_timer;
    std::chrono::milliseconds m_interval{0};
    int m_batchSize = 1000;
    PollBudget m_budget;
    std::shared_ptr<Round> m_round;
    bool m_refreshQueued = false;
    PubSubSnapshot m_last; // what parts skipped by a round carry over
    QElapsedTimer m_clock; // monotonic: when each expensive part was last asked, -1 never
    qint64 m_channelsAskedAtMs = -1;
    qint64 m_clientsAskedAtMs = -1;
};
