// SPDX-License-Identifier: MIT
#include "chartsview.h"

#include <QChart>
#include <QLineSeries>
#include <QTest>

using namespace Qt::StringLiterals;
using Group = TrafficHistory::Group;

class tst_ChartsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redrawsCoalescedFromTheHistory();
};

void tst_ChartsView::redrawsCoalescedFromTheHistory()
{
    TrafficHistory history;
    ChartsView view(&history);
    view.resize(800, 600);
    view.show();
    const int before = view.redrawCount();
    const qint64 t0 = 1'700'000'000'000;
    for (int s = 0; s < 100; ++s) {
        history.append(Group::Messages, u"total"_s, t0 + s * 1000, 10 + s);
        history.append(Group::Messages, u"room:1"_s, t0 + s * 1000, s);
    }
    history.append(Group::RelayConnections, u"embedded"_s, t0, 3);
    QChart *messages = view.chart(Group::Messages);
    QTRY_COMPARE(messages->series().size(), 2);
    // 201 changes, one timer: a handful of redraws at most, not hundreds.
    QVERIFY(view.redrawCount() - before <= 2);
    auto *total = qobject_cast<QLineSeries *>(
        messages->series().at(1)->name() == u"total"_s ? messages->series().at(1) : messages->series().at(0));
    QCOMPARE(total->count(), 100);
    QCOMPARE(total->at(99).y(), 109.0);
    QCOMPARE(view.chart(Group::RelayConnections)->series().size(), 1);
    QCOMPARE(view.chart(Group::Subscribers)->series().size(), 0);
    // A series that leaves the history leaves the chart.
    history.removeSeries(Group::Messages, u"room:1"_s);
    QTRY_COMPARE(messages->series().size(), 1);
}

QTEST_MAIN(tst_ChartsView)
#include "tst_chartsview.moc"
