// SPDX-License-Identifier: MIT
#include "fleetchartsview.h"
#include "fleetcontroller.h"
#include "fleetmodel.h"
#include "fleetroomsmodel.h"
#include "fleetview.h"
#include "relaydirectory.h"

#include <QBrush>
#include <QChart>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_FleetView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selectsAndShowsARelay();
    void paintsAlerts();

private:
    static QByteArray beat(const QString &instance, qint64 framesIn, qint64 at, bool busUp = true);
};

QByteArray tst_FleetView::beat(const QString &instance, qint64 framesIn, qint64 at, bool busUp)
{
    return uR"({"type":"relay-stats","instance":"%1","clients":3,"interval":60000,"at":%2,"startedAt":1,)"
           uR"("channels":{"broadcast":3,"room:lobby":2},"traffic":{"framesIn":%3,"framesOut":%3,"busMessages":0},)"
           uR"("bus":{"connected":%4,"pendingPublishes":4}})"_s.arg(instance)
               .arg(at)
               .arg(framesIn)
               .arg(busUp ? u"true"_s : u"false"_s)
               .toUtf8();
}

void tst_FleetView::selectsAndShowsARelay()
{
    RelayDirectory directory;
    FleetController controller(&directory);
    FleetView view(&controller);
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    directory.handleMessage("switchboard:relays", beat(u"relay-a"_s, 100, now - 2000));
    directory.handleMessage("switchboard:relays", beat(u"relay-b"_s, 10, now - 2000));
    // The first relay is selected by itself: its rooms, counters and charts show.
    QTRY_COMPARE(controller.selected(), u"\nrelay-a"_s);
    QCOMPARE(controller.rooms()->rowCount(), 2);
    auto *counters = view.findChild<QPlainTextEdit *>(u"fleetCounters"_s);
    QVERIFY(counters->toPlainText().contains(u"pendingPublishes"_s));
    directory.handleMessage("switchboard:relays", beat(u"relay-a"_s, 300, now));
    view.charts()->redraw();
    const QChart *rates = view.charts()->panel(0)->chart();
    QCOMPARE(rates->series().size(), 2);
    QCOMPARE(static_cast<QLineSeries *>(rates->series().first())->count(),
             1); // 100/s from the second heartbeat
    QCOMPARE(static_cast<QLineSeries *>(rates->series().first())->at(0).y(), 100.0);
    QVERIFY(rates->title().contains(u"relay-a"_s));

    view.table()->selectRow(1);
    QCOMPARE(controller.selected(), u"\nrelay-b"_s);
    QVERIFY(view.charts()->panel(0)->chart()->title().contains(u"relay-b"_s));
    QVERIFY(!view.grab().isNull());
}

void tst_FleetView::paintsAlerts()
{
    RelayDirectory directory;
    FleetController controller(&directory);
    FleetView view(&controller);
    directory.handleMessage("switchboard:relays", beat(u"down"_s, 1, 1000, false));
    directory.handleMessage("switchboard:relays", beat(u"fine"_s, 1, 1000));
    const QAbstractItemModel *shown = view.table()->model();
    QCOMPARE(shown->rowCount(), 2);
    QCOMPARE(shown->index(0, 0).data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0xd0, 0x30, 0x30));
    QVERIFY(!shown->index(1, 0).data(Qt::ForegroundRole).isValid());
}

QTEST_MAIN(tst_FleetView)
#include "tst_fleetview.moc"
