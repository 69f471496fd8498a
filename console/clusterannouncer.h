// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayList>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class RedisClusterConnection;

// Who an announcement reaches on a Redis Cluster, and the commands that reach them. A fleet there may
// mix relays in sharded mode (SSUBSCRIBE on the shard that owns the channel) and classic relays or
// seed servers (SUBSCRIBE on any node): a channel's classic audience is PUBSUB NUMSUB summed over
// every node (each counts only its own subscribers), its sharded audience PUBSUB SHARDNUMSUB of the
// owning shard's primary and replicas. publish() sends PUBLISH to a classic audience and SPUBLISH to
// a sharded one, both when both have subscribers (and both when neither has: nobody is missed if one
// subscribes meanwhile). What PUBLISH returns on a Cluster counts only the subscribers of the node that
// took it (the owner of the channel's slot); the message reaches the classic subscribers of every node.
class ClusterAnnouncer : public QObject
{
    Q_OBJECT
public:
    struct Audience
    {
        QByteArray channel;
        qint64 classic = 0;
        qint64 sharded = 0;
        QString error; // a node that failed to answer: the counts are short
    };
    struct Sent
    {
        QByteArray channel;
        QByteArray command; // PUBLISH or SPUBLISH
        qint64 receivers = 0;
        QString error;
    };
    using EstimateCallback = std::function<void(const QList<Audience> &)>;
    using PublishCallback = std::function<void(const QList<Sent> &)>;

    explicit ClusterAnnouncer(RedisClusterConnection *cluster, QObject *parent = nullptr);

    void estimate(const QByteArrayList &channels, EstimateCallback done);
    void publish(const QList<Audience> &audience, const QByteArray &payload, PublishCallback done);
    // The commands publish() sends for a channel, in that order.
    static QByteArrayList commandsFor(const Audience &audience);
    // "SPUBLISH 2 + PUBLISH 1" for what was sent on channel.
    static QString resultText(const QList<Sent> &sent, const QByteArray &channel);

private:
    QPointer<RedisClusterConnection> m_cluster;
};
