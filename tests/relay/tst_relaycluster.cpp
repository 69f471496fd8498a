// SPDX-License-Identifier: MIT
// Relays on a real Redis Cluster (3 primaries + 3 replicas, one per binary): rooms spread over
// the shards deliver across relays with sharded and with classic Pub/Sub, and a resharding or a
// primary's failure while a client publishes loses, duplicates and reorders nothing.
#include "redisclustertopology.h"
#include "relayfixture.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(RedisBusOptions::ClusterPubSub)
Q_DECLARE_METATYPE(RedisBusOptions::ClusterSubscribeOn)

class tst_RelayCluster : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void roomsAcrossShardsDeliverAcrossRelays_data();
    void roomsAcrossShardsDeliverAcrossRelays();
    void nothingLostThroughAMove_data();
    void nothingLostThroughAMove();

private:
    RelayServer *
    relayOn(const QString &id, RedisBusOptions::ClusterPubSub mode,
            RedisBusOptions::ClusterSubscribeOn on = RedisBusOptions::ClusterSubscribeOn::Default);
    // The texts of the room messages member received, in arrival order.
    static QStringList texts(const TestClient *member);

    std::unique_ptr<TestCluster> m_cluster;
};

void tst_RelayCluster::initTestCase()
{
    QVERIFY(RelayFixture::init());
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_RelayCluster::cleanupTestCase()
{
    RelayFixture::cleanup();
    m_cluster.reset();
}

void tst_RelayCluster::cleanup()
{
    releaseRelays();
}

RelayServer *tst_RelayCluster::relayOn(const QString &id, RedisBusOptions::ClusterPubSub mode,
                                       RedisBusOptions::ClusterSubscribeOn on)
{
    RelayServerOptions so;
    so.instanceId = id;
    RedisBusOptions bo;
    bo.clusterPubSub = mode;
    bo.clusterSubscribeOn = on;
    RelayServer *relay = startRelayOn(so, m_cluster->url(), bo);
    return relay;
}

static QStringList missing(const QStringList &all, const QStringList &got)
{
    QStringList out;
    for (const QString &t : all)
        if (!got.contains(t))
            out.append(t);
    return out;
}

QStringList tst_RelayCluster::texts(const TestClient *member)
{
    QStringList out;
    for (const QJsonObject &f : member->frames()) {
        if (f.value("type"_L1) == "message"_L1)
            out.append(f.value("text"_L1).toString());
    }
    return out;
}

void tst_RelayCluster::roomsAcrossShardsDeliverAcrossRelays_data()
{
    using On = RedisBusOptions::ClusterSubscribeOn;
    QTest::addColumn<RedisBusOptions::ClusterPubSub>("mode");
    QTest::addColumn<On>("on");
    QTest::newRow("sharded") << RedisBusOptions::ClusterPubSub::Sharded << On::Default;
    QTest::newRow("classic") << RedisBusOptions::ClusterPubSub::Classic << On::Default;
    QTest::newRow("sharded, subscribed on replicas")
        << RedisBusOptions::ClusterPubSub::Sharded << On::Replica;
}

void tst_RelayCluster::roomsAcrossShardsDeliverAcrossRelays()
{
    QFETCH(RedisBusOptions::ClusterPubSub, mode);
    QFETCH(RedisBusOptions::ClusterSubscribeOn, on);
    const bool sharded = mode == RedisBusOptions::ClusterPubSub::Sharded;
    const bool onReplicas = on == RedisBusOptions::ClusterSubscribeOn::Replica;
    const QString tag = sharded ? (onReplicas ? u"r"_s : u"s"_s) : u"c"_s;
    RelayServer *a = relayOn(u"cluster-a-"_s + tag, mode, on);
    RelayServer *b = relayOn(u"cluster-b-"_s + tag, mode, on);
    QTRY_VERIFY(a->bus()->isConnected() && b->bus()->isConnected());
    QVERIFY(a->bus()->description().contains(sharded ? u"sharded"_s : u"classic"_s));
    constexpr int Rooms = 9;
    QList<TestClient *> onA, onB;
    QSet<quint16> owners;
    for (int i = 0; i < Rooms; ++i) {
        const QString room = u"spread-%1-%2"_s.arg(tag).arg(i);
        onA.append(connectTo(a->url()));
        onB.append(connectTo(b->url()));
        QVERIFY(onA.last()->join(room));
        QVERIFY(onB.last()->join(room));
        const QByteArray channel = "room:" + room.toUtf8();
        RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
        owners.insert(owner->port());
        // Both relays listen on the shard that owns the room, and only there: on its primary, or
        // on one of its replicas (the primary then counts none).
        if (sharded && !onReplicas)
            QCOMPARE(owner->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel}).elements()[1].toInteger(), 2);
        if (onReplicas) {
            QCOMPARE(owner->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel}).elements()[1].toInteger(), 0);
            qint64 onTheShard = 0;
            for (RedisServer *node : m_cluster->nodes()) {
                if (node->command({"ROLE"_ba}).elements()[2].toInteger() == owner->port())
                    onTheShard +=
                        node->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channel}).elements()[1].toInteger();
            }
            QCOMPARE(onTheShard, 2);
        }
    }
    QVERIFY(owners.size() >= 2); // the rooms really are on several shards
    for (int i = 0; i < Rooms; ++i)
        onA[i]->send(chat(u"from a %1"_s.arg(i), u"spread-%1-%2"_s.arg(tag).arg(i)));
    for (int i = 0; i < Rooms; ++i) {
        QVERIFY2(!onB[i]->waitFor(textIs(u"from a %1"_s.arg(i)), 10000).isEmpty(),
                 qPrintable(u"room %1: B got [%2]"_s.arg(i).arg(texts(onB[i]).join(u','))));
        onB[i]->send(chat(u"from b %1"_s.arg(i), u"spread-%1-%2"_s.arg(tag).arg(i)));
    }
    for (int i = 0; i < Rooms; ++i) {
        QVERIFY(!onA[i]->waitFor(textIs(u"from b %1"_s.arg(i)), 10000).isEmpty());
        QCOMPARE(texts(onA[i]), (QStringList{u"from a %1"_s.arg(i), u"from b %1"_s.arg(i)}));
        QCOMPARE(texts(onB[i]), (QStringList{u"from a %1"_s.arg(i), u"from b %1"_s.arg(i)}));
    }
    // A broadcast reaches every client of both relays once.
    onB.first()->send(chat(u"to everyone"_s));
    for (TestClient *c : onA + onB)
        QVERIFY(!c->waitFor(textIs(u"to everyone"_s), 10000).isEmpty());
    for (TestClient *c : onA + onB)
        QCOMPARE(c->count(textIs(u"to everyone"_s)), 1);
}

