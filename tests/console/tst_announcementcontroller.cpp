// SPDX-License-Identifier: MIT
#include "announcementcontroller.h"
#include "auditlog.h"
#include "redisclusterconnection.h"
#include "redisclustersubscriber.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "testcluster.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(AnnouncementController::Estimate)
Q_DECLARE_METATYPE(AnnouncementController::Result)

class tst_AnnouncementController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void estimatesPublishesAndAudits();
    void readOnlyRefusesAndSendsNothing();
    void templates();
    void onAClusterShardedAndClassicAudiences();

private:
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<TestCluster> m_cluster;
    RedisConnectionOptions m_options;
};

void tst_AnnouncementController::initTestCase()
{
    qRegisterMetaType<AnnouncementController::Estimate>();
    qRegisterMetaType<AnnouncementController::Result>();
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_options.url = RedisUrl::parse(m_redis->url());
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_AnnouncementController::estimatesPublishesAndAudits()
{
    RedisSubscriber s1(m_options), s2(m_options);
    s1.open();
    s2.open();
    s1.subscribe("app:room:1");
    s2.subscribe("app:room:1");
    s2.subscribe("app:room:2");
    QTRY_VERIFY(s1.isSubscribed("app:room:1") && s2.isSubscribed("app:room:2"));
    QSignalSpy received(&s2, &RedisSubscriber::message);

    QTemporaryDir dir;
    AuditLog log;
    QVERIFY(log.open(dir.filePath(u"audit.ndjson"_s)));
    RedisConnection connection(m_options);
    connection.open();
    QTRY_VERIFY(connection.isReady());
    AnnouncementController controller(&log);
    controller.setConnection(&connection);
    controller.setProfileName(u"staging"_s);
    controller.setChannelPrefix("app:");
    controller.setRelayAudience([](const QByteArray &channel) -> std::optional<qint64> {
        return channel == "app:room:1" ? std::optional<qint64>(40) : std::nullopt;
    });

    Announcement a;
    a.text = u"Deploy in 5 minutes"_s;
    a.level = Announcement::Level::Warning;
    a.broadcast = false;
    a.rooms = {u"1"_s, u"2"_s};
    a.stamp();
    QSignalSpy estimates(&controller, &AnnouncementController::estimateReady);
    controller.requestEstimate(a);
    QVERIFY(estimates.wait());
    const auto estimate = estimates.at(0).at(0).value<AnnouncementController::Estimate>();
    QCOMPARE(estimate.channels, (QByteArrayList{"app:room:1", "app:room:2"}));
    QCOMPARE(estimate.subscribers, (QList<qint64>{2, 1}));
    QCOMPARE(estimate.totalSubscribers, 3);
    QCOMPARE(estimate.relayClients.value_or(-1), 40);

    QSignalSpy published(&controller, &AnnouncementController::published);
    QVERIFY(controller.publish(a));
    QVERIFY(published.wait());
    const auto result = published.at(0).at(0).value<AnnouncementController::Result>();
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.receivers, (QList<qint64>{2, 1}));
    QCOMPARE(result.total, 3);
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(1).toByteArray(), a.toJson());
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(log.entryAt(0).id, a.id);
    QCOMPARE(log.entryAt(0).profile, u"staging"_s);
    QCOMPARE(log.entryAt(0).receivers, (QList<qint64>{2, 1}));
}

void tst_AnnouncementController::readOnlyRefusesAndSendsNothing()
{
    RedisSubscriber watcher(m_options);
    watcher.open();
    watcher.subscribe("broadcast");
    QTRY_VERIFY(watcher.isSubscribed("broadcast"));
    QSignalSpy received(&watcher, &RedisSubscriber::message);
    QTemporaryDir dir;
    AuditLog log;
    QVERIFY(log.open(dir.filePath(u"audit.ndjson"_s)));
    RedisConnection connection(m_options);
    connection.open();
    QTRY_VERIFY(connection.isReady());
    AnnouncementController controller(&log);
    controller.setConnection(&connection);
    controller.setReadOnly(true);
    Announcement a;
    a.text = u"should not go out"_s;
    a.stamp();
    QVERIFY(!controller.blocker(a).isEmpty());
    QSignalSpy published(&controller, &AnnouncementController::published);
    QVERIFY(!controller.publish(a));
    QCOMPARE(published.size(), 1);
    QVERIFY(!published.at(0).at(0).value<AnnouncementController::Result>().error.isEmpty());
    // The refusal is audited, and a round trip proves nothing was published.
    QCOMPARE(log.rowCount(), 1);
    QVERIFY(!log.entryAt(0).error.isEmpty());
    m_redis->command({"PUBLISH"_ba, "broadcast"_ba, "marker"_ba});
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(received.at(0).at(1).toByteArray(), "marker"_ba);
}

