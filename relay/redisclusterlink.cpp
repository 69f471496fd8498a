// SPDX-License-Identifier: MIT
#include "redisclusterlink.h"

#include "redisclusterconnection.h"
#include "redisclustersubscriber.h"
#include "redisclustertopology.h"
#include "redissubscriber.h"
#include "relaylogging.h"

#include <algorithm>

using namespace Qt::StringLiterals;

RedisClusterLink::RedisClusterLink(const RedisConnectionOptions &options, PubSub mode, QObject *parent)
    : RedisClusterLink(options, mode, mode == PubSub::Sharded ? SubscribeOn::Primary : SubscribeOn::Replica,
                       parent)
{}

RedisClusterLink::RedisClusterLink(const RedisConnectionOptions &options, PubSub mode,
                                   SubscribeOn subscribeOn, QObject *parent)
    : RedisBusLink(parent)
    , m_mode(mode)
    , m_subscribeOn(subscribeOn)
    , m_cluster(new RedisClusterConnection(options, this))
{
    // A publish whose slot moved is handed back to the bus, which sends it again once its own
    // subscribers (and, after its replay delay, the other relays') listen on the new owner.
    m_cluster->setFollowMoves(false);
    connect(m_cluster, &RedisClusterConnection::stateChanged, this, &RedisBusLink::publisherStateChanged);
    if (m_mode == PubSub::Classic) {
        connect(m_cluster, &RedisClusterConnection::topologyChanged, this, [this] {
            if (!m_classic)
                placeClassicSubscriber();
        });
        return;
    }
    m_sharded = new RedisClusterSubscriber(m_cluster, this);
    m_sharded->setSubscribeOn(subscribeOn == SubscribeOn::Replica
                                  ? RedisClusterSubscriber::SubscribeOn::Replica
                                  : RedisClusterSubscriber::SubscribeOn::Primary);
    connect(m_sharded, &RedisClusterSubscriber::message, this, &RedisBusLink::message);
    connect(m_sharded, &RedisClusterSubscriber::subscribed, this, &RedisBusLink::subscribed);
    connect(m_sharded, &RedisClusterSubscriber::subscribeFailed, this, &RedisBusLink::subscribeFailed);
    connect(m_sharded, &RedisClusterSubscriber::resubscribed, this, &RedisBusLink::resubscribed);
    connect(m_sharded, &RedisClusterSubscriber::connectionChanged, this,
            &RedisBusLink::subscriberStateChanged);
    connect(m_sharded, &RedisClusterSubscriber::moved, this,
            [this](const QByteArray &channel, const QString &from, const QString &to, qint64 gapMs) {
                Q_EMIT channelGap(channel, gapMs, u"its slot moved from %1 to %2"_s.arg(from, to));
            });
}

void RedisClusterLink::open()
{
    m_open = true;
    m_cluster->open();
    if (m_sharded)
        m_sharded->open();
    else if (m_classic)
        m_classic->open();
}

void RedisClusterLink::close()
{
    m_open = false;
    if (m_sharded)
        m_sharded->close();
    if (m_classic)
        m_classic->close();
    m_cluster->close();
    Q_EMIT subscriberStateChanged();
}

bool RedisClusterLink::isPublisherReady() const
{
    return m_cluster->isReady();
}

bool RedisClusterLink::isPublisherClosed() const
{
    return m_cluster->state() == RedisConnection::State::Closed;
}

QString RedisClusterLink::publisherError() const
{
    return m_cluster->lastError();
}

void RedisClusterLink::publish(const QByteArray &channel, const QByteArray &payload, QObject *context,
                               ReplyCallback callback)
{
    m_cluster->command({m_mode == PubSub::Sharded ? "SPUBLISH"_ba : "PUBLISH"_ba, channel, payload}, context,
                       std::move(callback));
}

void RedisClusterLink::publishEverywhere(const QByteArray &channel, const QByteArray &payload,
                                         QObject *context, ReplyCallback callback)
{
    m_cluster->command({"PUBLISH"_ba, channel, payload}, context, std::move(callback));
}

QByteArray RedisClusterLink::publishCommand() const
{
    return m_mode == PubSub::Sharded ? "SPUBLISH"_ba : "PUBLISH"_ba;
}

void RedisClusterLink::keyCommand(const QByteArray &key, const QByteArrayList &args, QObject *context,
                                  ReplyCallback callback)
{
    m_cluster->commandForSlot(RedisClusterTopology::keySlot(key), args, context, std::move(callback));
}

void RedisClusterLink::flush()
{
    m_cluster->flush();
}

void RedisClusterLink::subscribe(const QByteArray &channel)
{
    if (m_sharded) {
        m_sharded->subscribe(channel);
        return;
    }
    if (m_classicRefs[channel]++ == 0 && m_classic)
        m_classic->subscribe(channel);
}

void RedisClusterLink::unsubscribe(const QByteArray &channel)
{
    if (m_sharded) {
        m_sharded->unsubscribe(channel);
        return;
    }
    auto it = m_classicRefs.find(channel);
    if (it == m_classicRefs.end() || --it.value() > 0)
        return;
    m_classicRefs.erase(it);
    if (m_classic)
        m_classic->unsubscribe(channel);
}

