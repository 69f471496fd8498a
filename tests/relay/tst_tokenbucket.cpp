// SPDX-License-Identifier: MIT
#include "tokenbucket.h"

#include <QTest>

namespace {
constexpr qint64 Second = 1'000'000'000;
}

class tst_TokenBucket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenRate_data();
    void burstThenRate();
    void refillIsCappedAtBurst();
    void unlimited();
    void clockGoingBackwardsGivesNothing();
};

void tst_TokenBucket::burstThenRate_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("burst");
    QTest::addColumn<int>("acceptedInFirstSecond"); // burst at t=0, then one every 1/rate s

    QTest::newRow("defaults 100/s burst 200") << 100.0 << 200.0 << 300;
    QTest::newRow("1/s burst 1") << 1.0 << 1.0 << 2;
    QTest::newRow("10/s burst 5") << 10.0 << 5.0 << 15;
}

void tst_TokenBucket::burstThenRate()
{
    QFETCH(double, rate);
    QFETCH(double, burst);
    QFETCH(int, acceptedInFirstSecond);
    TokenBucket bucket(rate, burst, 0);
    int accepted = 0;
    // Offer 10,000 events evenly over [0, 1 s].
    for (int i = 0; i <= 10000; ++i)
        accepted += bucket.tryTake(qint64(i) * Second / 10000) ? 1 : 0;
    QCOMPARE(accepted, acceptedInFirstSecond);
}

void tst_TokenBucket::refillIsCappedAtBurst()
{
    TokenBucket bucket(100, 200, 0);
    for (int i = 0; i < 200; ++i)
        QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(0));
    QCOMPARE(bucket.available(3600 * Second), 200.0);
    QVERIFY(bucket.tryTake(Second / 100)); // one token back after 10 ms
    QVERIFY(!bucket.tryTake(Second / 100));
}

void tst_TokenBucket::unlimited()
{
    TokenBucket bucket(0, 1, 0);
    QVERIFY(bucket.isUnlimited());
    for (int i = 0; i < 100000; ++i)
        QVERIFY(bucket.tryTake(0));
}

void tst_TokenBucket::clockGoingBackwardsGivesNothing()
{
    TokenBucket bucket(1, 1, 10 * Second);
    QVERIFY(bucket.tryTake(10 * Second));
    QVERIFY(!bucket.tryTake(5 * Second));
    QVERIFY(!bucket.tryTake(10 * Second));
    QVERIFY(bucket.tryTake(11 * Second));
}

QTEST_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
