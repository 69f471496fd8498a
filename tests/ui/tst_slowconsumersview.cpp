// SPDX-License-Identifier: MIT
#include "slowconsumermodel.h"
#include "slowconsumermonitor.h"
#include "slowconsumersview.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

class tst_SlowConsumersView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsWarningsAndEvents();
    void thresholdDrivesTheMonitor();

private:
    static PubSubClient client(qint64 id, const QString &name, qint64 omem);
};

PubSubClient tst_SlowConsumersView::client(qint64 id, const QString &name, qint64 omem)
{
    PubSubClient c;
    c.id = id;
    c.name = name;
    c.address = u"127.0.0.1:%1"_s.arg(50000 + id);
    c.channels = 1;
    c.outputBytes = omem;
    return c;
}

void tst_SlowConsumersView::showsWarningsAndEvents()
{
    SlowConsumerMonitor monitor;
    SlowConsumersView view(&monitor);
    QSignalSpy count(&view, &SlowConsumersView::warningCountChanged);
    QCOMPARE(view.titleText(), u"Slow consumers"_s);
    QCOMPARE(view.limitsText(), u"Not connected."_s);
    QVERIFY(view.table()->isColumnHidden(SlowConsumerModel::NodeColumn)); // one server
    const qint64 mb = 1024 * 1024;
    monitor.ingest({}, {client(1, u"switchboard-relay:r1"_s, 6 * mb), client(2, u"other"_s, mb),
                        client(3, u"switchboard-relay:r2"_s, 9 * mb)});
    QCOMPARE(count.size(), 1);
    QCOMPARE(count.last().first().toInt(), 2);
    QCOMPARE(view.warningCount(), 2);
    QCOMPARE(view.titleText(), u"Slow consumers (2)"_s);
    QAbstractItemModel *model = view.table()->model();
    QCOMPARE(model->rowCount(), 2);
    // Sorted by output buffer, largest first.
    QCOMPARE(model->index(0, 1).data().toString(), u"r2"_s);
    QCOMPARE(view.events()->topLevelItemCount(), 2);
    monitor.ingest({}, {client(1, u"switchboard-relay:r1"_s, 6 * mb)});
    QCOMPARE(view.warningCount(), 1);
    QCOMPARE(view.events()->topLevelItemCount(), 3);
    QVERIFY(view.events()->topLevelItem(0)->text(1).contains(u"likely by Redis"_s));
    QCOMPARE(view.events()->topLevelItem(0)->text(3), u"r2"_s);
    auto *summary = view.findChild<QLabel *>(u"slowConsumersSummary"_s);
    QVERIFY(summary->text().contains(u"1 connection(s) above 50 %"_s));
}

void tst_SlowConsumersView::thresholdDrivesTheMonitor()
{
    SlowConsumerMonitor monitor;
    SlowConsumersView view(&monitor);
    QSignalSpy changed(&view, &SlowConsumersView::thresholdPercentChanged);
    QCOMPARE(view.thresholdPercent(), 50);
    view.setThresholdPercent(80);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(monitor.threshold(), 0.8);
    monitor.ingest({}, {client(1, u"a"_s, 6 * 1024 * 1024)}); // 75 % of 8 MiB
    QCOMPARE(view.warningCount(), 0);
    view.findChild<QSpinBox *>(u"slowConsumersThreshold"_s)->setValue(70);
    monitor.ingest({}, {client(1, u"a"_s, 6 * 1024 * 1024)});
    QCOMPARE(view.warningCount(), 1);
}

QTEST_MAIN(tst_SlowConsumersView)
#include "tst_slowconsumersview.moc"
