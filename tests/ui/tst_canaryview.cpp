// SPDX-License-Identifier: MIT
#include "canaryhistory.h"
#include "canarymonitor.h"
#include "canaryview.h"

#include <QChart>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_CanaryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redrawsCoalescedFromTheHistory();
    void controlsDriveTheMonitor();
};

void tst_CanaryView::redrawsCoalescedFromTheHistory()
{
    CanaryMonitor monitor(nullptr);
    CanaryView view(&monitor);
    view.resize(900, 600);
    view.show();
    const int before = view.redrawCount();
    CanaryHistory *history = monitor.history();
    const qint64 t0 = 1'700'000'000'000;
    for (int s = 0; s < 100; ++s) {
        history->append(u"relay-1"_s, t0 + s * 1000, 1.5, 4.0 + s);
        history->append(u"relay-2"_s, t0 + s * 1000, 2.5, 3.0);
    }
    QTRY_COMPARE(view.chart()->series().size(), 4); // p50 and p99 of each relay
    QVERIFY(view.redrawCount() - before <= 2);      // 200 changes, one timer
    QLineSeries *p99 = nullptr;
    QLineSeries *p50 = nullptr;
    for (QAbstractSeries *s : view.chart()->series()) {
        if (s->name() == u"relay-1 p99"_s)
            p99 = qobject_cast<QLineSeries *>(s);
        if (s->name() == u"relay-1 p50"_s)
            p50 = qobject_cast<QLineSeries *>(s);
    }
    QVERIFY(p99 && p50);
    QCOMPARE(p99->count(), 100);
    QCOMPARE(p99->at(99).y(), 103.0);
    QCOMPARE(p99->pen().style(), Qt::DashLine);
    QCOMPARE(p99->pen().color(), p50->pen().color());
    history->removeRelay(u"relay-2"_s);
    QTRY_COMPARE(view.chart()->series().size(), 2);
}

void tst_CanaryView::controlsDriveTheMonitor()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"console.ini"_s), QSettings::IniFormat);
    CanaryMonitor monitor(nullptr);
    monitor.setSettings(&settings);
    CanaryView view(&monitor);
    view.show();
    auto *button = view.findChild<QPushButton *>(u"canaryStartStop"_s);
    auto *interval = view.findChild<QDoubleSpinBox *>(u"canaryInterval"_s);
    auto *autoStart = view.findChild<QCheckBox *>(u"canaryAutoStart"_s);
    auto *note = view.findChild<QLabel *>(u"canaryNote"_s);
    QVERIFY(button && interval && autoStart && note);
    QCOMPARE(interval->value(), 1.0);
    QVERIFY(autoStart->isChecked());

    button->click();
    QVERIFY(monitor.isRunning());
    QTRY_VERIFY(note->isVisible()); // not connected to Redis: off, and why
    QVERIFY(note->text().contains(monitor.offReason()));
    button->click();
    QVERIFY(!monitor.isRunning());

    interval->setValue(2.4);
    QCOMPARE(monitor.interval(), 2400ms);
    autoStart->setChecked(false);
    QCOMPARE(settings.value(u"canaries/autoStart"_s).toBool(), false);
    QCOMPARE(settings.value(u"canaries/intervalMs"_s).toLongLong(), 2400);
    QCOMPARE(view.table()->model()->columnCount(), 7);
}

QTEST_MAIN(tst_CanaryView)
#include "tst_canaryview.moc"
