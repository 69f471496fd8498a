// SPDX-License-Identifier: MIT
#include "connectioncontroller.h"
#include "privateredisserver.h"
#include "redisclusterconnection.h"
#include "redissentinelset.h"
#include "redisserver.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_ConnectionController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectsAndReportsServer();
    void refusesInvalidProfile();
    void passwordIsUsed();
    void disconnectAnnouncesNull();
    void privateServerLivesWithItsOwner();
    void clusterProfile();
    void sentinelStatusFollowsAFailover();
    void clusterCommandConnectionLeavesADeadNode(); // last: it fails a primary of the shared Cluster

private:
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<TestCluster> m_cluster;
    std::unique_ptr<RedisSentinelSet> m_sentinels;
};

void tst_ConnectionController::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    m_sentinels = std::make_unique<RedisSentinelSet>();
    QVERIFY2(m_sentinels->start(), qPrintable(m_sentinels->errorString()));
}

void tst_ConnectionController::connectsAndReportsServer()
{
    ConnectionController controller;
    controller.setPingInterval(50ms);
    QSignalSpy changed(&controller, &ConnectionController::connectionChanged);
    QSignalSpy info(&controller, &ConnectionController::serverInfoChanged);
    ConnectionProfile p;
    p.name = u"test"_s;
    p.url = m_redis->url();
    QVERIFY(controller.connectTo(p, QString()));
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0).at(0).value<RedisConnection *>() != nullptr);
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QTRY_VERIFY(!controller.serverVersion().isEmpty());
    QVERIFY(controller.serverVersion().at(0).isDigit());
    QCOMPARE(controller.serverMode(), u"standalone"_s);
    QTRY_VERIFY(controller.roundTripMs() >= 0);
    // The console names its connection so operators can tell it apart in CLIENT LIST.
    const QByteArray clients = m_redis->command({"CLIENT"_ba, "LIST"_ba}).bytes();
    QVERIFY2(clients.contains("name=switchboard-console:"), clients.constData());
    QVERIFY(controller.options().has_value());
    QVERIFY(controller.options()->clientName.isEmpty());
}

void tst_ConnectionController::refusesInvalidProfile()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"bad"_s;
    p.url = u"http://nope"_s;
    QString error;
    QVERIFY(!controller.connectTo(p, QString(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!controller.isConnected());
}

void tst_ConnectionController::passwordIsUsed()
{
    RedisServer secured({u"--requirepass"_s, u"hunter2"_s});
    QVERIFY2(secured.start(), qPrintable(secured.errorString()));
    ConnectionProfile p;
    p.name = u"secured"_s;
    p.url = secured.url();
    ConnectionController wrong;
    QVERIFY(wrong.connectTo(p, u"nope"_s));
    QTRY_VERIFY(!wrong.lastError().isEmpty());
    QVERIFY(wrong.state() != RedisConnection::State::Ready);
    ConnectionController right;
    QVERIFY(right.connectTo(p, u"hunter2"_s));
    QTRY_VERIFY(right.state() == RedisConnection::State::Ready);
}

void tst_ConnectionController::disconnectAnnouncesNull()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"test"_s;
    p.url = m_redis->url();
    QVERIFY(controller.connectTo(p, QString()));
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QSignalSpy changed(&controller, &ConnectionController::connectionChanged);
    controller.disconnectFromServer();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<RedisConnection *>(), nullptr);
    QVERIFY(!controller.isConnected());
    QVERIFY(!controller.options());
    QCOMPARE(controller.roundTripMs(), -1.0);
}

void tst_ConnectionController::privateServerLivesWithItsOwner()
{
    if (PrivateRedisServer::executable().isEmpty())
        QSKIP("redis-server is not installed");
    QString url;
    {
        PrivateRedisServer server;
        QSignalSpy ready(&server, &PrivateRedisServer::ready);
        server.start();
        QVERIFY(ready.wait(10000));
        url = ready.at(0).at(0).toString();
        QVERIFY(server.port() != 6379);
        QVERIFY(url.startsWith(u"redis://127.0.0.1:"_s));
        ConnectionController controller;
        ConnectionProfile p;
        p.name = u"private"_s;
        p.url = url;
        QVERIFY(controller.connectTo(p, QString()));
        QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    }
    // Gone with its owner: nothing listens on that port any more.
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"private"_s;
    p.url = url;
    QVERIFY(controller.connectTo(p, QString()));
    QTRY_VERIFY(!controller.lastError().isEmpty());
}

