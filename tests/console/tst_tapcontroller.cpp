// SPDX-License-Identifier: MIT
#include "redisclusterconnection.h"
#include "redisserver.h"
#include "tapcontroller.h"
#include "testcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TapController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsWhatAnotherConnectionPublishes();
    void pauseCountsButDoesNotBuffer();
    void plumbingHiddenFromPatterns_data();
    void plumbingHiddenFromPatterns();
    void protectionSamplesAFloodAndSaysSo();
    void resubscribesAfterRedisRestarts();
    void tapsAShardedChannelOnItsShard();

private:
    RedisConnectionOptions options() const;
    bool waitForSubscribers(const QByteArray &channel, qint64 count);
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_TapController::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

RedisConnectionOptions tst_TapController::options() const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    return o;
}

bool tst_TapController::waitForSubscribers(const QByteArray &channel, qint64 count)
{
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        const RedisValue v = m_redis->command({"PUBSUB"_ba, "NUMSUB"_ba, channel});
        if (v.elements().size() == 2 && v.elements()[1].toInteger() >= count)
            return true;
        QTest::qWait(10);
    }
    return false;
}

void tst_TapController::plumbingHiddenFromPatterns_data()
{
    QTest::addColumn<bool>("show");
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArrayList>("expected");
    const QByteArrayList everything{"room:1", "switchboard:relays", "app:switchboard:probe:r1",
                                    "room:switchboard-canary"};
    QTest::newRow("hidden from *") << false << "*"_ba << QByteArrayList{"room:1"};
    QTest::newRow("shown when asked") << true << "*"_ba << everything;
    QTest::newRow("a pattern naming switchboard shows it")
        << false << "*switchboard*"_ba
        << QByteArrayList{"switchboard:relays", "app:switchboard:probe:r1", "room:switchboard-canary"};
}

void tst_TapController::plumbingHiddenFromPatterns()
{
    QFETCH(bool, show);
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArrayList, expected);
    TapController tap;
    QSignalSpy received(&tap, &TapController::messageReceived);
    tap.setShowPlumbing(show);
    tap.setConnectionOptions(options());
    tap.addPattern(pattern);
    // Only this row's tap is subscribed (an earlier row's connection may still be closing).
    const auto tapsSubscribed = [this] {
        const QByteArrayList lines = m_redis->command({"CLIENT"_ba, "LIST"_ba}).bytes().split('\n');
        return std::count_if(lines.cbegin(), lines.cend(),
                             [](const QByteArray &line) {
                                 return line.contains("name=switchboard-console:tap ");
                             }) == 1 &&
               m_redis->command({"PUBSUB"_ba, "NUMPAT"_ba}).toInteger() == 1;
    };
    QTRY_VERIFY(tapsSubscribed());
    for (const QByteArray &channel : {"room:1"_ba, "switchboard:relays"_ba, "app:switchboard:probe:r1"_ba,
                                      "room:switchboard-canary"_ba, "last"_ba})
        m_redis->command({"PUBLISH"_ba, channel, "x"_ba});
    // "last" is a marker only the * rows receive; the other row waits for its three.
    QTRY_COMPARE(tap.model()->rowCount() + int(tap.plumbingHidden()), pattern == "*" ? 5 : 3);
    QByteArrayList got;
    for (int i = 0; i < tap.model()->rowCount(); ++i) {
        if (tap.model()->entry(i).channel != "last")
            got.append(tap.model()->entry(i).channel);
    }
    QCOMPARE(got, expected);
    // Recordings and meters see what the list sees.
    QCOMPARE(received.size(), tap.model()->rowCount());
    QCOMPARE(tap.meter()->totalMessages(), quint64(tap.model()->rowCount()));
    QCOMPARE(tap.plumbingHidden(), quint64(show || pattern != "*" ? 0 : 3));
}

