// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <optional>

// Who serves which of a Redis Cluster's 16,384 hash slots: the shards (a primary, its replicas
// and the slot ranges it owns), read from CLUSTER SHARDS (Redis 7) or CLUSTER SLOTS (older).
class RedisClusterTopology
{
public:
    static constexpr int SlotCount = 16384;

    struct Node
    {
        QByteArray id;
        QString host;
        quint16 port = 0;
        bool primary = false;
        bool healthy = true; // CLUSTER SHARDS' health "online" (CLUSTER SLOTS lists only those)
        bool operator==(const Node &) const = default;
        QString key() const { return nodeKey(host, port); }
    };
    struct Shard
    {
        Node primary;
        QList<Node> replicas;
        QList<std::pair<int, int>> slots; // inclusive ranges
        bool operator==(const Shard &) const = default;
    };

    // The slot of key: CRC16 (XMODEM) of the key, or of its hash tag, the text between the
    // first '{' and the next '}' when that is not empty, modulo 16,384.
    static int keySlot(QByteArrayView key);
    // "host:port", how nodes are keyed wherever a Cluster's nodes are tracked.
    static QString nodeKey(const QString &host, quint16 port) { return host + u':' + QString::number(port); }

    // From the reply of CLUSTER SHARDS or CLUSTER SLOTS; nullopt and *error when it is not one.
    // CLUSTER SHARDS names each node's plain "port" and, with tls-cluster, its "tls-port"; tls
    // takes the latter (CLUSTER SLOTS and MOVED answer with the port of the asking connection's kind).
    static std::optional<RedisClusterTopology> fromShards(const RedisValue &reply, QString *error,
                                                          bool tls = false);
    static std::optional<RedisClusterTopology> fromSlots(const RedisValue &reply, QString *error);

    const QList<Shard> &shards() const { return m_shards; }
    // The shard that owns slot; nullptr for a slot nobody serves (a cluster that is not ok).
    const Shard *shardForSlot(int slot) const;
    bool coversAllSlots() const;
    // Sets slot's owner to the node at host:port (a MOVED reply), moving it between shards or
    // adding a shard for a primary not seen yet.
    void moveSlot(int slot, const QString &host, quint16 port);

private:
    void index();

    QList<Shard> m_shards;
    std::array<qint16, SlotCount> m_owner{}; // index into m_shards + 1; 0 = none
};
