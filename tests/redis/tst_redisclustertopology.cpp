// SPDX-License-Identifier: MIT
#include "redisclustertopology.h"
#include "testcluster.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RedisClusterTopology : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keySlot_data();
    void keySlot();
    void keySlotAgreesWithRedis();
    void shardsAndSlotsAgree();
    void malformedReplies_data();
    void malformedReplies();
    void movedSlot();
    void tlsPorts_data();
    void tlsPorts();

private:
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_RedisClusterTopology::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_RedisClusterTopology::keySlot_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("slot");
    // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
    QTest::newRow("foo") << "foo"_ba << 12182;
    QTest::newRow("bar") << "bar"_ba << 5061;
    QTest::newRow("empty") << ""_ba << 0;
    QTest::newRow("123456789 (the CRC16 check value 0x31C3)") << "123456789"_ba << (0x31C3 % 16384);
    QTest::newRow("hash tag") << "{user1000}.following"_ba << 3443;
    QTest::newRow("same hash tag") << "{user1000}.followers"_ba << 3443;
    QTest::newRow("empty tag: the whole key") << "foo{}{bar}"_ba << 8363;
    QTest::newRow("tag up to the first }") << "foo{{bar}}zap"_ba << 4015;
    QTest::newRow("first tag only") << "foo{bar}{zap}"_ba << 5061;
    QTest::newRow("unclosed brace: the whole key") << "room:{7"_ba << -1;
}

void tst_RedisClusterTopology::keySlot()
{
    QFETCH(QByteArray, key);
    QFETCH(int, slot);
    const int expected = slot >= 0 ? slot
                                   : int(m_cluster->nodes().front()->command({"CLUSTER"_ba, "KEYSLOT"_ba, key}).toInteger());
    QCOMPARE(RedisClusterTopology::keySlot(key), expected);
}

void tst_RedisClusterTopology::keySlotAgreesWithRedis()
{
    RedisServer *node = m_cluster->nodes().front();
    QRandomGenerator rng(42);
    for (int i = 0; i < 300; ++i) {
        QByteArray key = "room:" + QByteArray::number(rng.generate());
        if (i % 3 == 0)
            key = "{" + QByteArray::number(i) + "}" + key;
        if (i % 7 == 0)
            key += QByteArray(1, char(0x80 + i % 100)) + "\xff";
        QCOMPARE(RedisClusterTopology::keySlot(key), int(node->command({"CLUSTER"_ba, "KEYSLOT"_ba, key}).toInteger()));
    }
}

void tst_RedisClusterTopology::shardsAndSlotsAgree()
{
    RedisServer *node = m_cluster->nodes().front();
    QString error;
    const auto shards = RedisClusterTopology::fromShards(node->command({"CLUSTER"_ba, "SHARDS"_ba}), &error);
    QVERIFY2(shards, qPrintable(error));
    const auto slots = RedisClusterTopology::fromSlots(node->command({"CLUSTER"_ba, "SLOTS"_ba}), &error);
    QVERIFY2(slots, qPrintable(error));
    QCOMPARE(shards->shards().size(), 3);
    QCOMPARE(slots->shards().size(), 3);
    QVERIFY(shards->coversAllSlots());
    QVERIFY(slots->coversAllSlots());
    for (const RedisClusterTopology::Shard &shard : shards->shards()) {
        QCOMPARE(shard.replicas.size(), 1);
        QVERIFY(shard.primary.primary);
        QVERIFY(!shard.primary.id.isEmpty());
    }
    for (int slot = 0; slot < RedisClusterTopology::SlotCount; slot += 97) {
        QCOMPARE(shards->shardForSlot(slot)->primary.port, slots->shardForSlot(slot)->primary.port);
        QCOMPARE(shards->shardForSlot(slot)->replicas.first().port, slots->shardForSlot(slot)->replicas.first().port);
        QCOMPARE(m_cluster->primaryOf(slot)->port(), shards->shardForSlot(slot)->primary.port);
    }
}

