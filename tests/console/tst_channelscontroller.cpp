// SPDX-License-Identifier: MIT
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channeltreemodel.h"
#include "pubsubclientmodel.h"
#include "redisbus.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relaydirectory.h"
#include "relayserver.h"
#include "relaystatspublisher.h"
#include "testclient.h"

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

private:
    RedisConnectionOptions options(const QString &name = {}) const;
    std::unique_ptr<RedisServer> m_redis;
};

void tst_ChannelsController::initTestCase()
{
    qRegisterMetaType<PubSubSnapshot>();
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

RedisConnectionOptions tst_ChannelsController::options(const QString &name) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
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

QTEST_MAIN(tst_ChannelsController)
#include "tst_channelscontroller.moc"
