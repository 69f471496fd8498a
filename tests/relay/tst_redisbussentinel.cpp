// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "redissentinelset.h"
#include "redissubscriber.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// RedisBus on a redis-sentinel:// URL against a real Sentinel set (a primary, a replica, three
// redis-sentinel processes): publishing goes on through a SENTINEL FAILOVER and a second bus,
// subscribed through the same Sentinels, gets every message exactly once, in order. Bounds are
// generous (20 s around the failover): the test shares two cores with other test binaries, and
// Sentinel acts on its own timers (hello every 2 s, INFO every 1-10 s).
class tst_RedisBusSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void publishesThroughFailoverArriveOnceInOrder();

private:
    RedisBus *makeBus(const QString &name, RedisBusOptions busOptions = {});

    std::unique_ptr<RedisSentinelSet> m_set;
    QList<QObject *> m_owned;
};

void tst_RedisBusSentinel::initTestCase()
{
    m_set = std::make_unique<RedisSentinelSet>();
    QVERIFY2(m_set->start(), qPrintable(m_set->errorString()));
}

void tst_RedisBusSentinel::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
}

RedisBus *tst_RedisBusSentinel::makeBus(const QString &name, RedisBusOptions busOptions)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_set->url());
    o.clientName = name;
    o.connectTimeout = 2000ms;
    o.reconnectMaxDelay = 200ms;
    auto *bus = new RedisBus(o, busOptions);
    m_owned.append(bus);
    bus->start();
    return bus;
}

void tst_RedisBusSentinel::publishesThroughFailoverArriveOnceInOrder()
{
    RedisBusOptions bo;
    bo.replayDelay = 500ms; // the other bus reconnects within reconnectMaxDelay (200 ms) of the switch
    RedisBus *publisher = makeBus(u"publisher"_s, bo);
    RedisBus *listener = makeBus(u"listener"_s);
    QByteArrayList received;
    QElapsedTimer clock;
    clock.start();
    qint64 lastArrival = 0;
    qint64 longestGap = 0;
    connect(listener, &MessageBus::message, this, [&](const QByteArray &channel, const QByteArray &payload) {
        if (channel != "room")
            return;
        received.append(payload);
        const qint64 now = clock.elapsed();
        if (lastArrival > 0)
            longestGap = qMax(longestGap, now - lastArrival);
        lastArrival = now;
    });
    listener->subscribe("room");
    QTRY_VERIFY_WITH_TIMEOUT(listener->isSubscribed("room") && publisher->isConnected(), 10000);
    QSignalSpy replayed(publisher, &RedisBus::replayed);

    // A message every 10 ms before, during and after the failover.
    int sent = 0;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] { publisher->publish("room", QByteArray::number(sent++)); });
    pump.start(10);
    QTRY_VERIFY(received.size() >= 20);
    const quint16 before = m_set->primaryPort();
    QElapsedTimer failoverTime;
    failoverTime.start();
    QVERIFY2(m_set->failover(), qPrintable(m_set->errorString()));
    const qint64 failoverMs = failoverTime.elapsed();
    QVERIFY(m_set->primaryPort() != before);
    auto onNewPrimary = [this](RedisConnection *c) {
        return c->isReady() && c->currentNode().port == m_set->primaryPort();
    };
    QTRY_VERIFY_WITH_TIMEOUT(onNewPrimary(publisher->publisher()) &&
                                 onNewPrimary(listener->subscriber()->connection()) &&
                                 listener->subscriber()->isSettled(),
                             20000);
    const int sentAtSwitch = sent;
    QTRY_VERIFY_WITH_TIMEOUT(received.size() > sentAtSwitch + 20, 20000);
    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent, 20000);
    QTRY_COMPARE(publisher->pendingPublishes(), 0);
    for (int i = 0; i < sent; ++i)
        QCOMPARE(received.at(i), QByteArray::number(i));
    QCOMPARE(publisher->stats().dropped, 0u);
    QVERIFY(publisher->stats().published >= quint64(sent));
    qInfo("%d messages; failover() took %lld ms; longest gap between arrivals %lld ms; %lld replay(s), "
          "%llu publish(es) replayed",
          sent, failoverMs, longestGap, qlonglong(replayed.size()), qulonglong(publisher->stats().replayed));
}

QTEST_GUILESS_MAIN(tst_RedisBusSentinel)
#include "tst_redisbussentinel.moc"
