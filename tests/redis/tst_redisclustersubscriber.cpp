// SPDX-License-Identifier: MIT
// RedisClusterSubscriber on a real Redis Cluster (3 primaries, 3 replicas; one per binary):
// channels spread over the shards, and followed through a resharding and a failover.
#include "redisclusterconnection.h"
#include "redisclustersubscriber.h"
#include "redissubscriber.h"
#include "testcluster.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RedisClusterSubscriber : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void spreadsOverTheShards();
    void unsubscribeLeavesTheNode();
    void followsAResharding();
    void lossWhileUnsubscribing();
    void followsAFailover();
    void subscribesOnReplicas();

private:
    qint64 shardNumsub(const QByteArray &channel) const;
    // SPUBLISH through the cluster connection; the number of receivers Redis reports.
    qint64 spublish(const QByteArray &channel, const QByteArray &payload);

    std::unique_ptr<TestCluster> m_cluster;
    RedisClusterConnection *m_connection = nullptr;
    RedisClusterSubscriber *m_subscriber = nullptr;
    QList<std::pair<QByteArray, QByteArray>> m_received;
};

void tst_RedisClusterSubscriber::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_RedisClusterSubscriber::init()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->url());
    o.clientName = u"cluster-subscriber-test"_s;
    o.connectTimeout = 2000ms;
    o.reconnectMaxDelay = 200ms;
    m_connection = new RedisClusterConnection(o);
    m_subscriber = new RedisClusterSubscriber(m_connection);
    m_received.clear();
    connect(m_subscriber, &RedisClusterSubscriber::message, this,
            [this](const QByteArray &c, const QByteArray &p) { m_received.append({c, p}); });
    m_connection->open();
    m_subscriber->open();
    QTRY_VERIFY(m_connection->isReady());
}

void tst_RedisClusterSubscriber::cleanup()
{
    delete m_subscriber;
    delete m_connection;
    m_subscriber = nullptr;
    m_connection = nullptr;
}

qint64 tst_RedisClusterSubscriber::shardNumsub(const QByteArray &channel) const
{
    const RedisValue r =
        m_cluster->commandFor(channel, {"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel});
    return r.elements().size() == 2 ? r.elements()[1].toInteger() : -1;
}

qint64 tst_RedisClusterSubscriber::spublish(const QByteArray &channel, const QByteArray &payload)
{
    std::optional<RedisValue> reply;
    m_connection->command({"SPUBLISH"_ba, channel, payload}, this, [&reply](const RedisValue &r) { reply = r; });
    if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, 10000))
        return -1;
    return reply->isInteger() ? reply->toInteger() : -2;
}

void tst_RedisClusterSubscriber::spreadsOverTheShards()
{
    QSignalSpy settled(m_subscriber, &RedisClusterSubscriber::resubscribed);
    QSet<QString> nodes;
    for (int i = 0; i < 30; ++i)
        m_subscriber->subscribe("room:spread:" + QByteArray::number(i));
    QVERIFY(settled.wait(10000));
    QVERIFY(m_subscriber->isSettled());
    for (int i = 0; i < 30; ++i) {
        const QByteArray channel = "room:spread:" + QByteArray::number(i);
        QVERIFY(m_subscriber->isSubscribed(channel));
        nodes.insert(m_subscriber->nodeOf(channel));
        QCOMPARE(m_subscriber->nodeOf(channel),
                 u"127.0.0.1:%1"_s.arg(m_cluster->primaryOf(RedisClusterTopology::keySlot(channel))->port()));
        QCOMPARE(shardNumsub(channel), 1);
    }
    QCOMPARE(nodes.size(), 3); // 30 channels hash to every shard
    // One SSUBSCRIBE per slot: a command naming channels of several slots is refused whole
    // (CROSSSLOT) and would only succeed when retried name by name.
    for (RedisServer *node : m_cluster->nodes())
        QVERIFY(!node->command({"INFO"_ba, "errorstats"_ba}).bytes().contains("errorstat_CROSSSLOT"));
    for (int i = 0; i < 30; ++i)
        QCOMPARE(spublish("room:spread:" + QByteArray::number(i), QByteArray::number(i)), 1);
    QTRY_COMPARE(m_received.size(), 30);
    for (int i = 0; i < 30; ++i)
        QCOMPARE(m_received.count({"room:spread:" + QByteArray::number(i), QByteArray::number(i)}), 1);
}