void tst_AnnouncementController::templates()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"t.ini"_s), QSettings::IniFormat);
    TemplateStore store(&settings);
    Announcement a;
    a.text = u"Back soon"_s;
    a.level = Announcement::Level::Critical;
    a.broadcast = false;
    a.rooms = {u"ops"_s};
    store.save(u"maintenance"_s, a);
    QCOMPARE(store.names(), QStringList{u"maintenance"_s});
    const auto loaded = store.load(u"maintenance"_s);
    QVERIFY(loaded);
    QCOMPARE(loaded->text, a.text);
    QCOMPARE(loaded->level, a.level);
    QCOMPARE(loaded->broadcast, false);
    QCOMPARE(loaded->rooms, a.rooms);
    store.remove(u"maintenance"_s);
    QVERIFY(!store.load(u"maintenance"_s));
}

// A mixed fleet on a Cluster: a relay in sharded mode (SSUBSCRIBE on the owner) and a classic one
// (SUBSCRIBE on another primary) on app:room:lobby; only the sharded relay on app:room:1. PUBLISH on a
// Cluster returns the receivers of the node that took it only: the classic one is on another node, so
// PUBLISH returns 0 and the message reaches it all the same.
void tst_AnnouncementController::onAClusterShardedAndClassicAudiences()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->url());
    RedisClusterConnection cluster(o);
    RedisClusterSubscriber sharded(&cluster);
    QSignalSpy shardedReceived(&sharded, &RedisClusterSubscriber::message);
    cluster.open();
    sharded.open();
    sharded.subscribe("app:room:lobby"_ba);
    sharded.subscribe("app:room:1"_ba);
    RedisServer *owner = m_cluster->primaryOf(RedisClusterTopology::keySlot("app:room:lobby"));
    RedisServer *other = m_cluster->primaries().constFirst() == owner ? m_cluster->primaries().constLast()
                                                                      : m_cluster->primaries().constFirst();
    RedisConnectionOptions elsewhere;
    elsewhere.url = RedisUrl::parse(other->url());
    RedisSubscriber classic(elsewhere);
    QSignalSpy classicReceived(&classic, &RedisSubscriber::message);
    classic.open();
    classic.subscribe("app:room:lobby"_ba);
    QTRY_VERIFY(sharded.isSettled() && classic.isSubscribed("app:room:lobby"_ba));

    RedisConnectionOptions first;
    first.url = RedisUrl::parse(m_cluster->nodes().constFirst()->url());
    RedisConnection connection(first);
    connection.open();
    QTRY_VERIFY(connection.isReady());
    QTemporaryDir dir;
    AuditLog log;
    QVERIFY(log.open(dir.filePath(u"audit.ndjson"_s)));
    AnnouncementController controller(&log);
    controller.setConnection(&connection);
    controller.setCluster(&cluster);
    controller.setChannelPrefix("app:");

    Announcement a;
    a.text = u"Maintenance at 22:00"_s;
    a.broadcast = false;
    a.rooms = {u"lobby"_s, u"1"_s};
    a.stamp();
    QSignalSpy estimates(&controller, &AnnouncementController::estimateReady);
    controller.requestEstimate(a);
    QVERIFY(estimates.wait());
    const auto estimate = estimates.at(0).at(0).value<AnnouncementController::Estimate>();
    QVERIFY2(estimate.error.isEmpty(), qPrintable(estimate.error));
    QCOMPARE(estimate.channels, (QByteArrayList{"app:room:lobby", "app:room:1"}));
    QCOMPARE(estimate.subscribers, (QList<qint64>{2, 1}));
    QCOMPARE(estimate.shardedSubscribers, (QList<qint64>{1, 1}));
    QCOMPARE(estimate.commands, (QStringList{u"SPUBLISH + PUBLISH"_s, u"SPUBLISH"_s}));
    QCOMPARE(estimate.totalSubscribers, 3);

    QSignalSpy published(&controller, &AnnouncementController::published);
    QVERIFY(controller.publish(a));
    QVERIFY(published.wait());
    const auto result = published.at(0).at(0).value<AnnouncementController::Result>();
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.receivers, (QList<qint64>{1, 1}));
    QCOMPARE(result.total, 2);
    QCOMPARE(result.commands, (QStringList{u"SPUBLISH 1 + PUBLISH 0"_s, u"SPUBLISH 1"_s}));
    QTRY_COMPARE(shardedReceived.size(), 2);
    QTRY_COMPARE(classicReceived.size(), 1);
    QCOMPARE(classicReceived.at(0).at(1).toByteArray(), a.toJson());
    QCOMPARE(log.entryAt(0).commands, result.commands);
}

QTEST_GUILESS_MAIN(tst_AnnouncementController)
#include "tst_announcementcontroller.moc"
