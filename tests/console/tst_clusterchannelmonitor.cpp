// SPDX-License-Identifier: MIT
// ClusterChannelMonitor on a real Redis Cluster (3 primaries + 3 replicas, one per binary): classic
// channels of every node with their NUMSUB summed, sharded channels with their shard, NUMPAT summed,
// every node's pub/sub clients.
#include "clusterchannelmonitor.h"
#include "redisclusterconnection.h"
#include "redisclustersubscriber.h"
#include "redissubscriber.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(PubSubSnapshot)

class tst_ClusterChannelMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void classicCountsAreSummedOverTheNodes();
    void shardedChannelsNameTheirShard();
    void patternsAndClientsOfEveryNode();
    void unreachableNodeIsLeftOut();
    void largeClusterIsAskedLessOften();
    void nodesThatKeepAnsweringAreWaitedFor();

private:
    // A classic subscriber connected to node (SUBSCRIBE / PSUBSCRIBE there only).
    RedisSubscriber *subscriberOn(RedisServer *node);
    // Rounds until pred holds for a snapshot; the last one.
    PubSubSnapshot waitFor(const std::function<bool(const PubSubSnapshot &)> &pred);
    static const PubSubSnapshot::Channel *find(const PubSubSnapshot &s, const QByteArray &name);

    std::unique_ptr<TestCluster> m_cluster;
    RedisClusterConnection *m_connection = nullptr;
    ClusterChannelMonitor *m_monitor = nullptr;
    QList<QObject *> m_owned;
};

void tst_ClusterChannelMonitor::initTestCase()
{
    qRegisterMetaType<PubSubSnapshot>();
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_ClusterChannelMonitor::init()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->singleSeedUrl());
    o.clientName = u"cluster-monitor-test"_s;
    o.connectTimeout = 2000ms;
    o.reconnectMaxDelay = 200ms;
    m_connection = new RedisClusterConnection(o);
    m_monitor = new ClusterChannelMonitor(m_connection);
    m_monitor->setNodeTimeout(1500ms);
    m_connection->open();
    QTRY_VERIFY(m_connection->isReady());
}

void tst_ClusterChannelMonitor::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
    delete m_monitor;
    delete m_connection;
    m_monitor = nullptr;
    m_connection = nullptr;
}

RedisSubscriber *tst_ClusterChannelMonitor::subscriberOn(RedisServer *node)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(node->url());
    o.clientName = u"classic-subscriber"_s;
    auto *s = new RedisSubscriber(o);
    m_owned.append(s);
    s->open();
    return s;
}

PubSubSnapshot tst_ClusterChannelMonitor::waitFor(const std::function<bool(const PubSubSnapshot &)> &pred)
{
    PubSubSnapshot last;
    QSignalSpy spy(m_monitor, &ClusterChannelMonitor::snapshotReady);
    for (int i = 0; i < 40; ++i) {
        spy.clear();
        m_monitor->refresh();
        if (!spy.wait(5000))
            continue;
        last = spy.last().first().value<PubSubSnapshot>();
        if (pred(last))
            return last;
        QTest::qWait(50);
    }
    return last;
}

const PubSubSnapshot::Channel *tst_ClusterChannelMonitor::find(const PubSubSnapshot &s, const QByteArray &name)
{
    for (const auto &c : s.channels)
        if (c.name == name)
            return &c;
    return nullptr;
}

void tst_ClusterChannelMonitor::classicCountsAreSummedOverTheNodes()
{
    const QList<RedisServer *> primaries = m_cluster->primaries();
    QCOMPARE(primaries.size(), 3);
    // news: one subscriber on each primary and one on a replica; each node counts only its own.
    const QList<RedisServer *> nodes = m_cluster->nodes();
    RedisServer *replica = nullptr;
    for (RedisServer *n : nodes)
        if (!primaries.contains(n))
            replica = n;
    QVERIFY(replica);
    for (RedisServer *n : {primaries[0], primaries[1], primaries[2], replica}) {
        RedisSubscriber *s = subscriberOn(n);
        s->subscribe("news"_ba);
        QTRY_VERIFY(s->isSubscribed("news"_ba));
    }
    RedisSubscriber *lobby = subscriberOn(primaries[1]);
    lobby->subscribe("room:lobby"_ba);
    QTRY_VERIFY(lobby->isSubscribed("room:lobby"_ba));

    const PubSubSnapshot s = waitFor([](const PubSubSnapshot &s) {
        const auto *news = find(s, "news"_ba);
        return news && news->subscribers == 4 && find(s, "room:lobby"_ba);
    });
    const auto *news = find(s, "news"_ba);
    QVERIFY(news);
    QCOMPARE(news->subscribers, 4);
    QCOMPARE(s.kindOf("news"_ba), PubSubSnapshot::Kind::Classic);
    QVERIFY(!s.sharded.contains("news"_ba));
    QCOMPARE(find(s, "room:lobby"_ba)->subscribers, 1);
    QCOMPARE(s.clusterNodes, 6);
    QVERIFY(s.channelsKnown);
    QVERIFY(s.subscribersKnown);
    QVERIFY(s.errors.isEmpty());
    QVERIFY(std::is_sorted(s.channels.cbegin(), s.channels.cend(),
                           [](const auto &a, const auto &b) { return a.name < b.name; }));
}

