// SPDX-License-Identifier: MIT
// SubscriberProbe through RedisBus on real servers: on one redis-server, on every shard of a
// sharded Cluster, and on a classic Cluster whose subscriber's node is cut off from the Cluster
// bus (every other node FORGETs it): the node still answers PING, its subscriber hears nothing,
// and the probe moves the subscriber to another node.
#include "redisbus.h"
#include "redisclusterlink.h"
#include "redisclustertopology.h"
#include "redisserver.h"
#include "testcluster.h"

#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_SubscriberProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answersOnOneServer();
    void probesEveryShard();
    void deafClassicSubscriberMovesToAnotherNode();
    void deafSubscriberOnOneServerIsMadeAgain();

private:
    static RedisConnectionOptions optionsFor(const QString &url, const QString &name);
    static RedisBusOptions probing(const QByteArray &channel, RedisBusOptions::ClusterPubSub mode);
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_SubscriberProbe::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>(3, 1);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

RedisConnectionOptions tst_SubscriberProbe::optionsFor(const QString &url, const QString &name)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(url);
    o.clientName = name;
    o.reconnectInitialDelay = 50ms;
    o.reconnectMaxDelay = 200ms;
    return o;
}

RedisBusOptions tst_SubscriberProbe::probing(const QByteArray &channel, RedisBusOptions::ClusterPubSub mode)
{
    RedisBusOptions b;
    b.clusterPubSub = mode;
    b.replayDelay = 0ms;
    b.probe.channel = channel;
    b.probe.interval = 150ms;
    b.probe.timeout = 800ms;
    return b;
}

// The probe comes back, and neither its messages nor its subscription reach the bus's users.
void tst_SubscriberProbe::answersOnOneServer()
{
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    RedisBus bus(optionsFor(redis.url(), u"probe-one"_s),
                 probing("switchboard:probe:one", RedisBusOptions::ClusterPubSub::Sharded));
    QSignalSpy messages(&bus, &MessageBus::message);
    QSignalSpy subscribed(&bus, &MessageBus::subscribed);
    bus.start();
    bus.subscribe("room:a");
    QVERIFY(bus.probe());
    QTRY_VERIFY_WITH_TIMEOUT(bus.probe()->lastRoundTripMs() >= 0, 5000);
    QTRY_VERIFY(bus.probe()->msSinceAllAnswered() >= 0);
    QCOMPARE(redis.command({"PUBSUB", "NUMSUB", "switchboard:probe:one"}).elements()[1].toInteger(), 1);
    QCOMPARE(redis.command({"PUBLISH", "room:a", "hello"}).toInteger(), 1);
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.first().at(0).toByteArray(), "room:a"_ba);
    QCOMPARE(subscribed.count(), 1);
    QCOMPARE(subscribed.first().at(0).toByteArray(), "room:a"_ba);
    QCOMPARE(bus.stats().deafSubscribers, 0u);
    QCOMPARE(bus.stats().subscriberGaps, 0u);
}