void tst_TapController::showsWhatAnotherConnectionPublishes()
{
    TapController tap;
    QAbstractItemModelTester tester(tap.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    tap.setConnectionOptions(options());
    tap.addChannel("news");
    tap.addPattern("room:*");
    QVERIFY(waitForSubscribers("news", 1));
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMPAT"_ba}).toInteger(), 1);
    m_redis->command({"PUBLISH"_ba, "news"_ba, "{\"headline\":1}"_ba});
    m_redis->command({"PUBLISH"_ba, "room:7"_ba, "hello"_ba});
    m_redis->command({"PUBLISH"_ba, "elsewhere"_ba, "not tapped"_ba});
    QTRY_COMPARE(tap.model()->rowCount(), 2);
    QCOMPARE(tap.model()->entry(0).channel, "news"_ba);
    QCOMPARE(tap.model()->entry(0).payload, "{\"headline\":1}"_ba);
    QCOMPARE(tap.model()->entry(0).pattern, QByteArray());
    QCOMPARE(tap.model()->entry(1).channel, "room:7"_ba);
    QCOMPARE(tap.model()->entry(1).pattern, "room:*"_ba);
    QCOMPARE(tap.meter()->totalMessages(), 2ull);
    // The tap names its own connection and never shares it with publishing.
    QVERIFY(m_redis->command({"CLIENT"_ba, "LIST"_ba}).bytes().contains("name=switchboard-console:tap"));
    tap.removeChannel("news");
    QVERIFY(tap.channels().isEmpty());
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMSUB"_ba, "news"_ba}).elements()[1].toInteger(), 0);
}

void tst_TapController::pauseCountsButDoesNotBuffer()
{
    TapController tap;
    tap.setConnectionOptions(options());
    tap.addChannel("p");
    QVERIFY(waitForSubscribers("p", 1));
    QSignalSpy paused(&tap, &TapController::pausedChanged);
    tap.pause();
    QCOMPARE(paused.size(), 1);
    for (int i = 0; i < 5; ++i)
        m_redis->command({"PUBLISH"_ba, "p"_ba, QByteArray::number(i)});
    QTRY_COMPARE(tap.missedWhilePaused(), 5ull);
    tap.model()->flush();
    QCOMPARE(tap.model()->rowCount(), 0);
    QCOMPARE(tap.meter()->totalMessages(), 5ull);
    tap.resume();
    m_redis->command({"PUBLISH"_ba, "p"_ba, "after"_ba});
    QTRY_COMPARE(tap.model()->rowCount(), 1);
    QCOMPARE(tap.model()->entry(0).payload, "after"_ba);
}

void tst_TapController::protectionSamplesAFloodAndSaysSo()
{
    TapController tap;
    tap.setMaxRowsPerSecond(50);
    tap.setConnectionOptions(options());
    tap.addChannel("flood");
    QVERIFY(waitForSubscribers("flood", 1));
    QSignalSpy protection(&tap, &TapController::protectionChanged);
    // Publish far more than 50 per second until the tap reacts (it evaluates once a second).
    QByteArrayList script{"EVAL"_ba, "for i=1,400 do redis.call('PUBLISH','flood',i) end"_ba, "0"_ba};
    QDeadlineTimer deadline(10000);
    while (tap.protection() == TapController::Protection::Normal && !deadline.hasExpired()) {
        m_redis->command(script);
        QTest::qWait(20);
    }
    QVERIFY(tap.protection() != TapController::Protection::Normal);
    QVERIFY(protection.size() >= 1);
    QVERIFY(!tap.protectionMessage().isEmpty());
    // Protection is engaged: the next burst is sampled, not buffered row by row.
    const quint64 before = tap.received();
    m_redis->command(script);
    QTRY_COMPARE(tap.received(), before + 400);
    QVERIFY(tap.sampledAway() > 0);
    // Counts stay exact even though rows are sampled.
    QTRY_COMPARE(tap.meter()->totalMessages(), tap.received());
    tap.model()->flush();
    QVERIFY(quint64(tap.model()->rowCount()) < tap.received());
    // Traffic stops: the tap returns to normal on its own.
    QTRY_VERIFY_WITH_TIMEOUT(tap.protection() == TapController::Protection::Normal, 8000);
    QVERIFY(tap.protectionMessage().isEmpty());
}

void tst_TapController::resubscribesAfterRedisRestarts()
{
    RedisServer redis;
    QVERIFY(redis.start());
    TapController tap;
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(redis.url());
    tap.setConnectionOptions(o);
    tap.addChannel("again");
    QTRY_COMPARE(redis.command({"PUBSUB"_ba, "NUMSUB"_ba, "again"_ba}).elements()[1].toInteger(), 1);
    QVERIFY(redis.restart());
    QTRY_VERIFY_WITH_TIMEOUT(
        redis.command({"PUBSUB"_ba, "NUMSUB"_ba, "again"_ba}).elements().size() == 2 &&
            redis.command({"PUBSUB"_ba, "NUMSUB"_ba, "again"_ba}).elements()[1].toInteger() == 1,
        10000);
    redis.command({"PUBLISH"_ba, "again"_ba, "back"_ba});
    QTRY_COMPARE(tap.model()->rowCount(), 1);
}

// On a Cluster: a sharded channel is tapped with SSUBSCRIBE on its owner (an SPUBLISH reaches it there
// only), a classic one on the node the console talks to (a PUBLISH on any node reaches it).
void tst_TapController::tapsAShardedChannelOnItsShard()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->url());
    RedisClusterConnection cluster(o);
    cluster.open();
    QTRY_VERIFY(cluster.isReady());
    TapController tap;
    QAbstractItemModelTester tester(tap.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    RedisServer *seed = m_cluster->nodes().constFirst();
    RedisConnectionOptions node;
    node.url = RedisUrl::parse(seed->url());
    tap.setConnectionOptions(node);
    tap.setCluster(&cluster, [](const QByteArray &channel) {
        return channel.startsWith("orders") ? PubSubSnapshot::Kind::Sharded
                                            : PubSubSnapshot::Kind::Classic;
    });
    tap.addChannel("orders:{eu}"_ba);
    tap.addChannel("news"_ba);
    QVERIFY(tap.isSharded("orders:{eu}"_ba));
    QVERIFY(!tap.isSharded("news"_ba));
    const auto count = [](const RedisValue &reply) {
        return reply.elements().size() == 2 ? reply.elements()[1].toInteger() : qint64(-1);
    };
    const auto shardNumsub = [this, count] {
        return count(m_cluster->commandFor("orders:{eu}"_ba, {"PUBSUB"_ba, "SHARDNUMSUB"_ba, "orders:{eu}"_ba}));
    };
    const auto numsub = [seed, count](const QByteArray &channel) {
        return count(seed->command({"PUBSUB"_ba, "NUMSUB"_ba, channel}));
    };
    // Subscribed where each belongs: sharded on the owner of the slot, classic on the seed only.
    QTRY_COMPARE(shardNumsub(), 1);
    QTRY_COMPARE(numsub("news"_ba), 1);
    QCOMPARE(numsub("orders:{eu}"_ba), 0);

    std::optional<RedisValue> reply;
    cluster.command({"SPUBLISH"_ba, "orders:{eu}"_ba, "order 1"_ba}, this,
                    [&reply](const RedisValue &r) { reply = r; });
    QTRY_VERIFY(reply.has_value());
    QCOMPARE(reply->toInteger(), 1);
    // A classic PUBLISH on another node than the seed reaches the tap too.
    m_cluster->nodes().constLast()->command({"PUBLISH"_ba, "news"_ba, "headline"_ba});
    QTRY_COMPARE(tap.model()->rowCount(), 2);
    QByteArrayList seen{tap.model()->entry(0).channel, tap.model()->entry(1).channel};
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen, (QByteArrayList{"news"_ba, "orders:{eu}"_ba}));

    tap.removeChannel("orders:{eu}"_ba);
    QTRY_COMPARE(shardNumsub(), 0);
    tap.disconnectFromRedis();
}

QTEST_GUILESS_MAIN(tst_TapController)
#include "tst_tapcontroller.moc"
