// SPDX-License-Identifier: MIT
#include "pollpacing.h"

#include <QTest>

using namespace std::chrono_literals;
using Reason = PollPacing::Reason;

Q_DECLARE_METATYPE(std::chrono::milliseconds)
Q_DECLARE_METATYPE(PollPacing::Reason)

class tst_PollPacing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compute_data();
    void compute();
};

void tst_PollPacing::compute_data()
{
    QTest::addColumn<std::chrono::milliseconds>("requested");
    QTest::addColumn<qint64>("entries");
    QTest::addColumn<qint64>("elapsedUs");
    QTest::addColumn<std::chrono::milliseconds>("interval");
    QTest::addColumn<PollPacing::Reason>("reason");
    // Default budget: 5,000 channels per second, 2.5 % of the time, at most 5 min.
    QTest::newRow("small Redis") << 2000ms << qint64(100) << qint64(1000) << 2000ms << Reason::None;
    QTest::newRow("50,000 channels at 2 s")
        << 2000ms << qint64(50000) << qint64(5000) << 10000ms << Reason::Size;
    QTest::newRow("50,000 channels at 1 s")
        << 1000ms << qint64(50000) << qint64(5000) << 10000ms << Reason::Size;
    QTest::newRow("50,000 channels at 10 s")
        << 10000ms << qint64(50000) << qint64(5000) << 10000ms << Reason::None;
    QTest::newRow("12,000 channels at 1 s: 2.4 s, a step of 5 s")
        << 1000ms << qint64(12000) << qint64(5000) << 5000ms << Reason::Size;
    QTest::newRow("12,000 channels at 2 s: whole intervals")
        << 2000ms << qint64(12000) << qint64(5000) << 6000ms << Reason::Size;
    QTest::newRow("slow: 250 ms at 1 s") << 1000ms << qint64(10) << qint64(250000) << 10000ms << Reason::Time;
    QTest::newRow("slow and large: time wins")
        << 1000ms << qint64(50000) << qint64(400000) << 20000ms << Reason::Time;
    QTest::newRow("24 ms is cheap at any interval")
        << 100ms << qint64(10) << qint64(24000) << 100ms << Reason::None;
    QTest::newRow("10 million channels: capped")
        << 2000ms << qint64(10000000) << qint64(5000) << 300000ms << Reason::Size;
    QTest::newRow("off") << 0ms << qint64(50000) << qint64(900000) << 0ms << Reason::None;
}

void tst_PollPacing::compute()
{
    QFETCH(std::chrono::milliseconds, requested);
    QFETCH(qint64, entries);
    QFETCH(qint64, elapsedUs);
    const PollBudget budget;
    const PollPacing p = PollPacing::compute(requested, entries, budget.channelsPerSecond, elapsedUs, budget);
    QTEST(p.interval, "interval");
    QTEST(p.reason, "reason");
    QCOMPARE(p.isBackedOff(), p.reason != Reason::None);
    QVERIFY(p.interval >= requested);
    QCOMPARE(p.entries, entries);
    QCOMPARE(p.elapsedUs, elapsedUs);
}

QTEST_APPLESS_MAIN(tst_PollPacing)
#include "tst_pollpacing.moc"
