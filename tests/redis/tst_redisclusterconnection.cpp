// SPDX-License-Identifier: MIT
// RedisClusterConnection against a real Redis Cluster (3 primaries, 3 replicas; one per binary):
// routing by slot, MOVED after a resharding, ASK during one, a primary's failure and a dead seed.
#include "redisclusterconnection.h"
#include "testcluster.h"
#include "testpki.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RedisClusterConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void routesEveryKeyToItsOwner_data();
    void routesEveryKeyToItsOwner();
    void followsMovedAfterResharding();
    void followsAskDuringMigration();
    void shardedPublishReachesTheOwningShard();
    void survivesAPrimaryFailure();
    void noSeedAnswers();
    void closeFailsWaitingCommands();
    void servesOverTls();

private:
    RedisClusterConnection *connect(const QString &url);
    // A key whose slot another test has not touched.
    static QByteArray keyFor(const char *test, int i = 0) { return QByteArray(test) + ':' + QByteArray::number(i); }
    // Another primary than the one that owns slot.
    RedisServer *otherPrimary(int slot) const;
    // Sends args and waits for the reply.
    RedisValue run(RedisClusterConnection *c, const QByteArrayList &args, int timeoutMs = 10000);

    std::unique_ptr<TestCluster> m_cluster;
    QList<RedisClusterConnection *> m_owned;
};

void tst_RedisClusterConnection::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_RedisClusterConnection::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
}

RedisClusterConnection *tst_RedisClusterConnection::connect(const QString &url)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(url);
    o.clientName = u"cluster-test"_s;
    o.connectTimeout = 2000ms;
    o.reconnectMaxDelay = 200ms;
    auto *c = new RedisClusterConnection(o);
    m_owned.append(c);
    c->open();
    return c;
}

RedisServer *tst_RedisClusterConnection::otherPrimary(int slot) const
{
    RedisServer *owner = m_cluster->primaryOf(slot);
    for (RedisServer *p : m_cluster->primaries()) {
        if (p != owner)
            return p;
    }
    return nullptr;
}

RedisValue tst_RedisClusterConnection::run(RedisClusterConnection *c, const QByteArrayList &args, int timeoutMs)
{
    std::optional<RedisValue> reply;
    c->command(args, this, [&reply](const RedisValue &r) { reply = r; });
    if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, timeoutMs))
        return RedisValue::error("ERR test: no reply within the timeout");
    return reply.value_or(RedisValue::error("ERR test: no reply"));
}

void tst_RedisClusterConnection::routesEveryKeyToItsOwner_data()
{
    QTest::addColumn<bool>("singleSeed");
    QTest::newRow("every node a seed") << false;
    QTest::newRow("one seed: the others discovered") << true;
}

void tst_RedisClusterConnection::routesEveryKeyToItsOwner()
{
    QFETCH(bool, singleSeed);
    RedisClusterConnection *c = connect(singleSeed ? m_cluster->singleSeedUrl() : m_cluster->url());
    QTRY_VERIFY(c->isReady());
    QCOMPARE(c->topology().shards().size(), 3);
    // 300 commands in one turn: each on its owner's connection, pipelined, none redirected.
    int replies = 0;
    for (int i = 0; i < 300; ++i) {
        c->command({"SET"_ba, keyFor("route", i), QByteArray::number(i)}, this, [&replies](const RedisValue &r) {
            if (r.bytes() == "OK")
                ++replies;
        });
    }
    QTRY_COMPARE(replies, 300);
    QCOMPARE(c->redirections(), 0u);
    for (int i = 0; i < 300; i += 7)
        QCOMPARE(m_cluster->commandFor(keyFor("route", i), {"GET"_ba, keyFor("route", i)}).bytes(), QByteArray::number(i));
    // Hash tags keep multi-key commands on one slot.
    QCOMPARE(run(c, {"MSET"_ba, "{user7}.a"_ba, "1"_ba, "{user7}.b"_ba, "2"_ba}).bytes(), "OK"_ba);
    QCOMPARE(run(c, {"MGET"_ba, "{user7}.a"_ba, "{user7}.b"_ba}).elements().size(), size_t(2));
}

