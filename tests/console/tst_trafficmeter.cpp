// SPDX-License-Identifier: MIT
#include "trafficmeter.h"

#include <QTest>

class tst_TrafficMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ratesOverTheWindow();
    void oldSecondsLeaveTheWindow();
    void topChannelsAndLimit();
};

void tst_TrafficMeter::ratesOverTheWindow()
{
    TrafficMeter meter;
    const qint64 t0 = 1'000'000'000;
    // 10 messages of 100 bytes in each of five seconds on "a", one per second on "b".
    for (int s = 0; s < 5; ++s) {
        for (int i = 0; i < 10; ++i)
            meter.record("a", 100, t0 + s * 1000 + i);
        meter.record("b", 1, t0 + s * 1000);
    }
    const auto traffic = meter.traffic(t0 + 5000);
    QCOMPARE(traffic.value("a").messagesPerSecond, 10.0);
    QCOMPARE(traffic.value("a").bytesPerSecond, 1000.0);
    QCOMPARE(traffic.value("a").messages, 50ull);
    QCOMPARE(traffic.value("b").messagesPerSecond, 1.0);
    QCOMPARE(traffic.value("a").lastMessageAt.toMSecsSinceEpoch(), t0 + 4009);
    QCOMPARE(meter.totalMessagesPerSecond(t0 + 5000), 11.0);
    QCOMPARE(meter.totalMessages(), 55ull);
}

void tst_TrafficMeter::oldSecondsLeaveTheWindow()
{
    TrafficMeter meter;
    const qint64 t0 = 2'000'000'000;
    for (int i = 0; i < 50; ++i)
        meter.record("a", 1, t0);
    QCOMPARE(meter.traffic(t0 + 1000).value("a").messagesPerSecond, 10.0);
    QCOMPARE(meter.traffic(t0 + 5999).value("a").messagesPerSecond, 10.0);
    QCOMPARE(meter.traffic(t0 + 6000).value("a").messagesPerSecond, 0.0);
    // A slot reused for a later second starts from zero.
    meter.record("a", 1, t0 + 6000);
    QCOMPARE(meter.traffic(t0 + 7000).value("a").messagesPerSecond, 0.2);
    QCOMPARE(meter.traffic(t0 + 7000).value("a").messages, 51ull);
}

void tst_TrafficMeter::topChannelsAndLimit()
{
    TrafficMeter meter;
    meter.setChannelLimit(3);
    const qint64 t0 = 3'000'000'000;
    for (int c = 1; c <= 5; ++c) {
        for (int i = 0; i < c * 5; ++i)
            meter.record("ch" + QByteArray::number(c), 1, t0);
    }
    // Only three channels are tracked; the totals count all of them.
    QCOMPARE(meter.traffic(t0 + 1000).size(), 3);
    QCOMPARE(meter.totalMessages(), 75ull);
    const auto top = meter.topChannels(2, t0 + 1000);
    QCOMPARE(top.size(), 2);
    QCOMPARE(top.at(0).first, QByteArray("ch3"));
    QCOMPARE(top.at(1).first, QByteArray("ch2"));
}

QTEST_GUILESS_MAIN(tst_TrafficMeter)
#include "tst_trafficmeter.moc"
