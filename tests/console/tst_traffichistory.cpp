// SPDX-License-Identifier: MIT
#include "traffichistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Group = TrafficHistory::Group;

class tst_TrafficHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rollingWindow_data();
    void rollingWindow();
    void seriesLimit();
};

void tst_TrafficHistory::rollingWindow_data()
{
    QTest::addColumn<qint64>("window");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<int>("expected");
    QTest::newRow("five minutes, ten minutes of data") << qint64(300000) << 600 << 301;
    QTest::newRow("short window") << qint64(10000) << 60 << 11;
    QTest::newRow("less than the window") << qint64(300000) << 30 << 30;
}

void tst_TrafficHistory::rollingWindow()
{
    QFETCH(qint64, window);
    QFETCH(int, seconds);
    QFETCH(int, expected);
    TrafficHistory history;
    history.setWindow(window);
    QSignalSpy changed(&history, &TrafficHistory::changed);
    const qint64 t0 = 1'700'000'000'000;
    for (int s = 0; s < seconds; ++s)
        QVERIFY(history.append(Group::Messages, u"total"_s, t0 + s * 1000, s));
    const QList<QPointF> points = history.points(Group::Messages, u"total"_s);
    QCOMPARE(points.size(), expected);
    QCOMPARE(points.last().y(), double(seconds - 1));
    QCOMPARE(changed.size(), seconds);
    QCOMPARE(history.latest(), t0 + (seconds - 1) * 1000);
}

void tst_TrafficHistory::seriesLimit()
{
    TrafficHistory history;
    history.setSeriesLimit(2);
    QVERIFY(history.append(Group::Subscribers, u"a"_s, 1, 1));
    QVERIFY(history.append(Group::Subscribers, u"b"_s, 1, 1));
    QVERIFY(!history.append(Group::Subscribers, u"c"_s, 1, 1));
    QVERIFY(history.append(Group::Subscribers, u"a"_s, 2, 2));
    QVERIFY(history.append(Group::RelayConnections, u"c"_s, 1, 1)); // groups are separate
    QCOMPARE(history.series(Group::Subscribers), (QStringList{u"a"_s, u"b"_s}));
    history.removeSeries(Group::Subscribers, u"a"_s);
    QVERIFY(history.append(Group::Subscribers, u"c"_s, 3, 1));
    QVERIFY(history.points(Group::Subscribers, u"a"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_TrafficHistory)
#include "tst_traffichistory.moc"