void tst_ClusterChannelMonitor::shardedChannelsNameTheirShard()
{
    auto *sharded = new RedisClusterSubscriber(m_connection);
    m_owned.prepend(sharded); // deleted before the connection
    sharded->open();
    const QByteArrayList channels{"orders"_ba, "room:{a}"_ba, "room:{b}"_ba};
    for (const QByteArray &c : channels)
        sharded->subscribe(c);
    QTRY_VERIFY(sharded->isSettled());
    // The same name also classic, on one node: counted apart.
    RedisSubscriber *classic = subscriberOn(m_cluster->nodes().constLast());
    classic->subscribe("orders"_ba);
    QTRY_VERIFY(classic->isSubscribed("orders"_ba));

    const PubSubSnapshot s = waitFor([&channels](const PubSubSnapshot &s) {
        return std::all_of(channels.cbegin(), channels.cend(), [&s](const QByteArray &c) { return find(s, c); }) &&
               find(s, "orders"_ba)->subscribers == 2;
    });
    for (const QByteArray &name : channels) {
        const auto *c = find(s, name);
        QVERIFY2(c, name.constData());
        RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(name));
        QVERIFY(owner);
        const PubSubSnapshot::ShardedChannel sharded = s.sharded.value(name);
        QCOMPARE(sharded.primary, u"127.0.0.1:"_s + QString::number(owner->port()));
        QVERIFY(sharded.shard >= 1 && sharded.shard <= 3);
        QCOMPARE(sharded.subscribers, 1);
    }
    QCOMPARE(s.kindOf("room:{a}"_ba), PubSubSnapshot::Kind::Sharded);
    QCOMPARE(find(s, "room:{a}"_ba)->subscribers, 1);
    const auto *orders = find(s, "orders"_ba);
    QCOMPARE(s.kindOf("orders"_ba), PubSubSnapshot::Kind::Both);
    QCOMPARE(orders->subscribers, 2);
}

void tst_ClusterChannelMonitor::patternsAndClientsOfEveryNode()
{
    const QList<RedisServer *> nodes = m_cluster->nodes();
    for (int i = 0; i < 3; ++i) {
        RedisSubscriber *s = subscriberOn(nodes[i]);
        s->psubscribe("room:*"_ba);
        QTRY_VERIFY(s->isPSubscribed("room:*"_ba));
    }
    const PubSubSnapshot s = waitFor([](const PubSubSnapshot &s) { return s.patternSubscriptions == 3; });
    QVERIFY(s.patternsKnown);
    QCOMPARE(s.patternSubscriptions, 3);
    QVERIFY(s.clientsKnown);
    QSet<QString> nodesWithPatterns;
    for (const PubSubClient &c : s.clients) {
        QVERIFY(!c.node.isEmpty());
        if (c.patterns > 0)
            nodesWithPatterns.insert(c.node);
    }
    QCOMPARE(nodesWithPatterns.size(), 3);
    QVERIFY(nodesWithPatterns.contains(u"127.0.0.1:"_s + QString::number(nodes[0]->port())));
    // The nodes' own view: each answered, with its clients and patterns.
    const QList<ClusterNodeStatus> statuses = m_monitor->lastNodes();
    QCOMPARE(statuses.size(), 6);
    qint64 patterns = 0;
    for (const ClusterNodeStatus &n : statuses) {
        QVERIFY2(n.reachable, qPrintable(n.key + u' ' + n.error));
        QVERIFY(n.pubsubClients >= 0);
        QVERIFY(n.outputBufferBytes >= 0);
        patterns += n.patterns;
    }
    QCOMPARE(patterns, 3);
}