// A redis-cluster:// profile: a Cluster connection for what spans the nodes, a command connection to
// the first seed, and the status names the Cluster's size.
void tst_ConnectionController::clusterProfile()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"cluster"_s;
    p.url = m_cluster->singleSeedUrl();
    QString error;
    QVERIFY2(controller.connectTo(p, QString(), &error), qPrintable(error));
    QVERIFY(controller.cluster());
    QCOMPARE(controller.topology(), RedisUrl::Topology::Cluster);
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QTRY_COMPARE(controller.topologyText(), u"Redis Cluster · 3 primaries / 6 nodes"_s);
    QTRY_COMPARE(controller.serverMode(), u"cluster"_s);
    // Features that open their own connection get the seed node, a plain redis:// URL.
    QCOMPARE(controller.options()->url.topology(), RedisUrl::Topology::Standalone);
    QCOMPARE(controller.options()->url.port(), m_cluster->nodes().constFirst()->port());
    controller.disconnectFromServer();
    QVERIFY(!controller.cluster());
    QVERIFY(controller.topologyText().isEmpty());
}

// A redis-sentinel:// profile: the status names the primary and follows a failover by itself.
void tst_ConnectionController::sentinelStatusFollowsAFailover()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"sentinel"_s;
    p.url = m_sentinels->url();
    QString error;
    QVERIFY2(controller.connectTo(p, QString(), &error), qPrintable(error));
    QVERIFY(!controller.cluster());
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    const QString before =
        u"Sentinel '%1' · primary 127.0.0.1:%2"_s.arg(m_sentinels->primaryName()).arg(m_sentinels->primaryPort());
    QTRY_COMPARE(controller.topologyText(), before);

    QSignalSpy info(&controller, &ConnectionController::serverInfoChanged);
    QVERIFY2(m_sentinels->failover(), qPrintable(m_sentinels->errorString()));
    const QString after =
        u"Sentinel '%1' · primary 127.0.0.1:%2"_s.arg(m_sentinels->primaryName()).arg(m_sentinels->primaryPort());
    QVERIFY(after != before);
    QTRY_COMPARE_WITH_TIMEOUT(controller.topologyText(), after, 20000);
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QVERIFY(!info.isEmpty());
}

// The Cluster node under the command connection fails: the connection moves to a healthy primary by
// itself (connectionChanged with the new one), and the status shows the Cluster again.
void tst_ConnectionController::clusterCommandConnectionLeavesADeadNode()
{
    RedisServer *seed = m_cluster->primaryOf(0);
    QVERIFY(seed);
    const quint16 seedPort = seed->port();
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"cluster"_s;
    p.url = u"redis-cluster://127.0.0.1:%1"_s.arg(seedPort);
    QVERIFY(controller.connectTo(p, QString()));
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    // The Cluster's topology read through the one seed: without it, nothing names another node once
    // that seed is gone (seen under ASan: the seed failed while its first CLUSTER SHARDS ran).
    QTRY_VERIFY(controller.cluster() && controller.cluster()->isReady());
    QCOMPARE(controller.options()->url.port(), seedPort);
    QSignalSpy changed(&controller, &ConnectionController::connectionChanged);

    QVERIFY2(m_cluster->failPrimaryOf(0), qPrintable(m_cluster->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 20000);
    QVERIFY(changed.last().at(0).value<RedisConnection *>() == controller.connection());
    QVERIFY(controller.options()->url.port() != seedPort);
    QTRY_VERIFY_WITH_TIMEOUT(controller.state() == RedisConnection::State::Ready, 10000);
    QTRY_VERIFY2(controller.topologyText().startsWith(u"Redis Cluster · 3 primaries"_s),
                 qPrintable(controller.topologyText()));
}

QTEST_GUILESS_MAIN(tst_ConnectionController)
#include "tst_connectioncontroller.moc"