void tst_RedisClusterTopology::malformedReplies_data()
{
    QTest::addColumn<bool>("shardsForm");
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("error");
    using V = RedisValue;
    QTest::newRow("shards: error reply") << true << V::error("ERR unknown command") << u"expected an array"_s;
    QTest::newRow("shards: no nodes") << true << V::array({V::array({V::string("slots"), V::array({})})})
                                      << u"a shard without slots and nodes"_s;
    QTest::newRow("shards: bad range")
        << true
        << V::array({V::array({V::string("slots"), V::array({V::integer(10), V::integer(5)}), V::string("nodes"),
                               V::array({})})})
        << u"invalid slot range 10-5"_s;
    QTest::newRow("shards: node without port")
        << true
        << V::array({V::array({V::string("slots"), V::array({}), V::string("nodes"),
                               V::array({V::array({V::string("id"), V::string("x"), V::string("ip"),
                                                   V::string("1.2.3.4"), V::string("role"), V::string("master")})})})})
        << u"a node without id, ip, port and role"_s;
    QTest::newRow("slots: not an array") << false << V::string("x") << u"expected an array"_s;
    QTest::newRow("slots: no primary") << false << V::array({V::array({V::integer(0), V::integer(1)})})
                                       << u"a range without a primary"_s;
    QTest::newRow("slots: slot out of range")
        << false << V::array({V::array({V::integer(0), V::integer(16384), V::array({V::string("h"), V::integer(1)})})})
        << u"invalid slot range 0-16384"_s;
    QTest::newRow("slots: port 0")
        << false << V::array({V::array({V::integer(0), V::integer(5), V::array({V::string("h"), V::integer(0)})})})
        << u"a node without an address"_s;
}

void tst_RedisClusterTopology::malformedReplies()
{
    QFETCH(bool, shardsForm);
    QFETCH(RedisValue, reply);
    QFETCH(QString, error);
    QString got;
    const auto t = shardsForm ? RedisClusterTopology::fromShards(reply, &got) : RedisClusterTopology::fromSlots(reply, &got);
    QVERIFY(!t);
    QVERIFY2(got.contains(error), qPrintable(got));
}

void tst_RedisClusterTopology::movedSlot()
{
    QString error;
    auto t = RedisClusterTopology::fromShards(m_cluster->nodes().front()->command({"CLUSTER"_ba, "SHARDS"_ba}), &error);
    QVERIFY(t);
    const int slot = RedisClusterTopology::keySlot("room:moved");
    const quint16 before = t->shardForSlot(slot)->primary.port;
    quint16 other = 0;
    for (const auto &shard : t->shards()) {
        if (shard.primary.port != before)
            other = shard.primary.port;
    }
    const int neighbour = slot + 1 < RedisClusterTopology::SlotCount ? slot + 1 : slot - 1;
    const quint16 neighbourBefore = t->shardForSlot(neighbour)->primary.port;
    t->moveSlot(slot, u"127.0.0.1"_s, other);
    QCOMPARE(t->shardForSlot(slot)->primary.port, other);
    QCOMPARE(t->shardForSlot(neighbour)->primary.port, neighbourBefore); // only that slot moves
    t->moveSlot(slot, u"127.0.0.9"_s, 7777); // a primary not in the last refresh
    QCOMPARE(t->shardForSlot(slot)->primary.port, quint16(7777));
    QCOMPARE(t->shards().size(), 4);
}

// A tls-cluster node lists "port" (plain) and "tls-port"; a TLS client routes to the latter.
void tst_RedisClusterTopology::tlsPorts_data()
{
    QTest::addColumn<bool>("plain");
    QTest::addColumn<bool>("withTls");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain client") << true << true << false << 7000 << QString();
    QTest::newRow("TLS client") << true << true << true << 17000 << QString();
    QTest::newRow("plain client, TLS-only node") << false << true << false << 0 << u"serves only TLS"_s;
    QTest::newRow("TLS client, plain-only node") << true << false << true << 0 << u"does not serve TLS"_s;
}

void tst_RedisClusterTopology::tlsPorts()
{
    QFETCH(bool, plain);
    QFETCH(bool, withTls);
    QFETCH(bool, tls);
    QFETCH(int, port);
    QFETCH(QString, error);
    using V = RedisValue;
    std::vector<V> node{V::string("id"),   V::string("n1"),     V::string("ip"),     V::string("127.0.0.1"),
                        V::string("role"), V::string("master"), V::string("health"), V::string("online")};
    if (plain)
        node.insert(node.end(), {V::string("port"), V::integer(7000)});
    if (withTls)
        node.insert(node.end(), {V::string("tls-port"), V::integer(17000)});
    const V reply = V::array({V::array({V::string("slots"), V::array({V::integer(0), V::integer(16383)}),
                                        V::string("nodes"), V::array({V::array(node)})})});
    QString got;
    const auto t = RedisClusterTopology::fromShards(reply, &got, tls);
    if (!error.isEmpty()) {
        QVERIFY(!t);
        QVERIFY2(got.contains(error), qPrintable(got));
        return;
    }
    QVERIFY2(t, qPrintable(got));
    QCOMPARE(t->shardForSlot(0)->primary.port, quint16(port));
}

QTEST_MAIN(tst_RedisClusterTopology)
#include "tst_redisclustertopology.moc"
