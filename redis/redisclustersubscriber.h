// SPDX-License-Identifier: MIT
#pragma once

#include "redisclusterconnection.h"
#include "redissubscriber.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

// Sharded Pub/Sub over a whole Redis Cluster: each channel is subscribed (SSUBSCRIBE) on the
// primary that owns its hash slot (or one of its replicas, setSubscribeOn), through one sharded
// RedisSubscriber per node. The map is
// the cluster connection's; when a channel's slot changes owner (a resharding: the old owner
// sends sunsubscribe, or answers MOVED; a failover: its node is gone) the channel is subscribed
// again on the new owner. Messages published to the channel between the move and the new
// confirmation are lost: moved() reports each such window.
//
// Settled once every channel is confirmed on its current owner; resubscribed() after it was not.
class RedisClusterSubscriber : public QObject
{
    Q_OBJECT
public:
    // cluster provides the topology (and must outlive this object); it is not opened here.
    explicit RedisClusterSubscriber(RedisClusterConnection *cluster, QObject *parent = nullptr);

    // Which node of the owning shard serves a channel: its primary (the default), or a replica of
    // it that the topology calls healthy (chosen by slot, so channels spread over the replicas;
    // the primary while it has none). Replicas hear every SPUBLISH of their shard, a moment after
    // the primary, and take the fan-out to subscribers off it. Before subscribe().
    enum class SubscribeOn { Primary, Replica };
    void setSubscribeOn(SubscribeOn on) { m_on = on; }
    SubscribeOn subscribeOn() const { return m_on; }

    void open();
    void close();

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    bool isSubscribed(const QByteArray &channel) const;
    QList<QByteArray> channels() const { return m_refs.keys(); }
    bool isSettled() const;
    // The cluster has a topology and no node subscriber's connection is down (one still making
    // its first connection is not: its channels are simply not confirmed yet).
    bool isConnected() const;
    QString lastError() const;
    // host:port of the node that serves channel now; empty while it has none.
    QString nodeOf(const QByteArray &channel) const { return m_route.value(channel); }
    quint64 moves() const { return m_moves; }
    // Drops the connection of the node that serves channel (RedisConnection::reconnect).
    void reconnectNodeOf(const QByteArray &channel, const QString &reason);
    quint64 messagesReceived() const { return m_messages; }

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void subscribed(const QByteArray &channel);
    // Refused by Redis for another reason than the slot's owner (an ACL's NOPERM): released.
    void subscribeFailed(const QByteArray &channel, const QByteArray &error);
    // channel was not listened to for gapMs while it moved between nodes.
    void moved(const QByteArray &channel, const QString &from, const QString &to, qint64 gapMs);
    void resubscribed();
    // isConnected() may have changed.
    void connectionChanged();

private:
    struct Node
    {
        RedisSubscriber *subscriber = nullptr;
        QString host;
        quint16 port = 0;
        bool wasReady = false; // a node still connecting for the first time is not down
    };
    // The node that is to serve channel now; nullptr while no shard owns its slot.
    const RedisClusterTopology::Node *servingNode(const QByteArray &channel) const;
    void route(const QByteArray &channel);
    void reroute();
    void detach(const QByteArray &channel);
    RedisSubscriber *subscriberFor(const QString &host, quint16 port);
    void onLost(const QByteArray &channel);
    void onConfirmed(const QByteArray &channel);
    void onRefused(const QByteArray &channel, const QByteArray &error);
    void dropUnused();
    void checkSettled();

    QPointer<RedisClusterConnection> m_cluster;
    QHash<QString, Node> m_nodes;                // by host:port
    QHash<QByteArray, int> m_refs;
    QHash<QByteArray, QString> m_route;          // channel -> node asked to serve it
    QSet<QByteArray> m_unrouted;                 // waiting for the topology to name an owner
    QHash<QByteArray, QElapsedTimer> m_movingSince;
    QHash<QByteArray, QString> m_movingFrom;
    SubscribeOn m_on = SubscribeOn::Primary;
    bool m_open = false;
    bool m_wasSettled = false;
    quint64 m_moves = 0;
    quint64 m_messages = 0;
};
