// SPDX-License-Identifier: MIT
#include "clusterchannelmonitor.h"

#include "redisclusterconnection.h"

#include <QElapsedTimer>
#include <QMap>
#include <QPointer>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;
using Command = PubSubCommandError::Command;

struct ClusterChannelMonitor::NodeRound
{
    ClusterNodeStatus status;
    QString host;
    quint16 port = 0;
    bool asked = false;
    bool failed = false; // its connection dropped, or it was down
    int outstanding = 0;
    qint64 heardMs = 0; // round clock: when it was asked or last answered
    bool channelsKnown = false;
    bool shardKnown = false;
    bool numsubFailed = false;
    bool shardNumsubFailed = false;
    QHash<QByteArray, qint64> classic; // -1 until NUMSUB answered
    QHash<QByteArray, qint64> sharded;
    QList<PubSubClient> clients;
    bool clientsKnown = false;
    qint64 numpat = 0;
    bool numpatKnown = false;
};

struct ClusterChannelMonitor::Round
{
    QElapsedTimer clock;
    QDateTime takenAt;
    RedisClusterTopology topology;
    QList<NodeRound> nodes;
    QList<PubSubCommandError> errors;
    int outstanding = 0;
};

ClusterChannelMonitor::ClusterChannelMonitor(RedisClusterConnection *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
{
    m_timer.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ClusterChannelMonitor::startRound);
    connect(&m_deadline, &QTimer::timeout, this, &ClusterChannelMonitor::onDeadline);
    // A Cluster that has just become reachable (or changed) is shown at once.
    connect(cluster, &RedisClusterConnection::topologyChanged, this, [this] {
        if (!m_round)
            refresh();
    });
}

ClusterChannelMonitor::~ClusterChannelMonitor() = default;

void ClusterChannelMonitor::setInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    if (interval.count() <= 0)
        m_timer.stop();
    else if (!isRefreshing())
        m_timer.start(interval);
}

void ClusterChannelMonitor::refresh()
{
    if (m_round) {
        m_refreshQueued = true;
        return;
    }
    startRound();
}

void ClusterChannelMonitor::startRound()
{
    m_timer.stop();
    auto round = std::make_shared<Round>();
    round->clock.start();
    round->takenAt = QDateTime::currentDateTimeUtc();
    round->topology = m_cluster->topology();
    const auto &shards = round->topology.shards();
    for (qsizetype s = 0; s < shards.size(); ++s) {
        QList<RedisClusterTopology::Node> members{shards[s].primary};
        members += shards[s].replicas;
        for (const auto &node : std::as_const(members)) {
            NodeRound n;
            n.host = node.host;
            n.port = node.port;
            n.status.key = node.key();
            n.status.id = node.id;
            n.status.primary = node.primary;
            n.status.primaryKey = shards[s].primary.key();
            n.status.shard = int(s) + 1;
            n.status.slots = shards[s].slots;
            n.status.healthy = node.healthy;
            round->nodes.append(n);
        }
    }
    if (round->nodes.isEmpty()) {
        if (m_interval.count() > 0)
            m_timer.start(m_interval);
        Q_EMIT refreshFailed(m_cluster->lastError().isEmpty() ? tr("the Cluster's topology is not known yet")
                                                              : m_cluster->lastError());
        return;
    }
    m_round = round;
    ++round->outstanding; // released once every node was asked
    for (int i = 0; i < round->nodes.size(); ++i)
        askNode(round, i);
    m_deadline.start(m_nodeTimeout);
    settle(round);
}

void ClusterChannelMonitor::askNode(const std::shared_ptr<Round> &round, int i)
{
    NodeRound &n = round->nodes[i];
    RedisConnection *connection = m_cluster->nodeConnection(n.host, n.port);
    const auto state = connection->state();
    if (state == RedisConnection::State::Reconnecting || state == RedisConnection::State::Closed) {
        n.failed = true;
        n.status.error = connection->lastError().isEmpty() ? tr("not connected") : connection->lastError();
        return;
    }
    n.asked = true;
    n.heardMs = round->clock.elapsed();
    send(round, i, Command::Channels, {"PUBSUB"_ba, "CHANNELS"_ba}, [this, round, i](const RedisValue &r) {
        NodeRound &node = round->nodes[i];
        node.channelsKnown = true;
        QByteArrayList names;
        for (const RedisValue &v : r.elements())
            names.append(v.bytes());
        node.status.classicChannels = names.size();
        for (const QByteArray &name : std::as_const(names))
            node.classic.insert(name, -1);
        askNumsub(round, i, false, names);
    });
    send(round, i, Command::ShardChannels, {"PUBSUB"_ba, "SHARDCHANNELS"_ba},
         [this, round, i](const RedisValue &r) {
             NodeRound &node = round->nodes[i];
             node.shardKnown = true;
             QByteArrayList names;
             for (const RedisValue &v : r.elements())
                 names.append(v.bytes());
             node.status.shardChannels = names.size();
             for (const QByteArray &name : std::as_const(names))
                 node.sharded.insert(name, -1);
             askNumsub(round, i, true, names);
         });
    send(round, i, Command::Numpat, {"PUBSUB"_ba, "NUMPAT"_ba}, [round, i](const RedisValue &r) {
        NodeRound &node = round->nodes[i];
        node.numpatKnown = true;
        node.numpat = r.toInteger();
        node.status.patterns = node.numpat;
    });
    send(round, i, Command::ClientList, {"CLIENT"_ba, "LIST"_ba, "TYPE"_ba, "pubsub"_ba},
         [round, i](const RedisValue &r) {
             NodeRound &node = round->nodes[i];
             node.clientsKnown = true;
             node.clients = ChannelMonitor::parseClientList(r.bytes());
             qint64 omem = 0;
             for (PubSubClient &c : node.clients) {
                 c.node = node.status.key;
                 omem += c.outputBytes;
             }
             node.status.pubsubClients = node.clients.size();
             node.status.outputBufferBytes = omem;
         });
}