void tst_RedisClusterSubscriber::unsubscribeLeavesTheNode()
{
    const QByteArray channel = "room:leave";
    m_subscriber->subscribe(channel);
    m_subscriber->subscribe(channel);
    QTRY_VERIFY(m_subscriber->isSubscribed(channel));
    m_subscriber->unsubscribe(channel);
    QCOMPARE(shardNumsub(channel), 1); // still one reference
    m_subscriber->unsubscribe(channel);
    QTRY_COMPARE(shardNumsub(channel), 0);
    QVERIFY(!m_subscriber->isSubscribed(channel));
}

// The channel's slot moves to another primary (redis-cli --cluster reshard's steps). The old
// owner drops the subscription (an unasked sunsubscribe); the subscriber follows to the new one.
void tst_RedisClusterSubscriber::followsAResharding()
{
    const QByteArray channel = "room:reshard";
    const int slot = RedisClusterTopology::keySlot(channel);
    m_subscriber->subscribe(channel);
    m_subscriber->subscribe("room:stays"); // another channel, on its own slot
    QTRY_VERIFY(m_subscriber->isSettled());
    RedisServer *from = m_cluster->primaryOf(slot);
    RedisServer *to = nullptr;
    for (RedisServer *p : m_cluster->primaries()) {
        if (p != from)
            to = p;
    }
    QSignalSpy moved(m_subscriber, &RedisClusterSubscriber::moved);
    QVERIFY(m_cluster->moveSlot(slot, to));
    QVERIFY(moved.wait(15000));
    QCOMPARE(moved.first().at(0).toByteArray(), channel);
    QCOMPARE(moved.first().at(1).toString(), u"127.0.0.1:%1"_s.arg(from->port()));
    QCOMPARE(moved.first().at(2).toString(), u"127.0.0.1:%1"_s.arg(to->port()));
    QTRY_VERIFY(m_subscriber->isSettled());
    QCOMPARE(to->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel}).elements()[1].toInteger(), 1);
    QCOMPARE(spublish(channel, "after the move"_ba), 1);
    QTRY_COMPARE(m_received.count({channel, "after the move"_ba}), 1);
    QCOMPARE(m_subscriber->moves(), 1u);
    QVERIFY(m_subscriber->isSubscribed("room:stays"));
}

// The node drops Y on its own (Y's slot moved) while an SUNSUBSCRIBE of X waits for its answer:
// Y's sunsubscribe comes first and is not that answer. A sharded RedisSubscriber on the node
// itself (no topology refresh to mend it): Y is reported lost and X unsubscribed (before, Y's
// sunsubscribe was taken as X's answer and Y's loss went unnoticed).
void tst_RedisClusterSubscriber::lossWhileUnsubscribing()
{
    const QByteArray x = "room:unsub-x";
    RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(x));
    QByteArray y;
    for (int i = 0; y.isEmpty(); ++i) {
        const QByteArray c = "room:lost-y:" + QByteArray::number(i);
        if (RedisClusterTopology::keySlot(c) != RedisClusterTopology::keySlot(x) &&
            m_cluster->primaryOf(RedisClusterTopology::keySlot(c)) == owner)
            y = c;
    }
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(u"redis://127.0.0.1:%1"_s.arg(owner->port()));
    RedisSubscriber node(o, RedisSubscriber::Kind::Sharded);
    node.open();
    node.subscribe(x);
    node.subscribe(y);
    QTRY_VERIFY(node.isSubscribed(x) && node.isSubscribed(y));
    RedisServer *target = nullptr;
    for (RedisServer *p : m_cluster->primaries()) {
        if (p != owner)
            target = p;
    }
    // Y's slot goes to target in blocking commands: the event loop does not run, so the node's
    // sunsubscribe of Y waits unread in our socket when X's SUNSUBSCRIBE goes out.
    const int ySlot = RedisClusterTopology::keySlot(y);
    const QByteArray slot = QByteArray::number(ySlot);
    const QByteArray targetId = m_cluster->nodeId(target);
    QVERIFY(m_cluster->beginMigration(ySlot, target));
    QCOMPARE(target->command({"CLUSTER"_ba, "SETSLOT"_ba, slot, "NODE"_ba, targetId}).bytes(), "OK"_ba);
    QCOMPARE(owner->command({"CLUSTER"_ba, "SETSLOT"_ba, slot, "NODE"_ba, targetId}).bytes(), "OK"_ba);
    QSignalSpy lost(&node, &RedisSubscriber::subscriptionLost);
    QSignalSpy unsubscribed(&node, &RedisSubscriber::unsubscribed);
    node.unsubscribe(x);
    // The subscriber sends its changes from a queued call: run it, and nothing else, so the
    // SUNSUBSCRIBE is on its way before the socket is read.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall);
    QVERIFY(lost.wait(5000));
    QCOMPARE(lost.first().at(0).toByteArray(), y);
    QTRY_COMPARE(unsubscribed.count(), 1);
    QCOMPARE(unsubscribed.first().at(0).toByteArray(), x);
    QVERIFY(!node.isSubscribed(y));
    QCOMPARE(shardNumsub(x), 0);
    for (RedisServer *p : m_cluster->primaries()) { // the rest of redis-cli's steps
        if (p != target && p != owner)
            QCOMPARE(p->command({"CLUSTER"_ba, "SETSLOT"_ba, slot, "NODE"_ba, targetId}).bytes(), "OK"_ba);
    }
    QVERIFY(m_cluster->waitUntilHealthy(30000));
}

