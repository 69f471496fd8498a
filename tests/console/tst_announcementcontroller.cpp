// SPDX-License-Identifier: MIT
#include "announcementcontroller.h"
#include "auditlog.h"
#include "redisserver.h"
#include "redissubscriber.h"

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

private:
    std::unique_ptr<RedisServer> m_redis;
    RedisConnectionOptions m_options;
};

void tst_AnnouncementController::initTestCase()
{
    qRegisterMetaType<AnnouncementController::Estimate>();
    qRegisterMetaType<AnnouncementController::Result>();
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_options.url = RedisUrl::parse(m_redis->url());
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

QTEST_GUILESS_MAIN(tst_AnnouncementController)
#include "tst_announcementcontroller.moc"