// NUMSUB in batches; SHARDNUMSUB one command per hash slot (a node serves the slots of its shard).
void ClusterChannelMonitor::askNumsub(const std::shared_ptr<Round> &round, int i, bool sharded,
                                      const QByteArrayList &names)
{
    QList<QByteArrayList> batches;
    if (sharded) {
        QMap<int, QByteArrayList> bySlot;
        for (const QByteArray &name : names)
            bySlot[RedisClusterTopology::keySlot(name)].append(name);
        batches = bySlot.values();
    } else {
        for (qsizetype start = 0; start < names.size(); start += m_batchSize)
            batches.append(names.mid(start, m_batchSize));
    }
    for (const QByteArrayList &batch : std::as_const(batches)) {
        QByteArrayList args{"PUBSUB"_ba, sharded ? "SHARDNUMSUB"_ba : "NUMSUB"_ba};
        args += batch;
        send(round, i, sharded ? Command::ShardNumsub : Command::Numsub, args,
             [round, i, sharded](const RedisValue &counts) {
                 NodeRound &node = round->nodes[i];
                 auto &table = sharded ? node.sharded : node.classic;
                 const auto &e = counts.elements();
                 for (size_t k = 0; k + 1 < e.size(); k += 2) {
                     const auto it = table.find(e[k].bytes());
                     if (it != table.end())
                         *it = e[k + 1].toInteger();
                 }
             });
    }
}

void ClusterChannelMonitor::send(const std::shared_ptr<Round> &round, int i, Command command,
                                 const QByteArrayList &args, std::function<void(const RedisValue &)> onReply)
{
    NodeRound &n = round->nodes[i];
    ++round->outstanding;
    ++n.outstanding;
    const qint64 sentMs = round->clock.elapsed();
    RedisConnection *connection = m_cluster->nodeConnection(n.host, n.port);
    connection->command(args, this, [this, round, i, command, sentMs, onReply](const RedisValue &reply) {
        if (round != m_round)
            return;
        NodeRound &node = round->nodes[i];
        --node.outstanding;
        node.heardMs = round->clock.elapsed();
        node.status.replyMs = std::max(node.status.replyMs, node.heardMs - sentMs);
        if (RedisConnection::isConnectionFailure(reply)) {
            node.failed = true;
            node.status.error = QString::fromUtf8(reply.bytes());
        } else if (reply.isError()) {
            const QString error = node.status.key + u": "_s + QString::fromUtf8(reply.bytes());
            if (node.status.error.isEmpty())
                node.status.error = error;
            if (command == Command::Numsub)
                node.numsubFailed = true;
            if (command == Command::ShardNumsub)
                node.shardNumsubFailed = true;
            const bool known = std::any_of(round->errors.cbegin(), round->errors.cend(),
                                           [command](const PubSubCommandError &e) { return e.command == command; });
            if (!known)
                round->errors.append({command, error, 0});
        } else if (!node.failed) {
            onReply(reply);
        }
        settle(round);
    });
}

// A node is left out when it has not answered anything for the node timeout; one that keeps
// answering (a large node: thousands of NUMSUB batches) is waited for.
void ClusterChannelMonitor::onDeadline()
{
    if (!m_round)
        return;
    const qint64 now = m_round->clock.elapsed();
    const qint64 timeout = m_nodeTimeout.count();
    qint64 next = -1;
    for (const NodeRound &n : std::as_const(m_round->nodes)) {
        if (!n.asked || n.failed || n.outstanding == 0)
            continue;
        const qint64 left = n.heardMs + timeout - now;
        if (left > 0)
            next = next < 0 ? left : std::min(next, left);
    }
    if (next > 0) {
        m_deadline.start(std::chrono::milliseconds(next));
        return;
    }
    finish();
}

void ClusterChannelMonitor::settle(const std::shared_ptr<Round> &round)
{
    if (round == m_round && --round->outstanding == 0)
        finish();
}

