// SPDX-License-Identifier: MIT
#pragma once

#include "redisbuslink.h"

#include <QHash>
#include <QPointer>

class RedisClusterConnection;
class RedisClusterSubscriber;
class RedisSubscriber;

// A Redis Cluster (redis-cluster:// URLs). Sharded (the default): SPUBLISH to the shard that owns
// the channel's slot and SSUBSCRIBE there (RedisClusterSubscriber), so each message crosses one
// shard only. Classic: PUBLISH, which the Cluster copies to every node, and SUBSCRIBE on one node
// (moved to another when that one is lost), for fleets that include relays speaking classic
// Pub/Sub, such as the seed's.
class RedisClusterLink : public RedisBusLink
{
    Q_OBJECT
public:
    enum class PubSub { Sharded, Classic };

    // Where subscriptions are made: sharded on the owning shard's primary or one of its replicas
    // (RedisClusterSubscriber::SubscribeOn); classic on a primary or, replicas first, any node.
    enum class SubscribeOn { Primary, Replica };

    // subscribeOn defaults to Primary for sharded, Replica for classic.
    RedisClusterLink(const RedisConnectionOptions &options, PubSub mode, QObject *parent = nullptr);
    RedisClusterLink(const RedisConnectionOptions &options, PubSub mode, SubscribeOn subscribeOn,
                     QObject *parent = nullptr);

    void open() override;
    void close() override;
    bool isPublisherReady() const override;
    bool isPublisherClosed() const override;
    QString publisherError() const override;
    void publish(const QByteArray &channel, const QByteArray &payload, QObject *context,
                 ReplyCallback callback) override;
    void publishEverywhere(const QByteArray &channel, const QByteArray &payload, QObject *context,
                           ReplyCallback callback) override;
    QByteArray publishCommand() const override;
    void keyCommand(const QByteArray &key, const QByteArrayList &args, QObject *context,
                    ReplyCallback callback) override;
    void flush() override;
    void subscribe(const QByteArray &channel) override;
    void unsubscribe(const QByteArray &channel) override;
    bool isSubscribed(const QByteArray &channel) const override;
    bool isSubscriberReady() const override;
    bool isSubscriberClosed() const override;
    bool isSubscriberSettled() const override;
    QString subscriberError() const override;
    QString description() const override;
    // Sharded: base{tag} for each shard, the tag chosen so the channel hashes to that shard.
    QByteArrayList probeChannels(const QByteArray &base) const override;
    void recoverSubscriber(const QByteArray &channel, const QString &why) override;

    PubSub mode() const { return m_mode; }
    SubscribeOn subscribeOn() const { return m_subscribeOn; }
    RedisClusterConnection *cluster() const { return m_cluster; }
    // host:port of the node the classic subscriber listens on (empty: sharded, or none yet).
    QString classicNode() const { return m_classicNode; }

private:
    // Classic: (re)creates the subscriber on a healthy node other than the one it was on.
    void placeClassicSubscriber();

    PubSub m_mode;
    SubscribeOn m_subscribeOn;
    RedisClusterConnection *m_cluster;
    RedisClusterSubscriber *m_sharded = nullptr;
    QPointer<RedisSubscriber> m_classic;
    QString m_classicNode;
    QHash<QByteArray, int> m_classicRefs;
    mutable QHash<int, QByteArray> m_slotTags; // slot -> a hash tag that maps to it
    bool m_open = false;
};