// The channel's primary dies; after cluster-node-timeout (1 s) its replica takes over and the
// subscriber moves there. Bounds for two loaded cores: 30 s.
void tst_RedisClusterSubscriber::followsAFailover()
{
    const QByteArray channel = "room:failover";
    const int slot = RedisClusterTopology::keySlot(channel);
    m_subscriber->subscribe(channel);
    QTRY_VERIFY(m_subscriber->isSettled());
    RedisServer *old = m_cluster->primaryOf(slot);
    QSignalSpy moved(m_subscriber, &RedisClusterSubscriber::moved);
    QSignalSpy settled(m_subscriber, &RedisClusterSubscriber::resubscribed);
    QVERIFY(m_cluster->failPrimaryOf(slot));
    QVERIFY(moved.count() > 0 || moved.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_subscriber->isSettled(), 30000);
    RedisServer *promoted = m_cluster->primaryOf(slot);
    QVERIFY(promoted && promoted != old);
    QCOMPARE(m_subscriber->nodeOf(channel), u"127.0.0.1:%1"_s.arg(promoted->port()));
    QCOMPARE(spublish(channel, "after the failover"_ba), 1);
    QTRY_COMPARE(m_received.count({channel, "after the failover"_ba}), 1);
    QVERIFY(settled.count() >= 1);
    QVERIFY(old->start());
    QVERIFY(m_cluster->waitUntilHealthy(30000));
}

// SubscribeOn::Replica: each channel on a replica of its shard (which hears every SPUBLISH of
// the shard; the primary counts no subscriber of its own); when that replica dies, the channel
// moves to a node of the shard that is left.
void tst_RedisClusterSubscriber::subscribesOnReplicas()
{
    QVERIFY(m_cluster->waitUntilHealthy(30000, true));
    m_subscriber->setSubscribeOn(RedisClusterSubscriber::SubscribeOn::Replica);
    QByteArrayList channels;
    for (int i = 0; i < 30; ++i)
        channels.append("room:replica:" + QByteArray::number(i));
    for (const QByteArray &channel : channels)
        m_subscriber->subscribe(channel);
    QTRY_VERIFY_WITH_TIMEOUT(m_subscriber->isSettled(), 10000);
    QSet<QString> replicas;
    for (const QByteArray &channel : channels) {
        const QString node = m_subscriber->nodeOf(channel);
        RedisServer *server = m_cluster->node(quint16(node.section(u':', -1).toUInt()));
        QVERIFY2(server, qPrintable(node));
        QCOMPARE(server->command({"ROLE"_ba}).elements().front().bytes(), "slave"_ba);
        RedisServer *primary = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
        QCOMPARE(server->command({"ROLE"_ba}).elements()[2].toInteger(), qint64(primary->port()));
        QCOMPARE(server->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel}).elements()[1].toInteger(), 1);
        QCOMPARE(shardNumsub(channel), 0); // the primary's own count
        replicas.insert(node);
    }
    QCOMPARE(replicas.size(), 3);
    for (const QByteArray &channel : channels)
        QCOMPARE(spublish(channel, "via the replica"_ba), 0);
    QTRY_COMPARE(m_received.size(), 30);

    const QByteArray channel = channels.first();
    RedisServer *replica = m_cluster->node(quint16(m_subscriber->nodeOf(channel).section(u':', -1).toUInt()));
    RedisServer *primary = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
    QSignalSpy moved(m_subscriber, &RedisClusterSubscriber::moved);
    replica->stop();
    QVERIFY(moved.count() > 0 || moved.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_subscriber->isSettled(), 30000);
    QCOMPARE(m_subscriber->nodeOf(channel), u"127.0.0.1:%1"_s.arg(primary->port()));
    QCOMPARE(spublish(channel, "after the replica"_ba), 1);
    QTRY_COMPARE(m_received.count({channel, "after the replica"_ba}), 1);
}

QTEST_MAIN(tst_RedisClusterSubscriber)
#include "tst_redisclustersubscriber.moc"