// The slot moves behind the client's back (redis-cli --cluster reshard's steps): the old owner
// answers MOVED, the client follows it, updates its map and reads the topology again.
void tst_RedisClusterConnection::followsMovedAfterResharding()
{
    RedisClusterConnection *c = connect(m_cluster->url());
    QTRY_VERIFY(c->isReady());
    const QByteArray key = keyFor("moved");
    const int slot = RedisClusterTopology::keySlot(key);
    QCOMPARE(run(c, {"SET"_ba, key, "before"_ba}).bytes(), "OK"_ba);
    RedisServer *target = otherPrimary(slot);
    QVERIFY(target);
    QVERIFY(m_cluster->moveSlot(slot, target));
    QCOMPARE(c->topology().shardForSlot(slot)->primary.port == target->port(), false); // not told yet
    QSignalSpy topology(c, &RedisClusterConnection::topologyChanged);
    QCOMPARE(run(c, {"GET"_ba, key}).bytes(), "before"_ba);
    QCOMPARE(run(c, {"SET"_ba, key, "after"_ba}).bytes(), "OK"_ba);
    QCOMPARE(c->redirections(), 1u); // the second command went straight to the new owner
    QCOMPARE(c->topology().shardForSlot(slot)->primary.port, target->port());
    QVERIFY(topology.count() > 0 || topology.wait(5000));
    QCOMPARE(target->command({"GET"_ba, key}).bytes(), "after"_ba);
}

// While a slot is being migrated, the source answers ASK for a key it does not have: the client
// sends ASKING and the command to the target, once, without changing its map.
void tst_RedisClusterConnection::followsAskDuringMigration()
{
    RedisClusterConnection *c = connect(m_cluster->url());
    QTRY_VERIFY(c->isReady());
    const QByteArray key = keyFor("ask");
    const int slot = RedisClusterTopology::keySlot(key);
    RedisServer *source = m_cluster->primaryOf(slot);
    RedisServer *target = otherPrimary(slot);
    QVERIFY(m_cluster->beginMigration(slot, target));
    QCOMPARE(run(c, {"SET"_ba, key, "asked"_ba}).bytes(), "OK"_ba);
    QCOMPARE(c->redirections(), 1u);
    QCOMPARE(c->topology().shardForSlot(slot)->primary.port, source->port()); // ASK is not MOVED
    QCOMPARE(target->command({"ASKING"_ba}).bytes(), "OK"_ba);
    QCOMPARE(source->command({"EXISTS"_ba, key}).toInteger(), 0); // written on the target only
    QVERIFY(m_cluster->finishMigration(slot, target));
    QCOMPARE(target->command({"GET"_ba, key}).bytes(), "asked"_ba);
    QCOMPARE(run(c, {"GET"_ba, key}).bytes(), "asked"_ba);
}

void tst_RedisClusterConnection::shardedPublishReachesTheOwningShard()
{
    RedisClusterConnection *c = connect(m_cluster->url());
    QTRY_VERIFY(c->isReady());
    const QByteArray channel = "room:sharded";
    RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot(channel));
    // A raw sharded subscriber on the owner.
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(owner->url());
    RedisConnection listener(o);
    listener.setPushMode(true);
    QSignalSpy pushes(&listener, &RedisConnection::pushReceived);
    listener.open();
    QTRY_VERIFY(listener.isReady());
    listener.command({"SSUBSCRIBE"_ba, channel});
    QVERIFY(pushes.wait());
    QCOMPARE(run(c, {"SPUBLISH"_ba, channel, "hello"_ba}).toInteger(), 1);
    const auto received = [&pushes] {
        for (const QList<QVariant> &push : pushes) {
            const RedisValue v = push.at(0).value<RedisValue>();
            if (v.elements().size() == 3 && v.elements()[0].bytes() == "smessage")
                return v.elements()[2].bytes();
        }
        return QByteArray();
    };
    QTRY_COMPARE(received(), "hello"_ba);
    QCOMPARE(c->redirections(), 0u);
}

// The primary of a slot dies; its replica takes over after cluster-node-timeout (1 s here). A
// command sent meanwhile waits for the new owner and succeeds there. Bounds: the failover takes
// 2-5 s on two loaded cores; 30 s.
void tst_RedisClusterConnection::survivesAPrimaryFailure()
{
    RedisClusterConnection *c = connect(m_cluster->url());
    QTRY_VERIFY(c->isReady());
    const QByteArray key = keyFor("failover");
    const int slot = RedisClusterTopology::keySlot(key);
    QCOMPARE(run(c, {"SET"_ba, key, "1"_ba}).bytes(), "OK"_ba);
    RedisServer *old = m_cluster->primaryOf(slot);
    old->stop();
    // Sent while the owner is down: it waits for the promoted replica (or, had it been written
    // to the closing socket, fails as a connection failure: it may have run).
    std::optional<RedisValue> reply;
    c->command({"INCR"_ba, key}, this, [&reply](const RedisValue &r) { reply = r; });
    QTRY_VERIFY_WITH_TIMEOUT(reply.has_value(), 30000);
    QVERIFY2(reply->isInteger() || RedisConnection::isConnectionFailure(*reply), reply->bytes().constData());
    QVERIFY(m_cluster->waitUntilHealthy(30000));
    RedisServer *promoted = m_cluster->primaryOf(slot);
    QVERIFY(promoted && promoted != old);
    QTRY_COMPARE_WITH_TIMEOUT(c->topology().shardForSlot(slot)->primary.port, promoted->port(), 10000);
    QCOMPARE(run(c, {"INCR"_ba, key}).toInteger() >= 2, true);
    QVERIFY(c->isReady());
    QVERIFY(old->start()); // back, as a replica of the promoted one
    QVERIFY(m_cluster->waitUntilHealthy(30000));
}

