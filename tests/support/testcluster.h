// SPDX-License-Identifier: MIT
#pragma once

#include "redisserver.h"
#include "redisvalue.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

// A real Redis Cluster for one test binary: primaries x (1 + replicas) redis-server processes
// with cluster-enabled on free loopback ports (their cluster bus ports too), joined with
// `redis-cli --cluster create`, stopped by the destructor.
class TestCluster
{
public:
    explicit TestCluster(int primaries = 3, int replicasPerPrimary = 1);
    ~TestCluster();
    TestCluster(const TestCluster &) = delete;
    TestCluster &operator=(const TestCluster &) = delete;

    // Every node also serves TLS (tls-cluster and tls-replication on: the cluster bus and the
    // replicas speak TLS, and CLUSTER SHARDS names each node's tls-port). Before start().
    void setTls(const RedisTlsOptions &tls) { m_tls = tls; }
    // Starts every node, creates the cluster and waits until every node says cluster_state:ok
    // and agrees on who owns every slot.
    bool start();
    QString errorString() const { return m_error; }

    // redis-cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,... (every node a seed).
    QString url() const;
    // rediss-cluster://127.0.0.1:<tls1>,... with ca= (and cert= key= when the nodes demand a
    // client certificate); empty without setTls().
    QString tlsUrl() const;
    // Only the first node as a seed: the client must discover the others.
    QString singleSeedUrl() const;
    QList<RedisServer *> nodes() const;
    RedisServer *node(quint16 port) const;
    // The primary that owns slot now (CLUSTER SHARDS of a healthy node), or nullptr.
    RedisServer *primaryOf(int slot) const;
    QList<RedisServer *> primaries() const;
    QByteArray nodeId(RedisServer *node) const;
    // A blocking command on the node that owns key's slot (following one MOVED).
    RedisValue commandFor(const QByteArray &key, const QByteArrayList &args) const;

    // Moves slot from its owner to target, in the steps of redis-cli --cluster reshard: target
    // IMPORTING, owner MIGRATING (beginMigration: from here the owner answers ASK for keys it
    // no longer has), the keys MIGRATEd, then every primary told the new owner (finishMigration).
    bool beginMigration(int slot, RedisServer *target);
    bool finishMigration(int slot, RedisServer *target);
    bool moveSlot(int slot, RedisServer *target) { return beginMigration(slot, target) && finishMigration(slot, target); }

    // Stops the primary of slot and waits until a replica took the slot over and the cluster is ok.
    bool failPrimaryOf(int slot);
    // Every running node says cluster_state:ok and they agree on each slot's owner (and, with
    // allReplicas, every primary has its replicas online in every node's view).
    bool waitUntilHealthy(int timeoutMs, bool allReplicas = false);

private:
    bool agreeOnSlots(bool allReplicas) const;

    int m_primaries;
    int m_replicas;
    std::optional<RedisTlsOptions> m_tls;
    std::vector<std::unique_ptr<RedisServer>> m_nodes;
    QString m_error;
};
