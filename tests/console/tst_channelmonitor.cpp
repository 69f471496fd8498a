// SPDX-License-Identifier: MIT
#include "channelmonitor.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(PubSubSnapshot)

class tst_ChannelMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void snapshotCounts_data();
    void snapshotCounts();
    void pollsOnInterval();
    void parseClientList_data();
    void parseClientList();

private:
    RedisConnectionOptions options(const QString &name = {}) const;
    std::unique_ptr<RedisServer> m_redis;
};

void tst_ChannelMonitor::initTestCase()
{
    qRegisterMetaType<PubSubSnapshot>();
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

RedisConnectionOptions tst_ChannelMonitor::options(const QString &name) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
    return o;
}

void tst_ChannelMonitor::snapshotCounts_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("batchSize");
    QTest::newRow("few, one batch") << 5 << 1000;
    QTest::newRow("many, several batches") << 2500 << 1000;
    QTest::newRow("batch of one") << 7 << 1;
}

void tst_ChannelMonitor::snapshotCounts()
{
    QFETCH(int, channels);
    QFETCH(int, batchSize);
    // Two subscribers: one on every channel, a "relay" on the even ones and a pattern.
    RedisSubscriber all(options(u"watcher"_s));
    RedisSubscriber relay(options(u"switchboard-relay:r1"_s));
    all.open();
    relay.open();
    for (int i = 0; i < channels; ++i) {
        all.subscribe("snap:" + QByteArray::number(i));
        if (i % 2 == 0)
            relay.subscribe("snap:" + QByteArray::number(i));
    }
    relay.psubscribe("snap:*"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(all.isSubscribed("snap:" + QByteArray::number(channels - 1)) &&
                                 relay.isSubscribed("snap:0"_ba) && relay.isPSubscribed("snap:*"_ba),
                             10000);

    RedisConnection connection(options());
    connection.open();
    ChannelMonitor monitor(&connection);
    monitor.setBatchSize(batchSize);
    QSignalSpy ready(&monitor, &ChannelMonitor::snapshotReady);
    monitor.refresh();
    monitor.refresh(); // ignored while a round is running
    QVERIFY(ready.wait(10000));
    const auto snap = ready.first().first().value<PubSubSnapshot>();
    QCOMPARE(snap.channels.size(), channels);
    for (const auto &c : snap.channels) {
        const int i = c.name.mid(5).toInt();
        QCOMPARE(c.subscribers, i % 2 == 0 ? 2 : 1);
    }
    QVERIFY(std::is_sorted(snap.channels.cbegin(), snap.channels.cend(),
                           [](const auto &a, const auto &b) { return a.name < b.name; }));
    QCOMPARE(snap.patternSubscriptions, 1);
    QCOMPARE(snap.clients.size(), 2);
    const auto relayClient = std::find_if(snap.clients.cbegin(), snap.clients.cend(),
                                          [](const PubSubClient &c) { return c.isRelay(); });
    QVERIFY(relayClient != snap.clients.cend());
    QCOMPARE(relayClient->channels, (channels + 1) / 2);
    QCOMPARE(relayClient->patterns, 1);
    QCOMPARE(ready.size(), 1);
}

void tst_ChannelMonitor::pollsOnInterval()
{
    RedisConnection connection(options());
    connection.open();
    ChannelMonitor monitor(&connection);
    QSignalSpy ready(&monitor, &ChannelMonitor::snapshotReady);
    monitor.setInterval(50ms);
    QTRY_VERIFY(ready.size() >= 3);
    monitor.setInterval(0ms);
    const qsizetype seen = ready.size();
    // Off means off: a manual refresh still works and no timer round follows it.
    monitor.refresh();
    QTRY_COMPARE(ready.size(), seen + 1);
    QVERIFY(!monitor.isRefreshing());
}

void tst_ChannelMonitor::parseClientList_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("firstName");
    QTest::addColumn<int>("firstSub");
    QTest::newRow("two") << "id=3 addr=127.0.0.1:1 name=switchboard-relay:a sub=4 psub=0\n"
                            "id=4 addr=127.0.0.1:2 name= sub=0 psub=2\n"_ba
                         << 2 << u"switchboard-relay:a"_s << 4;
    QTest::newRow("empty") << ""_ba << 0 << u""_s << 0;
}

void tst_ChannelMonitor::parseClientList()
{
    QFETCH(QByteArray, text);
    const QList<PubSubClient> clients = ChannelMonitor::parseClientList(text);
    QTEST(int(clients.size()), "count");
    if (!clients.isEmpty()) {
        QTEST(clients.first().name, "firstName");
        QTEST(clients.first().channels, "firstSub");
        QVERIFY(clients.first().isRelay());
        QVERIFY(!clients.last().isRelay());
    }
}

QTEST_MAIN(tst_ChannelMonitor)
#include "tst_channelmonitor.moc"