void tst_RedisClusterConnection::noSeedAnswers()
{
    const quint16 dead = RedisServer::freePort();
    RedisClusterConnection *c = connect(u"redis-cluster://127.0.0.1:%1"_s.arg(dead));
    QSignalSpy states(c, &RedisClusterConnection::stateChanged);
    QTRY_COMPARE_WITH_TIMEOUT(c->state(), RedisConnection::State::Reconnecting, 10000);
    QVERIFY2(c->lastError().startsWith(u"no cluster node answered: 127.0.0.1:%1: "_s.arg(dead)), qPrintable(c->lastError()));
    QVERIFY2(c->lastError().contains(u"Connection refused"_s), qPrintable(c->lastError())); // not a timeout
}

void tst_RedisClusterConnection::closeFailsWaitingCommands()
{
    const quint16 dead = RedisServer::freePort();
    RedisClusterConnection *c = connect(u"redis-cluster://127.0.0.1:%1"_s.arg(dead));
    std::optional<RedisValue> reply;
    c->command({"GET"_ba, "x"_ba}, this, [&reply](const RedisValue &r) { reply = r; });
    QCOMPARE(c->waitingCount(), 1);
    c->close();
    QVERIFY(reply.has_value());
    QVERIFY(RedisConnection::isConnectionFailure(*reply));
    QCOMPARE(c->state(), RedisConnection::State::Closed);
}

QTEST_MAIN(tst_RedisClusterConnection)
// rediss-cluster://: a Cluster with tls-cluster names each node's "port" (plain) and "tls-port"
// in CLUSTER SHARDS; a TLS client must route to the TLS ports, and follow a MOVED (which names
// the port of the asking connection's kind) there too.
void tst_RedisClusterConnection::servesOverTls()
{
    TestPki pki;
    QVERIFY2(pki.create(), qPrintable(pki.errorString()));
    TestCluster tls(3, 0);
    // The Cluster's bus always demands a client certificate, whatever tls-auth-clients says.
    tls.setTls({pki.serverCert(), pki.serverKey(), pki.caCert(), false, pki.clientCert(), pki.clientKey()});
    QVERIFY2(tls.start(), qPrintable(tls.errorString()));
    RedisClusterConnection *c = connect(tls.tlsUrl());
    QTRY_VERIFY_WITH_TIMEOUT(c->isReady(), 10000);
    QCOMPARE(c->topology().shards().size(), 3);
    QSet<quint16> tlsPorts;
    for (RedisServer *node : tls.nodes())
        tlsPorts.insert(node->tlsPort());
    for (const RedisClusterTopology::Shard &shard : c->topology().shards())
        QVERIFY2(tlsPorts.contains(shard.primary.port), qPrintable(shard.primary.key()));
    int replies = 0;
    for (int i = 0; i < 60; ++i) {
        c->command({"SET"_ba, keyFor("tls", i), QByteArray::number(i)}, this,
                   [&replies](const RedisValue &r) {
                       if (r.bytes() == "OK")
                           ++replies;
                   });
    }
    QTRY_COMPARE(replies, 60);
    QCOMPARE(c->redirections(), 0u);

    const QByteArray key = keyFor("tls-moved");
    const int slot = RedisClusterTopology::keySlot(key);
    QCOMPARE(run(c, {"SET"_ba, key, "before"_ba}).bytes(), "OK"_ba);
    RedisServer *owner = tls.primaryOf(slot);
    RedisServer *target = nullptr;
    for (RedisServer *p : tls.primaries()) {
        if (p != owner)
            target = p;
    }
    QVERIFY(owner && target);
    QVERIFY(tls.moveSlot(slot, target));
    QCOMPARE(run(c, {"GET"_ba, key}).bytes(), "before"_ba);
    QVERIFY(c->redirections() >= 1u);
    QCOMPARE(c->topology().shardForSlot(slot)->primary.port, target->tlsPort());
}

#include "tst_redisclusterconnection.moc"
