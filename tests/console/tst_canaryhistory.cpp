// SPDX-License-Identifier: MIT
#include "canaryhistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Percentile = CanaryHistory::Percentile;

class tst_CanaryHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rollingWindow_data();
    void rollingWindow();
    void missingValuesAndLimit();
};

void tst_CanaryHistory::rollingWindow_data()
{
    QTest::addColumn<qint64>("window");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<int>("expected");
    QTest::newRow("ten minutes, twenty of data") << qint64(600'000) << 1200 << 601;
    QTest::newRow("less than the window") << qint64(600'000) << 30 << 30;
}

void tst_CanaryHistory::rollingWindow()
{
    QFETCH(qint64, window);
    QFETCH(int, seconds);
    QFETCH(int, expected);
    CanaryHistory history;
    history.setWindow(window);
    QSignalSpy changed(&history, &CanaryHistory::changed);
    const qint64 t0 = 1'700'000'000'000;
    for (int s = 0; s < seconds; ++s)
        QVERIFY(history.append(u"relay-1"_s, t0 + s * 1000, 1.0, 2.0 + s));
    QCOMPARE(history.points(u"relay-1"_s, Percentile::P50).size(), expected);
    const QList<QPointF> p99 = history.points(u"relay-1"_s, Percentile::P99);
    QCOMPARE(p99.size(), expected);
    QCOMPARE(p99.last().y(), 2.0 + seconds - 1);
    QCOMPARE(changed.size(), seconds);
    QCOMPARE(history.latest(), t0 + (seconds - 1) * 1000);
}

void tst_CanaryHistory::missingValuesAndLimit()
{
    CanaryHistory history;
    history.setSeriesLimit(2);
    QVERIFY(history.append(u"b"_s, 1000, -1, -1)); // no samples yet: the relay is known, no point
    QVERIFY(history.points(u"b"_s, Percentile::P50).isEmpty());
    QVERIFY(history.append(u"a"_s, 1000, 1, 3));
    QVERIFY(!history.append(u"c"_s, 1000, 1, 3));
    QCOMPARE(history.relays(), (QStringList{u"a"_s, u"b"_s}));
    const quint64 version = history.version();
    history.removeRelay(u"b"_s);
    QVERIFY(history.version() > version);
    QVERIFY(history.append(u"c"_s, 2000, 1, 3));
    history.clear();
    QVERIFY(history.relays().isEmpty());
}

QTEST_MAIN(tst_CanaryHistory)
#include "tst_canaryhistory.moc"
