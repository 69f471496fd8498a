// SPDX-License-Identifier: MIT
#include "localbus.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_LocalBus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversInOrderToSubscribedChannelsOnly();
    void refCounting();
    void deliveryIsAsynchronous();
    void stopEmitsStopped();
};

void tst_LocalBus::deliversInOrderToSubscribedChannelsOnly()
{
    LocalBus bus;
    bus.start();
    QSignalSpy messages(&bus, &MessageBus::message);
    QSignalSpy confirmed(&bus, &MessageBus::subscribed);
    QSignalSpy failed(&bus, &MessageBus::subscribeFailed);
    bus.subscribe("a"_ba);
    QVERIFY(confirmed.wait());
    QCOMPARE(confirmed.first().first().toByteArray(), "a"_ba);
    for (int i = 0; i < 100; ++i) {
        bus.publish("a"_ba, QByteArray::number(i));
        bus.publish("b"_ba, "nobody listens"_ba);
    }
    QTRY_COMPARE(messages.size(), 100);
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(messages.at(i).at(0).toByteArray(), "a"_ba);
        QCOMPARE(messages.at(i).at(1).toByteArray(), QByteArray::number(i));
    }
    QCOMPARE(failed.size(), 0); // nothing refuses a subscription in-process
}

void tst_LocalBus::refCounting()
{
    LocalBus bus;
    bus.start();
    bus.subscribe("a"_ba);
    bus.subscribe("a"_ba);
    QVERIFY(bus.isSubscribed("a"_ba));
    bus.unsubscribe("a"_ba);
    QVERIFY(bus.isSubscribed("a"_ba));
    bus.unsubscribe("a"_ba);
    QVERIFY(!bus.isSubscribed("a"_ba));
    bus.unsubscribe("a"_ba); // extra unsubscribe is harmless
    QVERIFY(!bus.isSubscribed("a"_ba));
}

void tst_LocalBus::deliveryIsAsynchronous()
{
    LocalBus bus;
    bus.start();
    bus.subscribe("a"_ba);
    QSignalSpy messages(&bus, &MessageBus::message);
    bus.publish("a"_ba, "x"_ba);
    QCOMPARE(messages.size(), 0);
    QVERIFY(messages.wait());
}

void tst_LocalBus::stopEmitsStopped()
{
    LocalBus bus;
    bus.start();
    QSignalSpy stopped(&bus, &MessageBus::stopped);
    QSignalSpy connected(&bus, &MessageBus::connectedChanged);
    bus.stop();
    QVERIFY(stopped.wait());
    QCOMPARE(connected.size(), 1);
    QVERIFY(!bus.isConnected());
}

QTEST_MAIN(tst_LocalBus)
#include "tst_localbus.moc"
