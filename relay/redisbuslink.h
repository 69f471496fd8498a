// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"
#include "redisscript.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QObject>
#include <QPointer>
#include <QString>

// What RedisBus needs of Redis: a way to publish and a way to subscribe, to one server
// (RedisServerLink) or across a Redis Cluster (RedisClusterLink). The bus keeps the outage
// queue, the bounds, the replay and the gap accounting; a link only moves commands.
class RedisBusLink : public QObject
{
    Q_OBJECT
public:
    using ReplyCallback = RedisConnection::ReplyCallback;
    using QObject::QObject;

    virtual void open() = 0;
    virtual void close() = 0;

    virtual bool isPublisherReady() const = 0;
    virtual bool isPublisherClosed() const = 0;
    virtual QString publisherError() const = 0;
    // PUBLISH (or SPUBLISH on a sharded Cluster); the callback gets Redis's reply, or a
    // connection failure (RedisConnection::isConnectionFailure()) when it may not have run.
    virtual void publish(const QByteArray &channel, const QByteArray &payload, QObject *context,
                         ReplyCallback callback) = 0;
    // A classic PUBLISH in every mode: on a Cluster it reaches every node, so a pattern
    // subscription on any node hears it (low-rate plumbing: the stats heartbeat).
    virtual void publishEverywhere(const QByteArray &channel, const QByteArray &payload, QObject *context,
                                   ReplyCallback callback)
    {
        publish(channel, payload, context, std::move(callback));
    }
    // The command that publishes to a room's channel: PUBLISH, or SPUBLISH on a sharded Cluster
    // (for Lua scripts that publish, docs/protocol.md "Keys in Redis").
    virtual QByteArray publishCommand() const { return "PUBLISH"; }
    // A command (a script's EVALSHA included) on the connection that publishes, on a Cluster to
    // the primary that owns key's slot, whatever the arguments. Same reply rules as publish().
    virtual void keyCommand(const QByteArray &key, const QByteArrayList &args, QObject *context,
                            ReplyCallback callback) = 0;
    // A RedisScript::Send that runs a script's commands as keyCommand(key, ...), for as long as this
    // link and context live (a reply is dropped once either is gone).
    RedisScript::Send scriptSender(const QByteArray &key, QObject *context)
    {
        return [link = QPointer<RedisBusLink>(this), key, context = QPointer<QObject>(context)](
                   const QByteArrayList &command, std::function<void(const RedisValue &)> reply) {
            if (link && context)
                link->keyCommand(key, command, context, std::move(reply));
        };
    }
    // Writes what is buffered now, without the event loop (shutdown).
    virtual void flush() = 0;

    virtual void subscribe(const QByteArray &channel) = 0;
    virtual void unsubscribe(const QByteArray &channel) = 0;
    virtual bool isSubscribed(const QByteArray &channel) const = 0;
    // Every connection the subscriptions need is up.
    virtual bool isSubscriberReady() const = 0;
    virtual bool isSubscriberClosed() const = 0;
    // Ready, and every subscription is confirmed.
    virtual bool isSubscriberSettled() const = 0;
    virtual QString subscriberError() const = 0;

    // "Redis at redis://host:6379", "Redis Cluster at ... (sharded Pub/Sub)".
    virtual QString description() const = 0;

    // The channels that prove, by a message published on each coming back, that the
    // subscriptions hear what is published (SubscriberProbe): base, or one per shard.
    virtual QByteArrayList probeChannels(const QByteArray &base) const { return {base}; }
    // A probe on channel did not come back: the connection that should have heard it is
    // dropped and made again (on a Cluster in classic mode, on another node).
    virtual void recoverSubscriber(const QByteArray &channel, const QString &why) = 0;

Q_SIGNALS:
    void publisherStateChanged();
    void subscriberStateChanged();
    void message(const QByteArray &channel, const QByteArray &payload);
    void subscribed(const QByteArray &channel);
    void subscribeFailed(const QByteArray &channel, const QByteArray &error);
    // Every subscription is confirmed again after the subscriber was not ready.
    void resubscribed();
    // One channel was not listened to for gapMs while it moved between Cluster nodes.
    void channelGap(const QByteArray &channel, qint64 gapMs, const QString &cause);
};
