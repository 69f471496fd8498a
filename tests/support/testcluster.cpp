// SPDX-License-Identifier: MIT
#include "testcluster.h"

#include "redisclustertopology.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

TestCluster::TestCluster(int primaries, int replicasPerPrimary)
    : m_primaries(primaries)
    , m_replicas(replicasPerPrimary)
{
}

TestCluster::~TestCluster() = default;

bool TestCluster::start()
{
    const int total = m_primaries * (1 + m_replicas);
    QStringList addresses;
    for (int i = 0; i < total; ++i) {
        const quint16 busPort = RedisServer::freePort();
        QStringList arguments{
            u"--cluster-enabled"_s,      u"yes"_s,  u"--cluster-config-file"_s, u"nodes.conf"_s,
            u"--cluster-node-timeout"_s, u"1000"_s, u"--cluster-port"_s,        QString::number(busPort)};
        if (m_tls)
            arguments += {u"--tls-cluster"_s, u"yes"_s, u"--tls-replication"_s, u"yes"_s};
        auto server = std::make_unique<RedisServer>(arguments);
        if (m_tls)
            server->setTls(*m_tls);
        if (!server->start()) {
            m_error = server->errorString();
            return false;
        }
        addresses.append(u"127.0.0.1:%1"_s.arg(m_tls ? server->tlsPort() : server->port()));
        m_nodes.push_back(std::move(server));
    }
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    QStringList tlsArguments;
    if (m_tls) {
        tlsArguments = {u"--tls"_s, u"--cacert"_s, m_tls->ca};
        if (m_tls->authClients)
            tlsArguments += {u"--cert"_s, m_tls->cert, u"--key"_s, m_tls->key};
    }
    cli.start(u"redis-cli"_s,
              tlsArguments + QStringList{u"--cluster"_s, u"create"_s} + addresses +
                  QStringList{u"--cluster-replicas"_s, QString::number(m_replicas), u"--cluster-yes"_s});
    if (!cli.waitForFinished(120000) || cli.exitCode() != 0) {
        m_error = u"redis-cli --cluster create failed: "_s + QString::fromUtf8(cli.readAll());
        return false;
    }
    if (!waitUntilHealthy(60000, true)) {
        m_error = u"the cluster did not become healthy: "_s + m_error;
        return false;
    }
    return true;
}

QString TestCluster::url() const
{
    QStringList seeds;
    for (const auto &node : m_nodes)
        seeds.append(u"127.0.0.1:%1"_s.arg(node->port()));
    return u"redis-cluster://"_s + seeds.join(u',');
}

QString TestCluster::tlsUrl() const
{
    if (!m_tls)
        return {};
    QStringList seeds;
    for (const auto &node : m_nodes)
        seeds.append(u"127.0.0.1:%1"_s.arg(node->tlsPort()));
    QString url = u"rediss-cluster://"_s + seeds.join(u',') + u"?ca="_s + m_tls->ca;
    if (m_tls->authClients)
        url += u"&cert=%1&key=%2"_s.arg(m_tls->cert, m_tls->key);
    return url;
}

QString TestCluster::singleSeedUrl() const
{
    return u"redis-cluster://127.0.0.1:%1"_s.arg(m_nodes.front()->port());
}

QList<RedisServer *> TestCluster::nodes() const
{
    QList<RedisServer *> out;
    for (const auto &node : m_nodes)
        out.append(node.get());
    return out;
}

RedisServer *TestCluster::node(quint16 port) const
{
    for (const auto &node : m_nodes) {
        if (node->port() == port)
            return node.get();
    }
    return nullptr;
}

namespace {

std::optional<RedisClusterTopology> topologyOf(const RedisServer *node)
{
    QString error;
    return RedisClusterTopology::fromShards(node->command({"CLUSTER"_ba, "SHARDS"_ba}), &error);
}

} // namespace

RedisServer *TestCluster::primaryOf(int slot) const
{
    for (const auto &n : m_nodes) {
        if (!n->isRunning())
            continue;
        const auto topology = topologyOf(n.get());
        const RedisClusterTopology::Shard *shard = topology ? topology->shardForSlot(slot) : nullptr;
        return shard ? node(shard->primary.port) : nullptr;
    }
    return nullptr;
}

QList<RedisServer *> TestCluster::primaries() const
{
    QList<RedisServer *> out;
    for (const auto &n : m_nodes) {
        if (n->isRunning() && n->command({"ROLE"_ba}).elements().front().bytes() == "master")
            out.append(n.get());
    }
    return out;
}

