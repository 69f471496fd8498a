// SPDX-License-Identifier: MIT
// ClusterAnnouncer on a real Redis Cluster (3 primaries + 3 replicas): each channel's classic audience
// summed over the nodes and its sharded audience on its shard (a replica's sharded subscriber too),
// and the commands that reach them.
#include "clusterannouncer.h"
#include "redisclusterconnection.h"
#include "redissubscriber.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ClusterAnnouncer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void commandsFor();
    void countsAndReachesBothAudiences();

private:
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_ClusterAnnouncer::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_ClusterAnnouncer::commandsFor()
{
    using A = ClusterAnnouncer::Audience;
    QCOMPARE(ClusterAnnouncer::commandsFor(A{"c", 2, 0, {}}), QByteArrayList{"PUBLISH"});
    QCOMPARE(ClusterAnnouncer::commandsFor(A{"c", 0, 3, {}}), QByteArrayList{"SPUBLISH"});
    QCOMPARE(ClusterAnnouncer::commandsFor(A{"c", 1, 1, {}}), (QByteArrayList{"SPUBLISH", "PUBLISH"}));
    QCOMPARE(ClusterAnnouncer::commandsFor(A{"c", 0, 0, {}}), (QByteArrayList{"SPUBLISH", "PUBLISH"}));
    const QList<ClusterAnnouncer::Sent> sent{{"a", "SPUBLISH", 2, {}}, {"b", "PUBLISH", 1, {}}, {"a", "PUBLISH", 0, {}}};
    QCOMPARE(ClusterAnnouncer::resultText(sent, "a"), u"SPUBLISH 2 + PUBLISH 0"_s);
}

void tst_ClusterAnnouncer::countsAndReachesBothAudiences()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->url());
    RedisClusterConnection cluster(o);
    cluster.open();
    QTRY_VERIFY(cluster.isReady());

    // news: classic subscribers on two primaries; orders: a sharded subscriber on its owner and one on a
    // replica of the owner (SSUBSCRIBE on a replica: the shard copies the message there).
    const QByteArray orders = "orders";
    RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(orders));
    QVERIFY(owner);
    RedisServer *replica = nullptr;
    for (RedisServer *n : m_cluster->nodes()) {
        const QByteArray role = n->command({"ROLE"}).elements().empty() ? QByteArray()
                                                                         : n->command({"ROLE"}).elements()[0].bytes();
        if (role == "slave" && n->command({"ROLE"}).elements()[2].toInteger() == owner->port())
            replica = n;
    }
    QVERIFY(replica);
    const auto optionsFor = [](RedisServer *n) {
        RedisConnectionOptions x;
        x.url = RedisUrl::parse(n->url());
        return x;
    };
    QList<RedisServer *> primaries = m_cluster->primaries();
    RedisSubscriber c1(optionsFor(primaries[0])), c2(optionsFor(primaries[1]));
    RedisSubscriber s1(optionsFor(owner), RedisSubscriber::Kind::Sharded);
    RedisSubscriber s2(optionsFor(replica), RedisSubscriber::Kind::Sharded);
    QSignalSpy r1(&c1, &RedisSubscriber::message), r2(&c2, &RedisSubscriber::message);
    QSignalSpy r3(&s1, &RedisSubscriber::message), r4(&s2, &RedisSubscriber::message);
    for (RedisSubscriber *s : {&c1, &c2, &s1, &s2})
        s->open();
    c1.subscribe("news");
    c2.subscribe("news");
    s1.subscribe(orders);
    s2.subscribe(orders);
    QTRY_VERIFY(c1.isSubscribed("news") && c2.isSubscribed("news") && s1.isSubscribed(orders) &&
                s2.isSubscribed(orders));

    ClusterAnnouncer announcer(&cluster);
    std::optional<QList<ClusterAnnouncer::Audience>> audience;
    announcer.estimate({"news", orders}, [&audience](const auto &a) { audience = a; });
    QTRY_VERIFY(audience.has_value());
    QCOMPARE(audience->size(), 2);
    QCOMPARE(audience->at(0).classic, 2);
    QCOMPARE(audience->at(0).sharded, 0);
    QCOMPARE(audience->at(1).classic, 0);
    QCOMPARE(audience->at(1).sharded, 2);
    QVERIFY(audience->at(0).error.isEmpty());

    std::optional<QList<ClusterAnnouncer::Sent>> sent;
    announcer.publish(*audience, "hello", [&sent](const auto &s) { sent = s; });
    QTRY_VERIFY(sent.has_value());
    QCOMPARE(sent->size(), 2);
    QCOMPARE(sent->at(0).command, "PUBLISH");
    QCOMPARE(sent->at(1).command, "SPUBLISH");
    QVERIFY(sent->at(1).receivers >= 1); // the owner's own subscriber; the replica's is not counted there
    QTRY_COMPARE(r1.size(), 1);
    QTRY_COMPARE(r2.size(), 1);
    QTRY_COMPARE(r3.size(), 1);
    QTRY_COMPARE(r4.size(), 1);
    QCOMPARE(r4.at(0).at(1).toByteArray(), "hello"_ba);
}

QTEST_MAIN(tst_ClusterAnnouncer)
#include "tst_clusterannouncer.moc"
