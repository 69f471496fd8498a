// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include <signal.h>

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
    void stalledRedisHoldsPublishesWithinBounds_data();
    void stalledRedisHoldsPublishesWithinBounds();
    void refusedSubscribeIsReportedAndReleased_data();
    void refusedSubscribeIsReportedAndReleased();
    void refusedResubscribeIsReportedAndSettles();
    void cutSubscriberIsReportedAndRecovers();
    void subscriberGapLastsUntilResubscribed_data();
    void subscriberGapLastsUntilResubscribed();
    void flushSendsWithoutTheEventLoop();

private:
    RedisBus *makeBus(const QString &name, RedisBusOptions busOptions = {}, const QString &url = {});
    // The URL of an ACL user "relay" (password pw) with these rules.
    QString aclUser(const QByteArrayList &rules);
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

void tst_RedisBus::stalledRedisHoldsPublishesWithinBounds_data()
{
    QTest::addColumn<int>("maxMessages");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<int>("payloadBytes");
    QTest::addColumn<int>("published");

    QTest::newRow("by count") << 1000 << qint64(1 << 20) << 200 << 20000;
    QTest::newRow("by bytes") << 10000 << qint64(256 * 1024) << 4096 << 2000;
}

void tst_RedisBus::stalledRedisHoldsPublishesWithinBounds()
{
    QFETCH(int, maxMessages);
    QFETCH(qint64, maxBytes);
    QFETCH(int, payloadBytes);
    QFETCH(int, published);
    RedisBusOptions bo;
    bo.maxQueuedMessages = maxMessages;
    bo.maxQueuedBytes = maxBytes;
    RedisBus *bus = makeBus(u"stalled"_s, bo);
    QByteArrayList received;
    RedisSubscriber *listener = listen("ch", &received);
    QTRY_VERIFY(listener->isSubscribed("ch") && bus->isConnected());

    // A stopped process keeps its connections open: both sides look up, nothing is answered.
    const auto pid = pid_t(m_redis->processId());
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    auto resume = qScopeGuard([pid] { ::kill(pid, SIGCONT); });
    const QByteArray filler(payloadBytes, 'x');
    qsizetype heldMessages = 0;
    qint64 heldBytes = 0;
    qint64 socketBytes = 0;
    for (int i = 0; i < published; ++i) {
        bus->publish("ch", u"%1 "_s.arg(i, 6, 10, QLatin1Char('0')).toUtf8() + filler);
        heldMessages = qMax(heldMessages, bus->pendingPublishes());
        heldBytes = qMax(heldBytes, bus->pendingBytes());
        if (i % 100 == 99) {
            // Let the socket write what the kernel takes.
            QCoreApplication::processEvents();
            socketBytes = qMax(socketBytes, bus->publisher()->bytesToWrite());
        }
    }
    QVERIFY2(heldMessages <= maxMessages, qPrintable(u"held %1 messages"_s.arg(heldMessages)));
    QVERIFY2(heldBytes <= maxBytes, qPrintable(u"held %1 bytes"_s.arg(heldBytes)));
    QVERIFY2(socketBytes <= maxBytes, qPrintable(u"%1 bytes waiting in the socket"_s.arg(socketBytes)));
    const quint64 dropped = bus->stats().dropped;
    QVERIFY(dropped > 0);
    QVERIFY(bus->isConnected()); // nothing told the bus that Redis stalled

    resume.dismiss();
    QCOMPARE(::kill(pid, SIGCONT), 0);
    QTRY_COMPARE_WITH_TIMEOUT(bus->pendingPublishes(), 0, 20000);
    QCOMPARE(bus->stats().dropped, dropped);
    QCOMPARE(bus->stats().published + dropped, quint64(published));
    QTRY_COMPARE_WITH_TIMEOUT(quint64(received.size()), bus->stats().published, 10000);
    // In order and each once; the newest are there (what was dropped is older).
    int previous = -1;
    for (const QByteArray &r : std::as_const(received)) {
        const int n = r.left(6).toInt();
        QVERIFY2(n > previous, qPrintable(u"%1 after %2"_s.arg(n).arg(previous)));
        previous = n;
    }
    const int newest = int(qMin<qint64>(maxMessages, maxBytes / (payloadBytes + 9)) / 4);
    QVERIFY(received.size() >= newest);
    for (int k = 1; k <= newest; ++k)
        QCOMPARE(received.at(received.size() - k).left(6).toInt(), published - k);
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

QString tst_RedisBus::aclUser(const QByteArrayList &rules)
{
    const RedisValue acl = m_redis->command(QByteArrayList{"ACL", "SETUSER", "relay", "on", ">pw"} + rules);
    if (acl.isError())
        qWarning("ACL SETUSER failed: %s", acl.bytes().constData());
    QUrl url(m_redis->url());
    url.setUserName(u"relay"_s);
    url.setPassword(u"pw"_s);
    return url.toString();
}

void tst_RedisBus::refusedSubscribeIsReportedAndReleased_data()
{
    QTest::addColumn<QByteArrayList>("channelRules");
    QTest::addColumn<QByteArrayList>("allowed");
    QTest::addColumn<QByteArray>("refused");

    QTest::newRow("channel pattern") << QByteArrayList{"resetchannels", "&room:*"}
                                     << QByteArrayList{"room:1", "room:2"} << "other:1"_ba;
    QTest::newRow("resetchannels") << QByteArrayList{"resetchannels"} << QByteArrayList{} << "room:1"_ba;
}

void tst_RedisBus::refusedSubscribeIsReportedAndReleased()
{
    QFETCH(QByteArrayList, channelRules);
    QFETCH(QByteArrayList, allowed);
    QFETCH(QByteArray, refused);
    const QString url = aclUser(QByteArrayList{"-@all", "+@connection", "+publish", "+subscribe"} + channelRules);
    RedisBus *bus = makeBus(u"relay"_s, {}, url);
    QTRY_VERIFY(bus->isConnected());
    QSignalSpy failed(bus, &MessageBus::subscribeFailed);

    // In one turn: one SUBSCRIBE, which Redis refuses whole for the one channel it may not have.
    for (const QByteArray &channel : std::as_const(allowed))
        bus->subscribe(channel);
    bus->subscribe(refused);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toByteArray(), refused);
    QCOMPARE(failed.first().at(1).toString(), u"NOPERM"_s);
    QVERIFY2(failed.first().at(2).toString().contains("permissions"_L1),
             qPrintable(failed.first().at(2).toString()));
    for (const QByteArray &channel : std::as_const(allowed))
        QTRY_VERIFY(bus->isSubscribed(channel));
    // Released, not in flight, not retried.
    QVERIFY(!bus->isSubscribed(refused));
    QCOMPARE(bus->subscriber()->channelRefCount(refused), 0);
    QVERIFY(!bus->subscriber()->channels().contains(refused));
    QVERIFY(bus->subscriber()->isSettled());
    QTest::failOnWarning(QRegularExpression(u"no subscription"_s));
    bus->unsubscribe(refused);
    if (!allowed.isEmpty()) {
        QByteArrayList received;
        connect(bus, &MessageBus::message, this,
                [&received](const QByteArray &, const QByteArray &payload) { received.append(payload); });
        QCOMPARE(m_redis->command({"PUBLISH", allowed.first(), "hello"}).toInteger(), 1);
        QTRY_COMPARE(received, QByteArrayList{"hello"});
    }
    QCOMPARE(failed.size(), 1);

    // Asked again, refused again.
    bus->subscribe(refused);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.size(), 2);
    QVERIFY(bus->subscriber()->isSettled());
}