void tst_ClusterChannelMonitor::unreachableNodeIsLeftOut()
{
    // A paused node answers nothing: the round ends at the node timeout without it.
    QSignalSpy spy(m_monitor, &ClusterChannelMonitor::snapshotReady);
    m_monitor->refresh();
    QVERIFY(spy.wait(5000));
    RedisServer *replica = nullptr;
    const QList<RedisServer *> primaries = m_cluster->primaries();
    for (RedisServer *n : m_cluster->nodes())
        if (!primaries.contains(n))
            replica = n;
    QVERIFY(replica->pause());
    spy.clear();
    m_monitor->refresh();
    QVERIFY(spy.wait(8000));
    QVERIFY(replica->resume());
    const auto s = spy.last().first().value<PubSubSnapshot>();
    QCOMPARE(s.clusterNodes, 5);
    QCOMPARE(s.unreachableNodes, QStringList{u"127.0.0.1:"_s + QString::number(replica->port())});
    const auto nodes = m_monitor->lastNodes();
    const auto it = std::find_if(nodes.cbegin(), nodes.cend(), [](const auto &n) { return !n.reachable; });
    QVERIFY(it != nodes.cend());
    QVERIFY2(it->error.contains(u"no answer"_s), qPrintable(it->error));
}

// The budget applies to the busiest node: with one second per channel, a node holding 3 channels is
// asked every 5 s at a 1 s interval, and the snapshot says so.
void tst_ClusterChannelMonitor::largeClusterIsAskedLessOften()
{
    RedisSubscriber *s = subscriberOn(m_cluster->primaries().constFirst());
    for (const QByteArray &c : {"a"_ba, "b"_ba, "c"_ba})
        s->subscribe(c);
    QTRY_VERIFY(s->isSubscribed("c"_ba));
    PollBudget budget;
    budget.channelsPerSecond = 1;
    m_monitor->setBudget(budget);
    m_monitor->setInterval(1000ms);
    const PubSubSnapshot snapshot = waitFor([](const PubSubSnapshot &s) { return s.channelPacing.entries >= 3; });
    QVERIFY(snapshot.channelPacing.isBackedOff());
    QCOMPARE(snapshot.channelPacing.reason, PollPacing::Reason::Size);
    QVERIFY(snapshot.channelPacing.interval >= 3000ms);
    QVERIFY(!snapshot.clientPacing.isBackedOff());
}

// A round longer than the node timeout while every node keeps answering (NUMSUB in many small
// batches): nobody is left out. The timeout is for a node that answers nothing for that long; it
// used to bound the whole round, so a node with many channels was dropped from every round.
void tst_ClusterChannelMonitor::nodesThatKeepAnsweringAreWaitedFor()
{
    constexpr int Channels = 60000;
    QList<RedisSubscriber *> subscribers;
    for (RedisServer *primary : m_cluster->primaries())
        subscribers.append(subscriberOn(primary));
    for (int i = 0; i < Channels; ++i)
        subscribers[i % subscribers.size()]->subscribe("wait:" + QByteArray::number(i));
    // Every name confirmed (a subscriber sends its pending names in no particular order).
    const auto allConfirmed = [&subscribers] {
        for (int i = 0; i < Channels; ++i) {
            if (!subscribers[i % subscribers.size()]->isSubscribed("wait:" + QByteArray::number(i)))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allConfirmed(), 60000);
    m_monitor->setNodeTimeout(100ms);
    m_monitor->setBatchSize(1); // 20,000 NUMSUB a node: far longer than the timeout, with no pause
    const PubSubSnapshot s = waitFor([](const PubSubSnapshot &snapshot) {
        const qsizetype n = std::count_if(snapshot.channels.cbegin(), snapshot.channels.cend(),
                                          [](const PubSubSnapshot::Channel &c) { return c.name.startsWith("wait:"); });
        return n == Channels;
    });
    if (s.durationMs <= 100)
        QSKIP("the round took less than the node timeout: nothing to wait for");
    const qsizetype n = std::count_if(s.channels.cbegin(), s.channels.cend(), [](const PubSubSnapshot::Channel &c) {
        return c.name.startsWith("wait:") && c.subscribers == 1;
    });
    QCOMPARE(n, qsizetype(Channels));
    for (const ClusterNodeStatus &node : m_monitor->lastNodes())
        QVERIFY2(node.reachable, qPrintable(node.key + u": "_s + node.error));
}

QTEST_MAIN(tst_ClusterChannelMonitor)
#include "tst_clusterchannelmonitor.moc"