bool RedisClusterLink::isSubscribed(const QByteArray &channel) const
{
    if (m_sharded)
        return m_sharded->isSubscribed(channel);
    return m_classic && m_classic->connection()->isReady() && m_classic->isSubscribed(channel);
}

bool RedisClusterLink::isSubscriberReady() const
{
    if (m_sharded)
        return m_sharded->isConnected();
    return m_classic && m_classic->connection()->isReady();
}

bool RedisClusterLink::isSubscriberClosed() const
{
    return !m_open;
}

bool RedisClusterLink::isSubscriberSettled() const
{
    if (m_sharded)
        return m_sharded->isSettled();
    return m_classic && m_classic->isSettled();
}

QString RedisClusterLink::subscriberError() const
{
    if (m_sharded)
        return m_sharded->lastError();
    return m_classic ? m_classic->connection()->lastError() : m_cluster->lastError();
}

QString RedisClusterLink::description() const
{
    return u"Redis Cluster at %1 (%2 Pub/Sub, subscribed on %3)"_s.arg(
        m_cluster->options().url.toDisplayString(), m_mode == PubSub::Sharded ? u"sharded"_s : u"classic"_s,
        m_subscribeOn == SubscribeOn::Replica ? u"replicas"_s : u"primaries"_s);
}

QByteArrayList RedisClusterLink::probeChannels(const QByteArray &base) const
{
    if (m_mode == PubSub::Classic || base.contains('{'))
        return {base};
    QByteArrayList out;
    for (const RedisClusterTopology::Shard &shard : m_cluster->topology().shards()) {
        if (shard.slots.isEmpty())
            continue;
        const int slot = shard.slots.first().first;
        QByteArray &tag = m_slotTags[slot];
        for (int i = 0; tag.isEmpty() && i < 1000000; ++i) { // every slot is reached below 100,000
            if (RedisClusterTopology::keySlot(QByteArray::number(i)) == slot)
                tag = QByteArray::number(i);
        }
        if (!tag.isEmpty())
            out.append(base + '{' + tag + '}');
    }
    return out;
}

void RedisClusterLink::recoverSubscriber(const QByteArray &channel, const QString &why)
{
    if (m_sharded) {
        m_sharded->reconnectNodeOf(channel, why);
        return;
    }
    qCWarning(lcBus).noquote() << "classic subscriber on" << m_classicNode << "-" << why
                               << "- moving it to another node";
    placeClassicSubscriber();
}

void RedisClusterLink::placeClassicSubscriber()
{
    // Replicas first: every node of a Cluster hears every classic message, and a replica's
    // subscriber takes nothing from a primary's capacity.
    QList<RedisClusterTopology::Node> nodes;
    for (const RedisClusterTopology::Shard &shard : m_cluster->topology().shards()) {
        if (m_subscribeOn == SubscribeOn::Replica)
            nodes += shard.replicas;
    }
    for (const RedisClusterTopology::Shard &shard : m_cluster->topology().shards())
        nodes.append(shard.primary);
    const auto usable = [this](const RedisClusterTopology::Node &n) {
        return n.healthy && n.key() != m_classicNode;
    };
    const auto chosen = std::find_if(nodes.cbegin(), nodes.cend(), usable);
    if (chosen == nodes.cend())
        return; // wait for a topology with another node
    if (m_classic) {
        m_classic->disconnect(this);
        m_classic->connection()->disconnect(this);
        m_classic->close();
        m_classic->deleteLater();
    }
    RedisConnectionOptions o = m_cluster->options();
    o.url = o.url.atNode(chosen->host, chosen->port);
    m_classicNode = chosen->key();
    m_classic = new RedisSubscriber(o, this);
    connect(m_classic, &RedisSubscriber::message, this, &RedisBusLink::message);
    connect(m_classic, &RedisSubscriber::subscribed, this, &RedisBusLink::subscribed);
    connect(m_classic, &RedisSubscriber::subscribeFailed, this,
            [this](const QByteArray &channel, const QByteArray &e) {
                m_classicRefs.remove(channel);
                Q_EMIT subscribeFailed(channel, e);
            });
    connect(m_classic, &RedisSubscriber::resubscribed, this, &RedisBusLink::resubscribed);
    connect(m_classic->connection(), &RedisConnection::stateChanged, this,
            [this](RedisConnection::State state) {
                Q_EMIT subscriberStateChanged();
                // Lost its node: any other node of the Cluster hears every classic message too.
                if (state == RedisConnection::State::Reconnecting && m_open) {
                    m_cluster->refreshTopology();
                    placeClassicSubscriber();
                }
            });
    for (auto it = m_classicRefs.cbegin(); it != m_classicRefs.cend(); ++it)
        m_classic->subscribe(it.key());
    if (m_open)
        m_classic->open();
    Q_EMIT subscriberStateChanged();
}
