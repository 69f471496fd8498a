// SPDX-License-Identifier: MIT
#include "reconnectbackoff.h"

#include <QTest>

using namespace std::chrono_literals;

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ceilings_data();
    void ceilings();
    void jitterStaysInRange();
    void jitterSpreads();
    void reset();
};

void tst_ReconnectBackoff::ceilings_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("ceiling");
    QTest::newRow("first") << 0 << 50;
    QTest::newRow("second") << 1 << 100;
    QTest::newRow("fifth") << 4 << 800;
    QTest::newRow("capped") << 6 << 2000;
    QTest::newRow("far") << 100 << 2000;
}

void tst_ReconnectBackoff::ceilings()
{
    QFETCH(int, attempt);
    ReconnectBackoff b;
    QTEST(int(b.ceilingFor(attempt).count()), "ceiling");
}

void tst_ReconnectBackoff::jitterStaysInRange()
{
    ReconnectBackoff b;
    for (int i = 0; i < 40; ++i) {
        const auto ceiling = b.ceilingFor(b.attempt());
        const auto d = b.next();
        QVERIFY2(d <= ceiling && d >= ceiling / 2, qPrintable(QString::number(d.count())));
        QVERIFY(d <= 2000ms);
    }
}

void tst_ReconnectBackoff::jitterSpreads()
{
    // A fleet reconnecting together must not retry in lockstep.
    QSet<qint64> seen;
    for (int i = 0; i < 50; ++i) {
        ReconnectBackoff b;
        for (int k = 0; k < 6; ++k)
            b.next();
        seen.insert(b.next().count());
    }
    QVERIFY(seen.size() > 10);
}

void tst_ReconnectBackoff::reset()
{
    ReconnectBackoff b;
    for (int i = 0; i < 10; ++i)
        b.next();
    b.reset();
    QCOMPARE(b.attempt(), 0);
    QVERIFY(b.next() <= 50ms);
}

QTEST_MAIN(tst_ReconnectBackoff)
#include "tst_reconnectbackoff.moc"
