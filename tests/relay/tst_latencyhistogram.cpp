// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <QTest>

class tst_LatencyHistogram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucket_data();
    void bucket();
    void sumAndCount();
};

void tst_LatencyHistogram::bucket_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<int>("bucket");
    QTest::newRow("zero") << qint64(0) << 0;
    QTest::newRow("negative (a clock step) counts as 0") << qint64(-5) << 0;
    QTest::newRow("on the first bound (le is inclusive)") << qint64(100'000) << 0;
    QTest::newRow("just above it") << qint64(100'001) << 1;
    QTest::newRow("1 ms") << qint64(1'000'000) << 3;
    QTest::newRow("30 ms") << qint64(30'000'000) << 8;
    QTest::newRow("on the last bound") << qint64(2'500'000'000) << 13;
    QTest::newRow("slower: +Inf") << qint64(60'000'000'000) << 14;
}

void tst_LatencyHistogram::bucket()
{
    QFETCH(qint64, ns);
    QFETCH(int, bucket);
    LatencyHistogram h;
    h.observe(ns);
    for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
        QCOMPARE(h.counts()[size_t(i)], quint64(i == bucket ? 1 : 0));
}

void tst_LatencyHistogram::sumAndCount()
{
    LatencyHistogram h;
    h.observe(1000);
    h.observe(2000);
    h.observe(3'000'000'000);
    QCOMPARE(h.count(), quint64(3));
    QCOMPARE(h.sumNs(), qint64(3'000'003'000));
    QCOMPARE(h.counts()[0], quint64(2));
    QCOMPARE(h.counts()[LatencyHistogram::BucketCount - 1], quint64(1));
}

QTEST_MAIN(tst_LatencyHistogram)
#include "tst_latencyhistogram.moc"
