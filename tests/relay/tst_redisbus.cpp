// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// RedisBus against a real redis-server: publishes survive outages in order and exactly once,
// the outage queue is bounded, a cut subscriber is reported and recovers.
class tst_RedisBus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void publishesDuringOutageArriveOnceInOrder();
    void outageQueueDropsOldest_data();
    void outageQueueDropsOldest();
    void redisRefusalIsCountedNotRetried();
    void cutSubscriberIsReportedAndRecovers();
    void flushSendsWithoutTheEventLoop();

private:
    RedisBus *makeBus(const QString &name, RedisBusOptions busOptions = {}, const QString &url = {});
    // A listener on its own connection, recording payloads of one channel in arrival order.
    RedisSubscriber *listen(const QByteArray &channel, QByteArrayList *received);

    std::unique_ptr<RedisServer> m_redis;
    QList<QObject *> m_owned;
};

void tst_RedisBus::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RedisBus::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
    m_redis.reset();
}

RedisBus *tst_RedisBus::makeBus(const QString &name, RedisBusOptions busOptions, const QString &url)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(url.isEmpty() ? m_redis->url() : url);
    o.clientName = name;
    o.reconnectMaxDelay = 200ms;
    auto *bus = new RedisBus(o, busOptions);
    m_owned.append(bus);
    bus->start();
    return bus;
}

RedisSubscriber *tst_RedisBus::listen(const QByteArray &channel, QByteArrayList *received)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.reconnectMaxDelay = 100ms;
    auto *s = new RedisSubscriber(o);
    m_owned.append(s);
    connect(s, &RedisSubscriber::message, this,
            [channel, received](const QByteArray &c, const QByteArray &p) {
                if (c == channel)
                    received->append(p);
            });
    s->open();
    s->subscribe(channel);
    return s;
}

void tst_RedisBus::publishesDuringOutageArriveOnceInOrder()
{
    RedisBusOptions bo;
    bo.replayDelay = 300ms; // the listener reconnects within 100 ms
    RedisBus *bus = makeBus(u"bus"_s, bo);
    QByteArrayList received;
    RedisSubscriber *listener = listen("ch", &received);
    QTRY_VERIFY(listener->isSubscribed("ch") && bus->isConnected());

    bus->publish("ch", "before");
    QTRY_COMPARE(received, QByteArrayList{"before"});

    m_redis->stop();
    QTRY_VERIFY(!bus->isConnected());
    constexpr int N = 1000;
    for (int i = 0; i < N; ++i)
        bus->publish("ch", QByteArray::number(i));
    QCOMPARE(bus->pendingPublishes(), N);
    QSignalSpy replayed(bus, &RedisBus::replayed);
    QVERIFY(m_redis->start());

    QVERIFY(replayed.wait(10000));
    QCOMPARE(replayed.first().at(0).toULongLong(), quint64(N));
    QCOMPARE(replayed.first().at(1).toULongLong(), 0u);
    QTRY_COMPARE(received.size(), N + 1);
    for (int i = 0; i < N; ++i)
        QCOMPARE(received.at(i + 1), QByteArray::number(i));
    QTRY_COMPARE(bus->pendingPublishes(), 0);
    QCOMPARE(bus->stats().published, quint64(N + 1));
    QCOMPARE(bus->stats().dropped, 0u);
}

void tst_RedisBus::outageQueueDropsOldest_data()
{
    QTest::addColumn<int>("maxMessages");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<int>("published");
    QTest::addColumn<int>("kept");

    // Each publish is 4 bytes of channel name + 8 of payload = 12 bytes.
    QTest::newRow("by count") << 10 << qint64(1 << 20) << 25 << 10;
    QTest::newRow("by bytes") << 1000 << qint64(12 * 7) << 25 << 7;
    QTest::newRow("within both") << 100 << qint64(1 << 20) << 25 << 25;
}

