// SPDX-License-Identifier: MIT
#include "redisserver.h"
#include "redissubscriber.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RedisSubscriber : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void subscribeConfirmsAndDelivers_data();
    void subscribeConfirmsAndDelivers();
    void referenceCounting();
    void patterns();
    void batchesOneTurnIntoOneCommand();
    void resubscribesAfterRestart();
    void usesItsOwnNamedConnection();
    void emptyCommandIsRefused();
    void heartbeatDetectsStalledServer();

private:
    RedisSubscriber *makeSubscriber(const QString &name = {});
    std::unique_ptr<RedisServer> m_redis;
};

void tst_RedisSubscriber::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RedisSubscriber::cleanup()
{
    m_redis.reset();
}

RedisSubscriber *tst_RedisSubscriber::makeSubscriber(const QString &name)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
    auto *s = new RedisSubscriber(o, this);
    s->open();
    return s;
}

static qint64 numsub(RedisServer &redis, const QByteArray &channel)
{
    const RedisValue r = redis.command({"PUBSUB", "NUMSUB", channel});
    return r.elements().size() == 2 ? r.elements()[1].toInteger() : -1;
}

void tst_RedisSubscriber::subscribeConfirmsAndDelivers_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("plain") << "room:1"_ba
                           << "hello"_ba;
    QTest::newRow("json") << "broadcast"_ba
                          << R"({"type":"announcement","text":"hi"})"_ba;
    QTest::newRow("binary") << "bin"_ba << QByteArray("\0\r\n\xff", 4);
    QTest::newRow("spaces in channel") << "a b"_ba
                                       << "x"_ba;
}

void tst_RedisSubscriber::subscribeConfirmsAndDelivers()
{
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, payload);
    RedisSubscriber *s = makeSubscriber();
    QSignalSpy confirmed(s, &RedisSubscriber::subscribed);
    QSignalSpy messages(s, &RedisSubscriber::message);
    s->subscribe(channel);
    QVERIFY(!s->isSubscribed(channel));
    QVERIFY(confirmed.wait());
    QCOMPARE(confirmed.first().first().toByteArray(), channel);
    QVERIFY(s->isSubscribed(channel));
    QCOMPARE(numsub(*m_redis, channel), 1);

    QCOMPARE(m_redis->command({"PUBLISH", channel, payload}).toInteger(), 1);
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().at(0).toByteArray(), channel);
    QCOMPARE(messages.first().at(1).toByteArray(), payload);
}

void tst_RedisSubscriber::referenceCounting()
{
    RedisSubscriber *s = makeSubscriber();
    QSignalSpy confirmed(s, &RedisSubscriber::subscribed);
    QSignalSpy gone(s, &RedisSubscriber::unsubscribed);
    s->subscribe("r"_ba);
    s->subscribe("r"_ba);
    QVERIFY(confirmed.wait());
    QCOMPARE(s->channelRefCount("r"_ba), 2);
    s->unsubscribe("r"_ba);
    // Still referenced: nothing is sent, Redis keeps the subscription.
    QTRY_COMPARE(numsub(*m_redis, "r"_ba), 1);
    QVERIFY(s->isSubscribed("r"_ba));
    s->unsubscribe("r"_ba);
    QVERIFY(gone.wait());
    QCOMPARE(numsub(*m_redis, "r"_ba), 0);
    QVERIFY(!s->isSubscribed("r"_ba));
    QVERIFY(s->channels().isEmpty());

    // Unsubscribe and subscribe again in one turn: net effect is none, state stays consistent.
    s->subscribe("q"_ba);
    QTRY_VERIFY(s->isSubscribed("q"_ba));
    s->unsubscribe("q"_ba);
    s->subscribe("q"_ba);
    QTRY_VERIFY(s->isSubscribed("q"_ba));
    QCOMPARE(numsub(*m_redis, "q"_ba), 1);
}

void tst_RedisSubscriber::patterns()
{
    RedisSubscriber *s = makeSubscriber();
    QSignalSpy confirmed(s, &RedisSubscriber::psubscribed);
    QSignalSpy pmessages(s, &RedisSubscriber::pmessage);
    QSignalSpy messages(s, &RedisSubscriber::message);
    s->psubscribe("room:*"_ba);
    QVERIFY(confirmed.wait());
    QVERIFY(s->isPSubscribed("room:*"_ba));
    QCOMPARE(m_redis->command({"PUBSUB", "NUMPAT"}).toInteger(), 1);
    m_redis->command({"PUBLISH", "room:7", "x"});
    m_redis->command({"PUBLISH", "other", "y"});
    QVERIFY(pmessages.wait());
    QCOMPARE(pmessages.first().at(0).toByteArray(), "room:*"_ba);
    QCOMPARE(pmessages.first().at(1).toByteArray(), "room:7"_ba);
    QCOMPARE(pmessages.first().at(2).toByteArray(), "x"_ba);
    QCOMPARE(messages.size(), 0);
    s->punsubscribe("room:*"_ba);
    QTRY_COMPARE(m_redis->command({"PUBSUB", "NUMPAT"}).toInteger(), 0);
}

void tst_RedisSubscriber::batchesOneTurnIntoOneCommand()
{
    RedisSubscriber *s = makeSubscriber();
    QTRY_VERIFY(s->connection()->isReady());
    QSignalSpy confirmed(s, &RedisSubscriber::subscribed);
    for (int i = 0; i < 2500; ++i)
        s->subscribe("c" + QByteArray::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 2500, 10000);
    const RedisValue info = m_redis->command({"INFO", "commandstats"});
    // 2,500 channels in batches of at most 1,000: three SUBSCRIBE calls, not 2,500.
    const QByteArray stats = info.bytes();
    const qsizetype at = stats.indexOf("cmdstat_subscribe:calls=");
    QVERIFY(at >= 0);
    const int calls = stats.mid(at + 24, stats.indexOf(',', at) - at - 24).toInt();
    QCOMPARE(calls, 3);
}