void tst_RedisBus::refusedResubscribeIsReportedAndSettles()
{
    const QString url = aclUser({"-@all", "+@connection", "+publish", "+subscribe", "+unsubscribe", "allchannels"});
    RedisBus *bus = makeBus(u"relay"_s, {}, url);
    bus->subscribe("room:1");
    bus->subscribe("other:1");
    QTRY_VERIFY(bus->isSubscribed("room:1") && bus->isSubscribed("other:1"));
    QSignalSpy failed(bus, &MessageBus::subscribeFailed);
    QSignalSpy gaps(bus, &RedisBus::subscriberGap);

    // Redis disconnects a client whose subscriptions the new rules refuse; the resubscription
    // (one SUBSCRIBE for both) is refused whole.
    const RedisValue acl = m_redis->command({"ACL", "SETUSER", "relay", "resetchannels", "&room:*"});
    QVERIFY2(!acl.isError(), acl.bytes().constData());
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().at(0).toByteArray(), "other:1"_ba);
    QTRY_VERIFY(bus->isSubscribed("room:1"));
    QTRY_VERIFY(bus->subscriber()->isSettled());
    QTRY_COMPARE(gaps.size(), 1);
    QVERIFY(!bus->isSubscribed("other:1"));
    QCOMPARE(failed.size(), 1);
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

void tst_RedisBus::subscriberGapLastsUntilResubscribed_data()
{
    QTest::addColumn<bool>("stall");
    QTest::newRow("cut by Redis") << false;
    QTest::newRow("stalled Redis, found by the heartbeat") << true;
}

// The gap is reported once the subscriber listens again, not when its connection is back:
// messages published between the two are lost too. A stalled Redis (SIGSTOP) closes nothing;
// only the heartbeat (300 ms + 700 ms here) finds it.
void tst_RedisBus::subscriberGapLastsUntilResubscribed()
{
    QFETCH(bool, stall);
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = u"relay-gap"_s;
    o.reconnectMaxDelay = 200ms;
    o.heartbeat.interval = 300ms;
    o.heartbeat.timeout = 700ms;
    auto *bus = new RedisBus(o, RedisBusOptions());
    m_owned.append(bus);
    bus->start();
    for (const QByteArray &channel : {"live"_ba, "room:a"_ba, "room:b"_ba})
        bus->subscribe(channel);
    QTRY_VERIFY(bus->isSubscribed("live") && bus->isSubscribed("room:a") && bus->isSubscribed("room:b"));
    QList<bool> listeningAtGap;
    connect(bus, &RedisBus::subscriberGap, this, [bus, &listeningAtGap](qint64, const QString &) {
        listeningAtGap.append(bus->isSubscribed("live") && bus->isSubscribed("room:a") &&
                              bus->isSubscribed("room:b"));
    });
    QSignalSpy gaps(bus, &RedisBus::subscriberGap);
    QElapsedTimer down;
    if (stall) {
        QVERIFY(m_redis->pause());
        QTRY_VERIFY_WITH_TIMEOUT(!bus->isConnected(), 10000);
        down.start();
        QVERIFY(m_redis->resume());
    } else {
        QCOMPARE(m_redis->command({"CLIENT", "KILL", "TYPE", "pubsub"}).toInteger(), 1);
    }
    QVERIFY(gaps.wait(15000));
    QCOMPARE(listeningAtGap, QList<bool>{true});
    QCOMPARE(bus->stats().subscriberGaps, 1u);
    if (stall) {
        QCOMPARE(gaps.first().at(1).toString(), u"no reply to PING within 700 ms (heartbeat)"_s);
        QVERIFY(gaps.first().at(0).toLongLong() <= down.elapsed() + 2000);
    }
    QCOMPARE(qint64(bus->stats().subscriberGapMs), gaps.first().at(0).toLongLong());
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