void tst_RedisBus::outageQueueDropsOldest()
{
    QFETCH(int, maxMessages);
    QFETCH(qint64, maxBytes);
    QFETCH(int, published);
    QFETCH(int, kept);
    RedisBusOptions bo;
    bo.maxQueuedMessages = maxMessages;
    bo.maxQueuedBytes = maxBytes;
    bo.replayDelay = 300ms;
    RedisBus *bus = makeBus(u"bus"_s, bo);
    QByteArrayList received;
    RedisSubscriber *listener = listen("bank", &received);
    QTRY_VERIFY(listener->isSubscribed("bank") && bus->isConnected());

    m_redis->stop();
    QTRY_VERIFY(!bus->isConnected());
    for (int i = 0; i < published; ++i)
        bus->publish("bank", u"msg-%1"_s.arg(i, 4, 10, QLatin1Char('0')).toUtf8());
    QCOMPARE(bus->pendingPublishes(), kept);
    QVERIFY(bus->pendingBytes() <= maxBytes);
    QCOMPARE(bus->stats().dropped, quint64(published - kept));

    QVERIFY(m_redis->start());
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), kept, 10000);
    // The newest survive, in order.
    for (int i = 0; i < kept; ++i)
        QCOMPARE(received.at(i), u"msg-%1"_s.arg(published - kept + i, 4, 10, QLatin1Char('0')).toUtf8());
}

void tst_RedisBus::redisRefusalIsCountedNotRetried()
{
    // A user that may publish to "open" only: Redis answers NOPERM for anything else.
    const RedisValue acl =
        m_redis->command({"ACL", "SETUSER", "narrow", "on", ">pw", "+@all", "~*", "resetchannels", "&open"});
    QVERIFY2(!acl.isError(), acl.bytes().constData());
    QUrl url(m_redis->url());
    url.setUserName(u"narrow"_s);
    url.setPassword(u"pw"_s);
    RedisBus *bus = makeBus(u"narrow"_s, {}, url.toString());
    QTRY_VERIFY(bus->publisher()->isReady());

    bus->publish("closed", "x");
    bus->publish("open", "y");
    QTRY_COMPARE(bus->pendingPublishes(), 0);
    QCOMPARE(bus->stats().publishFailures, 1u);
    QCOMPARE(bus->stats().published, 1u);
}

void tst_RedisBus::cutSubscriberIsReportedAndRecovers()
{
    RedisBus *bus = makeBus(u"relay-x"_s);
    bus->subscribe("live");
    QTRY_VERIFY(bus->isSubscribed("live"));
    QSignalSpy gaps(bus, &RedisBus::subscriberGap);
    QByteArrayList received;
    connect(bus, &MessageBus::message, this,
            [&received](const QByteArray &, const QByteArray &payload) { received.append(payload); });

    // What Redis does to a pub/sub client over client-output-buffer-limit: it closes it.
    const RedisValue killed = m_redis->command({"CLIENT", "KILL", "TYPE", "pubsub"});
    QCOMPARE(killed.toInteger(), 1);

    QVERIFY(gaps.wait(5000));
    QVERIFY(gaps.first().at(0).toLongLong() >= 0);
    QCOMPARE(bus->stats().subscriberGaps, 1u);
    QTRY_VERIFY(bus->isSubscribed("live"));
    QCOMPARE(m_redis->command({"PUBLISH", "live", "after"}).toInteger(), 1);
    QTRY_COMPARE(received, QByteArrayList{"after"});
}

void tst_RedisBus::flushSendsWithoutTheEventLoop()
{
    RedisBus *bus = makeBus(u"flusher"_s);
    QTRY_VERIFY(bus->isConnected());
    // Blocking calls on their own socket: no event loop runs from here on.
    const auto publishCalls = [this] {
        const QByteArray info = m_redis->command({"INFO", "commandstats"}).bytes();
        const qsizetype at = info.indexOf("cmdstat_publish:calls=");
        return at < 0 ? 0 : info.mid(at + 22, info.indexOf(',', at) - at - 22).toInt();
    };
    QCOMPARE(publishCalls(), 0);
    bus->publish("flushed"_ba, "now"_ba);
    bus->flush();
    const QDeadlineTimer deadline(5000);
    while (publishCalls() == 0 && !deadline.hasExpired()) {
    }
    QCOMPARE(publishCalls(), 1);
}

QTEST_MAIN(tst_RedisBus)
#include "tst_redisbus.moc"