// Sharded: one probe channel per shard, each hashing to its shard, each answered.
void tst_SubscriberProbe::probesEveryShard()
{
    RedisBus bus(optionsFor(m_cluster->url(), u"probe-sharded"_s),
                 probing("switchboard:probe:sharded", RedisBusOptions::ClusterPubSub::Sharded));
    bus.start();
    QTRY_VERIFY_WITH_TIMEOUT(bus.isConnected(), 10000);
    const QByteArrayList channels = bus.link()->probeChannels("switchboard:probe:sharded");
    QCOMPARE(channels.size(), 3);
    QSet<quint16> owners;
    for (const QByteArray &channel : channels) {
        QVERIFY(channel.startsWith("switchboard:probe:sharded{"));
        RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
        QVERIFY(owner);
        owners.insert(owner->port());
    }
    QCOMPARE(owners.size(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(bus.probe()->msSinceAllAnswered() >= 0, 10000);
    for (const QByteArray &channel : channels) {
        RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
        QCOMPARE(owner->command({"PUBSUB", "SHARDNUMSUB", channel}).elements()[1].toInteger(), 1);
    }
    QCOMPARE(bus.stats().deafSubscribers, 0u);
}

void tst_SubscriberProbe::deafClassicSubscriberMovesToAnotherNode()
{
    RedisBus bus(optionsFor(m_cluster->url(), u"probe-classic"_s),
                 probing("switchboard:probe:classic", RedisBusOptions::ClusterPubSub::Classic));
    RedisBusOptions classic;
    classic.clusterPubSub = RedisBusOptions::ClusterPubSub::Classic;
    RedisBus other(optionsFor(m_cluster->url(), u"probe-other"_s), classic);
    QSignalSpy messages(&bus, &MessageBus::message);
    QSignalSpy gaps(&bus, &RedisBus::subscriberGap);
    bus.start();
    other.start();
    bus.subscribe("room:deaf");
    auto *link = qobject_cast<RedisClusterLink *>(bus.link());
    QVERIFY(link);
    QTRY_VERIFY_WITH_TIMEOUT(bus.isConnected() && other.isConnected() && bus.isSubscribed("room:deaf"),
                             10000);
    QTRY_VERIFY_WITH_TIMEOUT(bus.probe()->msSinceAllAnswered() >= 0, 10000);
    const QString before = link->classicNode();
    RedisServer *deaf = m_cluster->node(quint16(before.section(u':', -1).toUInt()));
    QVERIFY(deaf);
    QCOMPARE(deaf->command({"ROLE"}).elements().front().bytes(), "slave"_ba); // replicas are preferred

    const QByteArray id = m_cluster->nodeId(deaf);
    for (RedisServer *node : m_cluster->nodes()) {
        if (node != deaf)
            QCOMPARE(node->command({"CLUSTER", "FORGET", id}).bytes(), "OK"_ba);
    }
    // Cut off, yet alive: it answers, and a classic publish elsewhere no longer reaches it.
    QCOMPARE(deaf->command({"PING"}).bytes(), "PONG"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(bus.stats().deafSubscribers >= 1, 10000);
    QVERIFY(!gaps.isEmpty());
    QVERIFY2(gaps.first().at(1).toString().contains(u"no probe came back"_s),
             qPrintable(gaps.first().at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!link->classicNode().isEmpty() && link->classicNode() != before, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bus.isConnected() && bus.isSubscribed("room:deaf"), 10000);

    // Heard again: another instance's message arrives.
    const quint64 deafBefore = bus.stats().deafSubscribers;
    other.publish("room:deaf", "after the move");
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 10000);
    QCOMPARE(messages.last().at(1).toByteArray(), "after the move"_ba);
    QCOMPARE(bus.stats().deafSubscribers, deafBefore);
}

namespace {
// A TCP proxy to one redis-server that can stop passing what the server sends to the connection
// that subscribed: that connection stays open and its commands still reach Redis, it just hears
// nothing, as a subscriber on a node that was demoted or cut off.
class DeafeningProxy : public QObject
{
public:
    explicit DeafeningProxy(quint16 redisPort)
        : m_redisPort(redisPort)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                auto *upstream = new QTcpSocket(client);
                upstream->connectToHost(QHostAddress::LocalHost, m_redisPort);
                connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
                    const QByteArray bytes = client->readAll();
                    if (bytes.contains("SUBSCRIBE"))
                        m_subscribers.insert(client);
                    upstream->write(bytes);
                });
                connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream] {
                    const QByteArray bytes = upstream->readAll();
                    if (!m_deaf.contains(client))
                        client->write(bytes);
                });
                connect(client, &QTcpSocket::disconnected, this, [this, client] {
                    m_subscribers.remove(client);
                    m_deaf.remove(client);
                    client->deleteLater();
                });
            }
        });
    }
    ~DeafeningProxy() override
    {
        // The sockets die with the server; none may call back into this half-destroyed proxy.
        for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>())
            socket->disconnect();
    }
    QString url() const { return u"redis://127.0.0.1:%1"_s.arg(m_server.serverPort()); }
    // From now on the subscribing connections hear nothing.
    void deafen() { m_deaf = m_subscribers; }
    int deafened() const { return int(m_deaf.size()); }

private:
    quint16 m_redisPort;
    QTcpServer m_server;
    QSet<QTcpSocket *> m_subscribers;
    QSet<QTcpSocket *> m_deaf;
};
} // namespace

// One server (as behind Sentinel: RedisServerLink): the subscriber's connection stays open but
// hears nothing; with the PING heartbeat off, only the probe can tell. It drops that connection
// and makes it again, and the next message arrives.
void tst_SubscriberProbe::deafSubscriberOnOneServerIsMadeAgain()
{
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    DeafeningProxy proxy(redis.port());
    RedisConnectionOptions o = optionsFor(proxy.url(), u"probe-deaf"_s);
    o.heartbeat.interval = 0ms;
    RedisBus bus(o, probing("switchboard:probe:deaf", RedisBusOptions::ClusterPubSub::Sharded));
    QSignalSpy messages(&bus, &MessageBus::message);
    QSignalSpy gaps(&bus, &RedisBus::subscriberGap);
    bus.start();
    bus.subscribe("room:deaf");
    QTRY_VERIFY_WITH_TIMEOUT(bus.isConnected() && bus.isSubscribed("room:deaf"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bus.probe()->msSinceAllAnswered() >= 0, 10000);
    proxy.deafen();
    QCOMPARE(proxy.deafened(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(bus.stats().deafSubscribers >= 1, 10000);
    QVERIFY(!gaps.isEmpty());
    QVERIFY2(gaps.first().at(1).toString().contains(u"no probe came back"_s),
             qPrintable(gaps.first().at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(bus.isConnected() && bus.isSubscribed("room:deaf"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(redis.command({"PUBLISH", "room:deaf", "heard again"}).toInteger(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 10000);
    QCOMPARE(messages.last().at(1).toByteArray(), "heard again"_ba);
}

QTEST_MAIN(tst_SubscriberProbe)
#include "tst_subscriberprobe.moc"