void ClusterChannelMonitor::finish()
{
    if (!m_round)
        return;
    m_deadline.stop();
    std::shared_ptr<Round> round = std::move(m_round);
    QList<ClusterNodeStatus> nodes;
    int reachable = 0;
    for (NodeRound &n : round->nodes) {
        if (n.asked && n.outstanding > 0 && !n.failed) {
            n.failed = true;
            n.status.error = tr("no answer within %1 ms").arg(m_nodeTimeout.count());
        }
        n.status.reachable = n.asked && !n.failed;
        reachable += n.status.reachable ? 1 : 0;
        nodes.append(n.status);
    }
    PubSubSnapshot snapshot = aggregate(*round);
    pace(snapshot, nodes);
    m_lastNodes = nodes;
    const bool queued = std::exchange(m_refreshQueued, false);
    if (!queued && m_interval.count() > 0)
        m_timer.start(std::max(m_interval, m_nextInterval));
    const QPointer<ClusterChannelMonitor> alive(this);
    Q_EMIT nodesReady(nodes);
    if (!alive)
        return;
    if (reachable == 0) {
        QStringList why;
        for (const ClusterNodeStatus &n : std::as_const(nodes))
            why << n.key + u": "_s + n.error;
        Q_EMIT refreshFailed(tr("no node of the Cluster answered (%1)").arg(why.join(u"; "_s)));
    } else {
        Q_EMIT snapshotReady(snapshot);
    }
    if (alive && queued && !m_round)
        startRound();
}

void ClusterChannelMonitor::pace(PubSubSnapshot &s, const QList<ClusterNodeStatus> &nodes)
{
    qint64 channels = 0, clients = 0, slowestUs = 0;
    for (const ClusterNodeStatus &n : nodes) {
        channels = std::max(channels, std::max<qint64>(0, n.classicChannels) + std::max<qint64>(0, n.shardChannels));
        clients = std::max(clients, n.pubsubClients);
        slowestUs = std::max(slowestUs, n.replyMs * 1000);
    }
    s.channelPacing = PollPacing::compute(m_interval, channels, m_budget.channelsPerSecond, slowestUs, m_budget);
    s.clientPacing = PollPacing::compute(m_interval, clients, m_budget.clientsPerSecond, 0, m_budget);
    // One round asks for both: it comes as often as the slower part allows.
    m_nextInterval = std::max(s.channelPacing.interval, s.clientPacing.interval);
}

PubSubSnapshot ClusterChannelMonitor::aggregate(Round &round) const
{
    PubSubSnapshot s;
    s.takenAt = s.channelsTakenAt = s.clientsTakenAt = round.takenAt;
    s.durationMs = round.clock.elapsed();
    s.channelsRefreshed = s.clientsRefreshed = true;
    s.errors = round.errors;
    s.subscribersKnown = true;
    QMap<QByteArray, std::pair<qint64, qint64>> counts; // classic, sharded; -1 unknown
    QSet<QByteArray> classicNames;
    QSet<QByteArray> shardedNames;
    const auto add = [](qint64 &sum, qint64 n) { sum = (sum < 0 || n < 0) ? -1 : sum + n; };
    for (const NodeRound &n : std::as_const(round.nodes)) {
        if (!n.status.reachable) {
            s.unreachableNodes.append(n.status.key);
            continue;
        }
        ++s.clusterNodes;
        s.channelsKnown = s.channelsKnown || n.channelsKnown || n.shardKnown;
        s.subscribersKnown = s.subscribersKnown && !n.numsubFailed && !n.shardNumsubFailed;
        for (auto it = n.classic.cbegin(); it != n.classic.cend(); ++it) {
            add(counts[it.key()].first, it.value());
            classicNames.insert(it.key());
        }
        for (auto it = n.sharded.cbegin(); it != n.sharded.cend(); ++it) {
            add(counts[it.key()].second, it.value());
            shardedNames.insert(it.key());
        }
        if (n.numpatKnown) {
            s.patternsKnown = true;
            s.patternSubscriptions += n.numpat;
        }
        if (n.clientsKnown) {
            s.clientsKnown = true;
            s.clients += n.clients;
        }
    }
    s.channels.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        PubSubSnapshot::Channel c;
        c.name = it.key();
        c.subscribers = 0;
        add(c.subscribers, it->first);
        add(c.subscribers, it->second);
        if (shardedNames.contains(c.name)) {
            PubSubSnapshot::ShardedChannel &sharded = s.sharded[c.name];
            sharded.subscribers = it->second;
            sharded.alsoClassic = classicNames.contains(c.name);
            const auto &shards = round.topology.shards();
            if (const auto *owner = round.topology.shardForSlot(RedisClusterTopology::keySlot(c.name))) {
                sharded.shard = int(owner - shards.constData()) + 1;
                sharded.primary = owner->primary.key();
            }
        }
        s.channels.append(c);
    }
    return s;
}