void tst_RedisSubscriber::resubscribesAfterRestart()
{
    RedisSubscriber *s = makeSubscriber();
    s->subscribe("broadcast"_ba);
    s->subscribe("room:a"_ba);
    s->psubscribe("room:*"_ba);
    QTRY_VERIFY(s->isSubscribed("room:a"_ba) && s->isPSubscribed("room:*"_ba));
    QSignalSpy resubscribed(s, &RedisSubscriber::resubscribed);

    QVERIFY(m_redis->restart());
    QVERIFY(resubscribed.wait(5000));
    QVERIFY(s->isSubscribed("broadcast"_ba));
    QVERIFY(s->isSubscribed("room:a"_ba));
    QVERIFY(s->isPSubscribed("room:*"_ba));
    QCOMPARE(numsub(*m_redis, "room:a"_ba), 1);
    QCOMPARE(m_redis->command({"PUBSUB", "NUMPAT"}).toInteger(), 1);

    QSignalSpy messages(s, &RedisSubscriber::message);
    m_redis->command({"PUBLISH", "room:a", "after"});
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().at(1).toByteArray(), "after"_ba);
}

void tst_RedisSubscriber::usesItsOwnNamedConnection()
{
    RedisSubscriber *s = makeSubscriber(u"switchboard-relay:t1"_s);
    s->subscribe("x"_ba);
    QTRY_VERIFY(s->isSubscribed("x"_ba));
    const QByteArray list = m_redis->command({"CLIENT", "LIST", "TYPE", "pubsub"}).bytes();
    QVERIFY2(list.contains("name=switchboard-relay:t1 "), list.constData());
}

void tst_RedisSubscriber::emptyCommandIsRefused()
{
    // The subscriber's connection is in push mode, where nothing is matched to a callback: an
    // empty command must still be refused with its own error, and the subscription go on.
    RedisSubscriber *s = makeSubscriber();
    QTRY_VERIFY(s->connection()->isReady());
    QList<RedisValue> refused;
    s->connection()->command({}, this, [&](const RedisValue &r) { refused << r; });
    QCOMPARE(s->connection()->bytesToWrite(), 0);
    s->subscribe("after-empty"_ba);
    QTRY_VERIFY(s->isSubscribed("after-empty"_ba));
    QTRY_COMPARE(refused.size(), 1);
    QVERIFY(refused.first().isError());
    QCOMPARE(refused.first().bytes(), "ERR switchboard: empty command (no arguments)"_ba);
    QSignalSpy messages(s, &RedisSubscriber::message);
    QCOMPARE(m_redis->command({"PUBLISH", "after-empty", "x"}).toInteger(), 1);
    QVERIFY(messages.wait());
}

// As tst_redisconnection::heartbeatDetectsStalledServer: 300 ms + 700 ms, expected about 1 s;
// bounds ten times that for two loaded cores. PING in subscribe mode answers ["pong", ""].
void tst_RedisSubscriber::heartbeatDetectsStalledServer()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = u"switchboard-relay:heartbeat"_s;
    o.heartbeat.interval = 300ms;
    o.heartbeat.timeout = 700ms;
    auto *s = new RedisSubscriber(o, this);
    s->open();
    s->subscribe("room:a"_ba);
    QTRY_VERIFY(s->isSubscribed("room:a"_ba));
    RedisConnection *c = s->connection();
    QSignalSpy states(c, &RedisConnection::stateChanged);
    QSignalSpy resubscribed(s, &RedisSubscriber::resubscribed);
    // Healthy and idle in subscribe mode: the heartbeat keeps it up.
    const QByteArray pingStat = "cmdstat_ping:calls=";
    const auto pings = [&] {
        const QByteArray stats = m_redis->command({"INFO", "commandstats"}).bytes();
        const qsizetype at = stats.indexOf(pingStat);
        return at < 0 ? 0 : stats.mid(at + pingStat.size(), stats.indexOf(',', at) - at - pingStat.size()).toInt();
    };
    const int pingsBefore = pings();
    QTRY_VERIFY_WITH_TIMEOUT(pings() >= pingsBefore + 2, 10000);
    QVERIFY(states.isEmpty());

    QVERIFY(m_redis->pause());
    QTRY_VERIFY_WITH_TIMEOUT(!c->isReady(), 10000);
    const QString expected = u"no reply to PING within 700 ms (heartbeat)"_s;
    // What RedisBus counts a subscriber gap from: the connection leaving Ready, with the cause,
    // until resubscribed().
    QCOMPARE(states.first().at(0).value<RedisConnection::State>(), RedisConnection::State::Reconnecting);
    QCOMPARE(states.first().at(1).toString(), expected);
    QCOMPARE(c->lastError(), expected);
    QVERIFY(!s->isSettled());
    QVERIFY(!s->isSubscribed("room:a"_ba));
    QVERIFY(resubscribed.isEmpty());

    QVERIFY(m_redis->resume());
    QVERIFY(resubscribed.wait(15000));
    QVERIFY(s->isSubscribed("room:a"_ba));
    QSignalSpy messages(s, &RedisSubscriber::message);
    QCOMPARE(m_redis->command({"PUBLISH", "room:a", "after"}).toInteger(), 1);
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().at(1).toByteArray(), "after"_ba);
}

QTEST_MAIN(tst_RedisSubscriber)
#include "tst_redissubscriber.moc"
