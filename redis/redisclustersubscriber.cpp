// SPDX-License-Identifier: MIT
#include "redisclustersubscriber.h"

#include "redislogging.h"

#include <algorithm>

using namespace Qt::StringLiterals;

RedisClusterSubscriber::RedisClusterSubscriber(RedisClusterConnection *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
{
    connect(cluster, &RedisClusterConnection::topologyChanged, this, &RedisClusterSubscriber::reroute);
    connect(cluster, &RedisClusterConnection::stateChanged, this, &RedisClusterSubscriber::connectionChanged);
}

void RedisClusterSubscriber::open()
{
    m_open = true;
    for (const Node &node : std::as_const(m_nodes))
        node.subscriber->open();
    reroute();
}

void RedisClusterSubscriber::close()
{
    m_open = false;
    for (const Node &node : std::as_const(m_nodes))
        node.subscriber->close();
}

void RedisClusterSubscriber::subscribe(const QByteArray &channel)
{
    if (m_refs[channel]++ > 0)
        return;
    m_wasSettled = false;
    route(channel);
}

void RedisClusterSubscriber::unsubscribe(const QByteArray &channel)
{
    auto it = m_refs.find(channel);
    if (it == m_refs.end() || --it.value() > 0)
        return;
    m_refs.erase(it);
    detach(channel);
    m_unrouted.remove(channel);
    m_movingSince.remove(channel);
    m_movingFrom.remove(channel);
    checkSettled();
}

bool RedisClusterSubscriber::isSubscribed(const QByteArray &channel) const
{
    const QString key = m_route.value(channel);
    const auto node = m_nodes.constFind(key);
    return !key.isEmpty() && node != m_nodes.cend() && node->subscriber->isSubscribed(channel) &&
           node->subscriber->connection()->isReady();
}

void RedisClusterSubscriber::reconnectNodeOf(const QByteArray &channel, const QString &reason)
{
    const auto node = m_nodes.constFind(m_route.value(channel));
    if (node != m_nodes.cend())
        node->subscriber->connection()->reconnect(reason);
}

bool RedisClusterSubscriber::isConnected() const
{
    if (!m_open || !m_cluster || !m_cluster->isReady())
        return false;
    return std::all_of(m_nodes.cbegin(), m_nodes.cend(), [](const Node &node) {
        return node.subscriber->connection()->isReady() || !node.wasReady;
    });
}

QString RedisClusterSubscriber::lastError() const
{
    for (const Node &node : std::as_const(m_nodes)) {
        if (!node.subscriber->connection()->isReady() &&
            !node.subscriber->connection()->lastError().isEmpty())
            return u"%1:%2: "_s.arg(node.host).arg(node.port) + node.subscriber->connection()->lastError();
    }
    return m_cluster ? m_cluster->lastError() : QString();
}

bool RedisClusterSubscriber::isSettled() const
{
    if (!isConnected())
        return false;
    if (!m_unrouted.isEmpty())
        return false;
    for (auto it = m_refs.cbegin(); it != m_refs.cend(); ++it) {
        if (!isSubscribed(it.key()))
            return false;
    }
    return true;
}

const RedisClusterTopology::Node *RedisClusterSubscriber::servingNode(const QByteArray &channel) const
{
    if (!m_cluster || !m_cluster->isReady())
        return nullptr;
    const int slot = RedisClusterTopology::keySlot(channel);
    const RedisClusterTopology::Shard *shard = m_cluster->topology().shardForSlot(slot);
    if (!shard)
        return nullptr;
    if (m_on == SubscribeOn::Replica) {
        QList<const RedisClusterTopology::Node *> healthy;
        for (const RedisClusterTopology::Node &replica : shard->replicas) {
            if (replica.healthy)
                healthy.append(&replica);
        }
        if (!healthy.isEmpty())
            return healthy[slot % healthy.size()];
    }
    return &shard->primary;
}

// Asks the node that serves channel's slot for it (or waits for a topology that names one).
void RedisClusterSubscriber::route(const QByteArray &channel)
{
    const RedisClusterTopology::Node *node = servingNode(channel);
    if (!node) {
        m_unrouted.insert(channel);
        return;
    }
    m_unrouted.remove(channel);
    RedisSubscriber *s = subscriberFor(node->host, node->port);
    m_route.insert(channel, node->key());
    s->subscribe(channel);
}

// The channel's node no longer serves it: unsubscribed there if it still has it.
void RedisClusterSubscriber::detach(const QByteArray &channel)
{
    const QString key = m_route.take(channel);
    const auto node = m_nodes.constFind(key);
    if (node != m_nodes.cend() && node->subscriber->channelRefCount(channel) > 0)
        node->subscriber->unsubscribe(channel);
}

void RedisClusterSubscriber::reroute()
{
    if (!m_cluster || !m_cluster->isReady())
        return;
    for (auto it = m_refs.cbegin(); it != m_refs.cend(); ++it) {
        const QByteArray &channel = it.key();
        const RedisClusterTopology::Node *node = servingNode(channel);
        const QString owner = node ? node->key() : QString();
        const QString now = m_route.value(channel);
        if (!m_unrouted.contains(channel) && owner == now)
            continue;
        if (!now.isEmpty() && !m_movingSince.contains(channel)) {
            m_movingSince[channel].start();
            m_movingFrom.insert(channel, now);
        }
        detach(channel);
        route(channel);
    }
    dropUnused();
    checkSettled();
}

RedisSubscriber *RedisClusterSubscriber::subscriberFor(const QString &host, quint16 port)
{
    const QString key = RedisClusterTopology::nodeKey(host, port);
    if (const auto it = m_nodes.constFind(key); it != m_nodes.cend())
        return it->subscriber;
    RedisConnectionOptions o = m_cluster->options();
    o.url = o.url.atNode(host, port);
    auto *s = new RedisSubscriber(o, RedisSubscriber::Kind::Sharded, this);
    m_nodes.insert(key, Node{s, host, port});
    connect(s, &RedisSubscriber::message, this, [this](const QByteArray &channel, const QByteArray &payload) {
        ++m_messages;
        Q_EMIT message(channel, payload);
    });
    connect(s, &RedisSubscriber::subscribed, this, &RedisClusterSubscriber::onConfirmed);
    connect(s, &RedisSubscriber::subscriptionLost, this, &RedisClusterSubscriber::onLost);
    connect(s, &RedisSubscriber::subscribeFailed, this, &RedisClusterSubscriber::onRefused);
    connect(s, &RedisSubscriber::resubscribed, this, &RedisClusterSubscriber::checkSettled);
    connect(s->connection(), &RedisConnection::stateChanged, this,
            [this, host, port](RedisConnection::State state) {
                if (state == RedisConnection::State::Ready)
                    m_nodes[RedisClusterTopology::nodeKey(host, port)].wasReady = true;
                Q_EMIT connectionChanged();
                if (state == RedisConnection::State::Ready || !m_open || !m_cluster)
                    return;
                // The node may be gone: the cluster connection watches it until a replica takes over.
                m_cluster->nodeConnection(host, port);
                m_cluster->refreshTopology();
                m_wasSettled = false;
            });
    if (m_open)
        s->open();
    return s;
}

void RedisClusterSubscriber::onConfirmed(const QByteArray &channel)
{
    auto *from = qobject_cast<RedisSubscriber *>(sender());
    const auto route = m_nodes.constFind(m_route.value(channel));
    if (route == m_nodes.cend() || route->subscriber != from)
        return; // a late confirmation from the node it left
    if (auto moving = m_movingSince.find(channel); moving != m_movingSince.end()) {
        const qint64 gap = moving->elapsed();
        const QString previous = m_movingFrom.take(channel);
        m_movingSince.erase(moving);
        ++m_moves;
        qCInfo(lcRedis).noquote() << "sharded channel" << QString::fromUtf8(channel) << "moved from"
                                  << previous << "to" << m_route.value(channel) << "- not listened to for"
                                  << gap << "ms";
        Q_EMIT moved(channel, previous, m_route.value(channel), gap);
    }
    Q_EMIT subscribed(channel);
    checkSettled();
}

// An unasked sunsubscribe: the slot moved away from that node.
void RedisClusterSubscriber::onLost(const QByteArray &channel)
{
    if (!m_refs.contains(channel))
        return;
    if (!m_movingSince.contains(channel)) {
        m_movingSince[channel].start();
        m_movingFrom.insert(channel, m_route.value(channel));
    }
    m_route.remove(channel);
    m_unrouted.insert(channel);
    m_wasSettled = false;
    if (m_cluster)
        m_cluster->refreshTopology();
}

void RedisClusterSubscriber::onRefused(const QByteArray &channel, const QByteArray &error)
{
    if (!m_refs.contains(channel))
        return;
    if (error.startsWith("MOVED ") || error.startsWith("ASK ") || error.startsWith("CLUSTERDOWN") ||
        error.startsWith("TRYAGAIN")) {
        onLost(channel); // asked the wrong node: the topology is read again, then the owner
        return;
    }
    m_refs.remove(channel);
    m_route.remove(channel);
    m_unrouted.remove(channel);
    Q_EMIT subscribeFailed(channel, error);
    checkSettled();
}

// Subscribers of nodes that serve none of our channels any more.
void RedisClusterSubscriber::dropUnused()
{
    QSet<QString> used;
    for (const QString &key : std::as_const(m_route))
        used.insert(key);
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (used.contains(it.key())) {
            ++it;
            continue;
        }
        it->subscriber->disconnect(this);
        it->subscriber->connection()->disconnect(this);
        it->subscriber->close();
        it->subscriber->deleteLater();
        it = m_nodes.erase(it);
        Q_EMIT connectionChanged();
    }
}

void RedisClusterSubscriber::checkSettled()
{
    const bool settled = isSettled();
    if (settled && !m_wasSettled) {
        m_wasSettled = true;
        Q_EMIT resubscribed();
    } else if (!settled) {
        m_wasSettled = false;
    }
}
