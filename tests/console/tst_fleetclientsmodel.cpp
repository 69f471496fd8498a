// SPDX-License-Identifier: MIT
#include "fleetclientsmodel.h"
#include "relaydirectory.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_FleetClientsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void busiestClientsWithTheirShare_data();
    void busiestClientsWithTheirShare();
};

void tst_FleetClientsModel::busiestClientsWithTheirShare_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QString>("share");
    QTest::newRow("limit sent") << qint64(1048576) << u"50 %"_s;
    QTest::newRow("older relay: no limit") << qint64(0) << QString();
}

void tst_FleetClientsModel::busiestClientsWithTheirShare()
{
    QFETCH(qint64, limit);
    QFETCH(QString, share);
    RelayDirectory directory;
    FleetClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    model.setRelay(u"\nr1"_s);
    directory.handleMessage(
        "switchboard:relays",
        uR"({"type":"relay-stats","instance":"r1","interval":60000,"channels":{},"maxOutboundBytes":%1,)"
        uR"("topClients":[{"id":7,"address":"10.0.0.7:5000","queued":524288,"rooms":2,"in":10,"out":900,)"
        uR"("since":1700000000000},{"id":3,"address":"10.0.0.3:5000","queued":0,"rooms":1,"in":5,"out":5}]})"_s
            .arg(limit)
            .toUtf8());
    QCOMPARE(model.rowCount(), 2);
    const int slow = model.rowOf(7);
    QVERIFY(slow >= 0);
    QCOMPARE(model.index(slow, FleetClientsModel::AddressColumn).data().toString(), u"10.0.0.7:5000"_s);
    QCOMPARE(
        model.index(slow, FleetClientsModel::QueuedColumn).data(FleetClientsModel::SortRole).toLongLong(),
        524288);
    QCOMPARE(model.index(slow, FleetClientsModel::ShareColumn).data().toString(), share);
    QCOMPARE(model.index(slow, FleetClientsModel::OutColumn).data(FleetClientsModel::SortRole).toULongLong(),
             900u);
    QVERIFY(!model.index(slow, FleetClientsModel::SinceColumn).data().toString().isEmpty());
    QVERIFY(model.index(model.rowOf(3), FleetClientsModel::SinceColumn).data().toString().isEmpty());
    model.setRelay({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_FleetClientsModel)
#include "tst_fleetclientsmodel.moc"
