// SPDX-License-Identifier: MIT
#include "latencywindow.h"

#include <QTest>

class tst_LatencyWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void percentiles_data();
    void percentiles();
    void slidesAndForgets();
    void boundedSamples();
};

void tst_LatencyWindow::percentiles_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    // Samples 1..count ms: the nearest rank.
    QTest::newRow("p50 of 100") << 100 << 0.5 << 50.0;
    QTest::newRow("p99 of 100") << 100 << 0.99 << 99.0;
    QTest::newRow("p99 of 10") << 10 << 0.99 << 10.0;
    QTest::newRow("p50 of 1") << 1 << 0.5 << 1.0;
    QTest::newRow("p50 of 3") << 3 << 0.5 << 2.0;
    QTest::newRow("none") << 0 << 0.5 << -1.0;
}

void tst_LatencyWindow::percentiles()
{
    QFETCH(int, count);
    QFETCH(double, q);
    QFETCH(double, expected);
    LatencyWindow window;
    for (int i = count; i >= 1; --i) // order does not matter
        window.addSample(1000, double(i));
    QCOMPARE(window.percentile(q), expected);
}

void tst_LatencyWindow::slidesAndForgets()
{
    LatencyWindow window(60'000);
    window.addSample(0, 500);
    window.addLoss(1000);
    window.addSample(30'000, 2);
    QCOMPARE(window.sampleCount(), 2u);
    QCOMPARE(window.lossCount(), 1u);
    window.expire(60'500); // the first sample is older than 60 s
    QCOMPARE(window.sampleCount(), 1u);
    QCOMPARE(window.lossCount(), 1u);
    QCOMPARE(window.percentile(0.99), 2.0);
    window.expire(61'001);
    QCOMPARE(window.lossCount(), 0u);
    window.clear();
    QCOMPARE(window.sampleCount(), 0u);
}

void tst_LatencyWindow::boundedSamples()
{
    LatencyWindow window(60'000, 10);
    for (int i = 0; i < 100; ++i) {
        window.addSample(i, double(i));
        window.addLoss(i);
    }
    QCOMPARE(window.sampleCount(), 10u);
    QCOMPARE(window.lossCount(), 10u);
    QCOMPARE(window.percentile(0.01), 90.0); // the oldest went first
}

QTEST_MAIN(tst_LatencyWindow)
#include "tst_latencywindow.moc"
