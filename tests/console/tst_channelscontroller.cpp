// SPDX-License-Identifier: MIT
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channeltreemodel.h"
#include "clusternodesmodel.h"
#include "pubsubclientmodel.h"
#include "redisbus.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relaydirectory.h"
#include "relayserver.h"
#include "relaystatspublisher.h"
#include "testclient.h"
#include "testcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ChannelColumns;

Q_DECLARE_METATYPE(PubSubSnapshot)

class tst_ChannelsController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void countsFromRealSubscribers();
    void relayColumnsFromHeartbeats();
    void intervalAndDetach();
    void refusedCommandKeepsTheRest_data();
    void refusedCommandKeepsTheRest();
    void clusterChannelsAndShardedRelays();

private:
    RedisConnectionOptions options(const QString &name = {}) const;
    RedisConnectionOptions restrictedOptions(const QByteArray &user, const QByteArrayList &rules) const;
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_ChannelsController::initTestCase()
{
    qRegisterMetaType<PubSubSnapshot>();
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

RedisConnectionOptions tst_ChannelsController::options(const QString &name) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
    return o;
}

// A Redis ACL user with rules (e.g. "-@dangerous"), and options that log in as that user.
RedisConnectionOptions tst_ChannelsController::restrictedOptions(const QByteArray &user,
                                                                 const QByteArrayList &rules) const
{
    QByteArrayList args{"ACL"_ba, "SETUSER"_ba, user,    "reset"_ba, "on"_ba,
                        ">pw"_ba, "~*"_ba,      "&*"_ba, "+@all"_ba};
    args += rules;
    const RedisValue reply = m_redis->command(args);
    if (!reply.isStatus())
        qWarning() << "ACL SETUSER failed:" << reply.bytes();
    RedisConnectionOptions o = options(u"console"_s);
    o.url.setUsername(QString::fromUtf8(user));
    o.url.setPassword(u"pw"_s);
    return o;
}