void tst_RelayCluster::nothingLostThroughAMove_data()
{
    QTest::addColumn<bool>("failover");
    QTest::newRow("resharding (the slot moves to another primary)") << false;
    QTest::newRow("failover (the primary dies, its replica takes over)") << true;
}

// A client on relay A publishes to a room every 10 ms while the room's slot moves; the member on
// relay B must get every message once, in order. Publishes that meet the move (MOVED, or a dead
// node) are held and replayed once the subscribers listen on the new owner. Bounds for two
// loaded cores: the failover takes 2-5 s, the replay 2.5 s after it; 60 s in all.
void tst_RelayCluster::nothingLostThroughAMove()
{
    QFETCH(bool, failover);
    const QString room = failover ? u"move-failover"_s : u"move-reshard"_s;
    const QByteArray channel = "room:" + room.toUtf8();
    const int slot = RedisClusterTopology::keySlot(channel);
    RelayServer *a = relayOn(u"move-a-"_s + room, RedisBusOptions::ClusterPubSub::Sharded);
    RelayServer *b = relayOn(u"move-b-"_s + room, RedisBusOptions::ClusterPubSub::Sharded);
    QTRY_VERIFY(a->bus()->isConnected() && b->bus()->isConnected());
    TestClient *sender = connectTo(a->url());
    TestClient *member = connectTo(b->url());
    QVERIFY(sender->join(room));
    QVERIFY(member->join(room));

    constexpr int Total = 300;
    int sent = 0;
    QTimer ticker;
    ticker.setInterval(10ms);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (sent < Total)
            sender->send(chat(QString::number(sent++), room));
    });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(sent >= 50, 10000);
    RedisServer *old = m_cluster->primaryOf(slot);
    if (failover) {
        QVERIFY2(m_cluster->failPrimaryOf(slot), qPrintable(m_cluster->errorString()));
    } else {
        RedisServer *target = nullptr;
        for (RedisServer *p : m_cluster->primaries()) {
            if (p != old)
                target = p;
        }
        QVERIFY(m_cluster->moveSlot(slot, target));
    }
    QVERIFY(m_cluster->primaryOf(slot) != old);
    QTRY_VERIFY_WITH_TIMEOUT(sent == Total, 30000);
    QStringList expected;
    for (int i = 0; i < Total; ++i)
        expected.append(QString::number(i));
    QTRY_VERIFY2_WITH_TIMEOUT(texts(member).size() == Total, qPrintable(u"got %1, missing %2; sender's relay duplicates %3"_s.arg(texts(member).size()).arg(missing(expected, texts(member)).join(u',')).arg(qobject_cast<RedisBus *>(b->bus()) ? b->stats().duplicatesDropped : 0)), 30000);
    QCOMPARE(texts(member), expected);
    QCOMPARE(texts(sender), expected); // the sender's own relay delivered each once too
    if (failover) {
        QVERIFY(old->start());
        QVERIFY(m_cluster->waitUntilHealthy(30000));
    }
}

QTEST_MAIN(tst_RelayCluster)
#include "tst_relaycluster.moc"