QByteArray TestCluster::nodeId(RedisServer *node) const
{
    return node->command({"CLUSTER"_ba, "MYID"_ba}).bytes();
}

RedisValue TestCluster::commandFor(const QByteArray &key, const QByteArrayList &args) const
{
    RedisServer *owner = primaryOf(RedisClusterTopology::keySlot(key));
    return owner ? owner->command(args) : RedisValue::error("ERR test: no owner");
}

bool TestCluster::beginMigration(int slot, RedisServer *target)
{
    RedisServer *owner = primaryOf(slot);
    if (!owner || owner == target)
        return false;
    const QByteArray s = QByteArray::number(slot);
    return target->command({"CLUSTER"_ba, "SETSLOT"_ba, s, "IMPORTING"_ba, nodeId(owner)}).bytes() == "OK" &&
           owner->command({"CLUSTER"_ba, "SETSLOT"_ba, s, "MIGRATING"_ba, nodeId(target)}).bytes() == "OK";
}

bool TestCluster::finishMigration(int slot, RedisServer *target)
{
    RedisServer *owner = primaryOf(slot);
    if (!owner)
        return false;
    const QByteArray s = QByteArray::number(slot);
    for (;;) {
        const RedisValue keys = owner->command({"CLUSTER"_ba, "GETKEYSINSLOT"_ba, s, "100"_ba});
        if (!keys.isArray() || keys.elements().empty())
            break;
        // With tls-cluster, MIGRATE connects over TLS.
        const quint16 port = m_tls ? target->tlsPort() : target->port();
        QByteArrayList migrate{"MIGRATE"_ba, "127.0.0.1"_ba, QByteArray::number(port), ""_ba, "0"_ba,
                               "5000"_ba,    "KEYS"_ba};
        for (const RedisValue &key : keys.elements())
            migrate.append(key.bytes());
        if (owner->command(migrate).isError())
            return false;
    }
    const QByteArray targetId = nodeId(target);
    QList<RedisServer *> order{target, owner};
    for (RedisServer *p : primaries()) {
        if (!order.contains(p))
            order.append(p);
    }
    for (RedisServer *p : std::as_const(order)) {
        if (p->command({"CLUSTER"_ba, "SETSLOT"_ba, s, "NODE"_ba, targetId}).isError())
            return false;
    }
    return waitUntilHealthy(30000);
}

bool TestCluster::failPrimaryOf(int slot)
{
    RedisServer *owner = primaryOf(slot);
    if (!owner)
        return false;
    owner->stop();
    const QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        RedisServer *now = primaryOf(slot);
        if (now && now != owner && waitUntilHealthy(int(deadline.remainingTime())))
            return true;
        QTest::qWait(50);
    }
    m_error = u"no replica took slot %1 over"_s.arg(slot);
    return false;
}

bool TestCluster::waitUntilHealthy(int timeoutMs, bool allReplicas)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        bool ok = true;
        for (const auto &n : m_nodes) {
            if (n->isRunning() && !n->command({"CLUSTER"_ba, "INFO"_ba}).bytes().contains("cluster_state:ok")) {
                ok = false;
                break;
            }
        }
        if (ok && agreeOnSlots(allReplicas))
            return true;
        QTest::qWait(50);
    }
    m_error = u"cluster_state not ok on every node, or the nodes disagree on the slots"_s;
    return false;
}

bool TestCluster::agreeOnSlots(bool allReplicas) const
{
    std::optional<std::vector<quint16>> first;
    for (const auto &n : m_nodes) {
        if (!n->isRunning())
            continue;
        const auto topology = topologyOf(n.get());
        if (!topology || !topology->coversAllSlots())
            return false;
        for (const RedisClusterTopology::Shard &shard : topology->shards()) {
            const auto online = std::count_if(shard.replicas.cbegin(), shard.replicas.cend(),
                                              [](const RedisClusterTopology::Node &r) { return r.healthy; });
            if (allReplicas && online < m_replicas)
                return false;
        }
        std::vector<quint16> owners(RedisClusterTopology::SlotCount);
        for (int slot = 0; slot < RedisClusterTopology::SlotCount; ++slot) {
            const RedisClusterTopology::Shard *shard = topology->shardForSlot(slot);
            if (!shard->primary.healthy || !node(shard->primary.port) || !node(shard->primary.port)->isRunning())
                return false;
            owners[size_t(slot)] = shard->primary.port;
        }
        if (!first)
            first = std::move(owners);
        else if (*first != owners)
            return false;
    }
    return first.has_value();
}