void tst_ChannelsController::countsFromRealSubscribers()
{
    RedisSubscriber a(options(u"a"_s));
    RedisSubscriber b(options(u"b"_s));
    a.open();
    b.open();
    a.subscribe("news"_ba);
    a.subscribe("room:1"_ba);
    b.subscribe("room:1"_ba);
    b.subscribe("room:2"_ba);
    b.psubscribe("room:*"_ba);
    QTRY_VERIFY(a.isSubscribed("room:1"_ba) && b.isSubscribed("room:2"_ba) && b.isPSubscribed("room:*"_ba));

    RedisConnection connection(options(u"console"_s));
    connection.open();
    ChannelsController controller;
    QAbstractItemModelTester listTester(controller.listModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester treeTester(controller.treeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester clientTester(controller.clientModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setRefreshInterval(0ms);
    QSignalSpy ready(&controller, &ChannelsController::snapshotReady);
    controller.attach(&connection);
    QVERIFY(controller.isAttached());
    QVERIFY(ready.wait(5000));
    // The directory's own pattern subscription (*switchboard:relays) may land in this round or the next.
    QTRY_VERIFY(controller.directory()->isListening());
    controller.refresh();
    QVERIFY(ready.wait(5000));

    QCOMPARE(controller.subscribersFor("news"), 1);
    QCOMPARE(controller.subscribersFor("room:1"), 2);
    QCOMPARE(controller.subscribersFor("room:2"), 1);
    QCOMPARE(controller.subscribersFor(RelayStatsPublisher::channel()), 0);
    QCOMPARE(controller.listModel()->rowCount(), 3);
    const PubSubSnapshot &s = controller.lastSnapshot();
    QCOMPARE(s.patternSubscriptions, 2); // room:* and the directory's
    QCOMPARE(controller.clientModel()->rowCount(), 3); // a, b, the directory
    QCOMPARE(controller.clientModel()->patternClientCount(), 2);
    const QModelIndex room = controller.treeModel()->indexFor("room", Subscribers);
    QCOMPARE(room.data(SortRole).toLongLong(), 3);
    QCOMPARE(controller.treeModel()->rowCount(room.siblingAtColumn(0)), 2);

    // A subscriber leaves: its channel disappears on the next refresh.
    b.unsubscribe("room:2"_ba);
    controller.setRefreshInterval(50ms);
    QTRY_COMPARE(controller.listModel()->rowOf("room:2"), -1);
    QVERIFY(!controller.treeModel()->indexFor("room:2").isValid());
    QCOMPARE(controller.treeModel()->indexFor("room", Subscribers).data(SortRole).toLongLong(), 2);
}

void tst_ChannelsController::relayColumnsFromHeartbeats()
{
    RedisConnectionOptions relayOptions = options(u"switchboard-relay:r1"_s);
    RedisBus bus(relayOptions);
    bus.start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = u"r1"_s;
    RelayServer relay(so, &bus);
    QVERIFY(relay.listen());
    TestClient c1, c2;
    QVERIFY(c1.open(relay.url()));
    QVERIFY(c2.open(relay.url()));
    QVERIFY(c1.join(7));
    QVERIFY(c2.join(7));
    RelayStatsPublisher publisher(&relay, 100ms);
    publisher.start();

    RedisConnection connection(options());
    connection.open();
    ChannelsController controller;
    controller.setRefreshInterval(100ms);
    controller.attach(&connection);
    ChannelListModel *list = controller.listModel();
    QTRY_VERIFY(list->rowOf("room:7") >= 0);
    QTRY_COMPARE(list->index(list->rowOf("room:7"), RelayClients).data(SortRole).toLongLong(), 2);
    QCOMPARE(list->index(list->rowOf("room:7"), Relays).data(SortRole).toLongLong(), 1);
    QCOMPARE(list->index(list->rowOf("room:7"), Subscribers).data(SortRole).toLongLong(), 1);
    QCOMPARE(controller.treeModel()->indexFor("room:7", RelayClients).data(SortRole).toLongLong(), 2);
    QCOMPARE(controller.clientModel()->relayCount(), 1);

    relay.shutdown();
    QTRY_VERIFY(list->rowOf("room:7") < 0);
}

void tst_ChannelsController::intervalAndDetach()
{
    RedisSubscriber a(options());
    a.open();
    a.subscribe("poll:me"_ba);
    QTRY_VERIFY(a.isSubscribed("poll:me"_ba));
    RedisConnection connection(options());
    connection.open();
    ChannelsController controller;
    QCOMPARE(controller.refreshInterval(), 2000ms);
    QSignalSpy ready(&controller, &ChannelsController::snapshotReady);
    QSignalSpy intervalChanged(&controller, &ChannelsController::refreshIntervalChanged);
    controller.setRefreshInterval(50ms);
    QCOMPARE(intervalChanged.size(), 1);
    controller.attach(&connection);
    QTRY_VERIFY(ready.size() >= 3);
    QVERIFY(controller.listModel()->rowOf("poll:me") >= 0);

    QSignalSpy reset(controller.listModel(), &QAbstractItemModel::modelReset);
    controller.detach();
    QVERIFY(!controller.isAttached());
    QCOMPARE(controller.listModel()->rowCount(), 0);
    QCOMPARE(controller.treeModel()->rowCount(), 0);
    QCOMPARE(controller.clientModel()->rowCount(), 0);
    QCOMPARE(reset.size(), 0);
    const qsizetype seen = ready.size();
    controller.refresh();
    QCOMPARE(ready.size(), seen);
}

void tst_ChannelsController::refusedCommandKeepsTheRest_data()
{
    QTest::addColumn<QByteArrayList>("rules");
    QTest::addColumn<QStringList>("refused");
    QTest::addColumn<bool>("channelsShown");
    QTest::addColumn<bool>("countsShown");
    QTest::addColumn<bool>("clientsShown");
    QTest::newRow("no CLIENT LIST (-@dangerous)")
        << QByteArrayList{"-@dangerous"_ba} << QStringList{u"CLIENT LIST TYPE pubsub"_s} << true << true
        << false;
    QTest::newRow("no PUBSUB (-pubsub)")
        << QByteArrayList{"-pubsub"_ba} << QStringList{u"PUBSUB CHANNELS"_s, u"PUBSUB NUMPAT"_s} << false
        << false << true;
    QTest::newRow("no NUMSUB (-pubsub|numsub)")
        << QByteArrayList{"-pubsub|numsub"_ba} << QStringList{u"PUBSUB NUMSUB"_s} << true << false << true;
}

// One command refused by an ACL must not blank the dock: what could be read is shown, each refusal
// is reported with Redis's error, and the report goes when the command works again.
void tst_ChannelsController::refusedCommandKeepsTheRest()
{
    QFETCH(QByteArrayList, rules);
    QFETCH(QStringList, refused);
    QFETCH(bool, channelsShown);
    QFETCH(bool, countsShown);
    QFETCH(bool, clientsShown);
    RedisSubscriber a(options(u"acl-a"_s));
    a.open();
    a.subscribe("acl:1"_ba);
    a.subscribe("acl:2"_ba);
    QTRY_VERIFY(a.isSubscribed("acl:1"_ba) && a.isSubscribed("acl:2"_ba));

    RedisConnection connection(restrictedOptions("restricted", rules));
    connection.open();
    ChannelsController controller;
    QAbstractItemModelTester listTester(controller.listModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester treeTester(controller.treeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester clientTester(controller.clientModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setRefreshInterval(0ms);
    QSignalSpy ready(&controller, &ChannelsController::snapshotReady);
    QSignalSpy failed(&controller, &ChannelsController::refreshFailed);
    controller.attach(&connection);
    QVERIFY2(ready.wait(5000), qPrintable(controller.lastError()));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(controller.listModel()->rowOf("acl:1") >= 0, channelsShown);
    QCOMPARE(controller.treeModel()->indexFor("acl:2").isValid(), channelsShown);
    QCOMPARE(controller.subscribersFor("acl:1"), countsShown ? 1 : channelsShown ? -1 : 0);
    if (channelsShown && !countsShown) {
        const ChannelListModel *list = controller.listModel();
        QCOMPARE(list->index(list->rowOf("acl:1"), Subscribers).data().toString(), u"\u2013"_s);
        QCOMPARE(controller.treeModel()->indexFor("acl", Subscribers).data(SortRole).toLongLong(), -1);
    }
    QCOMPARE(controller.clientModel()->rowCount() > 0, clientsShown);

    const PubSubSnapshot &s = controller.lastSnapshot();
    QStringList reported;
    for (const PubSubCommandError &e : s.errors) {
        reported << PubSubCommandError::commandText(e.command);
        QVERIFY2(e.isRefusal() && e.error.startsWith("NOPERM"_L1), qPrintable(e.error));
    }
    QCOMPARE(reported, refused);

    // The ACL is widened: the next refresh shows everything and reports nothing.
    QCOMPARE(m_redis->command({"ACL"_ba, "SETUSER"_ba, "restricted"_ba, "+@all"_ba}).bytes(), "OK"_ba);
    controller.refresh();
    QVERIFY(ready.wait(5000));
    QVERIFY(controller.lastSnapshot().errors.isEmpty());
    QCOMPARE(controller.subscribersFor("acl:1"), 1);
    QCOMPARE(controller.treeModel()->indexFor("acl", Subscribers).data(SortRole).toLongLong(), 2);
    QVERIFY(controller.clientModel()->rowCount() > 0);
}

// On a Redis Cluster: channels of every node with their counts summed, the kind and shard column, the
// Nodes model, and a relay in sharded mode (its heartbeats SPUBLISHed) in the relay columns.
void tst_ChannelsController::clusterChannelsAndShardedRelays()
{
    RedisConnectionOptions co;
    co.url = RedisUrl::parse(m_cluster->url());
    RedisClusterConnection cluster(co);
    RedisConnectionOptions seed;
    seed.url = RedisUrl::parse(m_cluster->nodes().constFirst()->url());
    RedisConnection node(seed);
    cluster.open();
    node.open();
    QTRY_VERIFY(cluster.isReady() && node.isReady());

    // A relay in sharded mode with two clients in room 7; classic subscribers of news on two nodes.
    RedisConnectionOptions relayOptions = co;
    relayOptions.clientName = u"switchboard-relay:sharded"_s;
    RedisBus bus(relayOptions);
    bus.start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = u"sharded"_s;
    RelayServer relay(so, &bus);
    QVERIFY(relay.listen());
    RelayStatsPublisher publisher(&relay, 100ms);
    publisher.start();
    TestClient c1, c2;
    QVERIFY(c1.open(relay.url()));
    QVERIFY(c2.open(relay.url()));
    QVERIFY(c1.join(7));
    QVERIFY(c2.join(7));
    QList<RedisServer *> nodes = m_cluster->nodes();
    RedisConnectionOptions first, second;
    first.url = RedisUrl::parse(nodes[1]->url());
    second.url = RedisUrl::parse(nodes[2]->url());
    RedisSubscriber a(first), b(second);
    a.open();
    b.open();
    a.subscribe("news"_ba);
    b.subscribe("news"_ba);
    QTRY_VERIFY(a.isSubscribed("news"_ba) && b.isSubscribed("news"_ba));

    ChannelsController controller;
    QAbstractItemModelTester listTester(controller.listModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester nodesTester(controller.nodesModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setRefreshInterval(100ms);
    controller.attachCluster(&cluster, &node);
    QVERIFY(controller.isCluster());
    ChannelListModel *list = controller.listModel();
    QTRY_COMPARE(controller.subscribersFor("news"), 2);
    QTRY_COMPARE(controller.subscribersFor("room:7"), 1); // the relay, once, on the owner's shard
    const int row = list->rowOf("room:7");
    QVERIFY(list->index(row, Kind).data().toString().startsWith(u"sharded · shard "_s));
    QCOMPARE(list->index(list->rowOf("news"), Kind).data().toString(), u"classic"_s);
    QCOMPARE(controller.lastSnapshot().clusterNodes, 6);
    QCOMPARE(controller.nodesModel()->rowCount(), 6);
    // Its heartbeat went by SPUBLISH: the directory hears it on the shard.
    QTRY_COMPARE(list->index(list->rowOf("room:7"), RelayClients).data(SortRole).toLongLong(), 2);
    QCOMPARE(list->index(list->rowOf("room:7"), Relays).data(SortRole).toLongLong(), 1);

    // A sharded relay under a channel prefix: its heartbeat channel shows up in a round and is
    // followed on its shard too.
    RedisConnectionOptions prefixedOptions = co;
    prefixedOptions.clientName = u"switchboard-relay:prefixed"_s;
    RedisBus prefixedBus(prefixedOptions);
    prefixedBus.start();
    RelayServerOptions po = so;
    po.instanceId = u"prefixed"_s;
    po.channelPrefix = "app:";
    RelayServer prefixed(po, &prefixedBus);
    QVERIFY(prefixed.listen());
    RelayStatsPublisher prefixedPublisher(&prefixed, 100ms);
    prefixedPublisher.start();
    QTRY_COMPARE_WITH_TIMEOUT(controller.directory()->instanceCount(), 2, 10000);

    controller.detach();
    QCOMPARE(controller.nodesModel()->rowCount(), 0);
    QVERIFY(!controller.isCluster());
    relay.shutdown();
    prefixed.shutdown();
}

QTEST_MAIN(tst_ChannelsController)
#include "tst_channelscontroller.moc"
