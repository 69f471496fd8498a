// SPDX-License-Identifier: MIT
#include "fleetmodel.h"
#include "relaydirectory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

// Heartbeats are fed as the directory receives them (RelayDirectory::handleMessage); their parsing
// from real relays is tst_relaydirectory's.
class tst_FleetModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsFollowTheDirectory();
    void cellsChangeWithExplicitRoles();
    void alerts_data();
    void alerts();
    void staleRelaysAreFlagged();
    void formats_data();
    void formats();

private:
    static QByteArray beat(const QString &instance, qint64 clients, const QString &extra = {},
                           qint64 interval = 60000);
};

QByteArray tst_FleetModel::beat(const QString &instance, qint64 clients, const QString &extra,
                                qint64 interval)
{
    return uR"({"type":"relay-stats","instance":"%1","clients":%2,"channels":{"broadcast":%2},"interval":%3,)"
           uR"("at":%4,"version":"9.9.9","host":"box","pid":42,"startedAt":%5,"url":"ws://box:3000")"_s
               .arg(instance)
               .arg(clients)
               .arg(interval)
               .arg(QDateTime::currentMSecsSinceEpoch())
               .arg(QDateTime::currentMSecsSinceEpoch() - 3725000)
               .toUtf8() +
           (extra.isEmpty() ? QByteArray() : "," + extra.toUtf8()) + "}";
}

void tst_FleetModel::rowsFollowTheDirectory()
{
    RelayDirectory directory;
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    QCOMPARE(model.rowCount(), 0);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    directory.handleMessage("switchboard:relays", beat(u"b"_s, 2));
    directory.handleMessage("switchboard:relays", beat(u"a"_s, 1));
    directory.handleMessage("chat:switchboard:relays", beat(u"a"_s, 7, uR"("prefix":"chat:")"_s));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 3);
    // Sorted by the directory's key: the channel prefix, then the instance.
    QCOMPARE(model.index(0, FleetModel::InstanceColumn).data().toString(), u"a"_s);
    QCOMPARE(model.index(1, FleetModel::InstanceColumn).data().toString(), u"b"_s);
    QCOMPARE(model.index(2, FleetModel::InstanceColumn).data().toString(), u"a (chat:)"_s);
    QCOMPARE(model.index(2, FleetModel::ClientsColumn).data(FleetModel::SortRole).toLongLong(), 7);
    QCOMPARE(model.index(0, FleetModel::HostColumn).data().toString(), u"box (pid 42)"_s);
    QCOMPARE(model.index(0, FleetModel::VersionColumn).data().toString(), u"9.9.9"_s);
    QCOMPARE(model.index(0, FleetModel::UrlColumn).data().toString(), u"ws://box:3000"_s);
    QCOMPARE(model.index(0, FleetModel::UptimeColumn).data().toString(), u"1 h 2 min"_s);
    QCOMPARE(model.index(0, FleetModel::BusColumn).data().toString(), u"in-process"_s);
    QCOMPARE(model.index(0, FleetModel::InRateColumn).data().toString(), u"…"_s); // one heartbeat: no rate
    QCOMPARE(model.rowOf(u"\nb"_s), 1);

    directory.handleMessage("switchboard:relays", R"({"type":"relay-stopped","instance":"b"})");
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowOf(u"\nb"_s), -1);
    QCOMPARE(reset.size(), 0);
}

void tst_FleetModel::cellsChangeWithExplicitRoles()
{
    RelayDirectory directory;
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    directory.handleMessage("switchboard:relays", beat(u"a"_s, 1));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    directory.handleMessage("switchboard:relays", beat(u"a"_s, 5));
    bool clientsChanged = false;
    for (const QList<QVariant> &args : changed) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto roles = args.at(2).value<QList<int>>();
        QVERIFY2(!roles.isEmpty(), "dataChanged names its roles");
        clientsChanged |= topLeft.column() == FleetModel::ClientsColumn && roles.contains(Qt::DisplayRole);
        QVERIFY2(topLeft.column() != FleetModel::VersionColumn, "an unchanged cell is not announced");
    }
    QVERIFY(clientsChanged);
    QCOMPARE(model.index(0, FleetModel::ClientsColumn).data().toString(), u"5"_s);
}

void tst_FleetModel::alerts_data()
{
    QTest::addColumn<QString>("extra");
    QTest::addColumn<int>("canary");
    QTest::addColumn<bool>("alert");
    const int none = int(FleetCanaryCell::State::None);
    QTest::newRow("healthy, in-process") << QString() << none << false;
    QTest::newRow("bus up") << uR"("bus":{"connected":true,"pendingPublishes":0})"_s << none << false;
    QTest::newRow("bus down") << uR"("bus":{"connected":false,"pendingPublishes":12})"_s << none << true;
    QTest::newRow("canary ok") << QString() << int(FleetCanaryCell::State::Ok) << false;
    QTest::newRow("canary missing") << QString() << int(FleetCanaryCell::State::Missing) << true;
    QTest::newRow("canary unreachable") << QString() << int(FleetCanaryCell::State::Unreachable) << true;
    QTest::newRow("canaries off") << QString() << int(FleetCanaryCell::State::Off) << false;
}

void tst_FleetModel::alerts()
{
    QFETCH(QString, extra);
    QFETCH(int, canary);
    QFETCH(bool, alert);
    RelayDirectory directory;
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    QSignalSpy alerts(&model, &FleetModel::alertsChanged);
    directory.handleMessage("switchboard:relays", beat(u"a"_s, 1, extra));
    model.setCanaryCells({{u"\na"_s, {FleetCanaryCell::State(canary), u"3 ms / 9 ms"_s, u"why"_s}}});
    QCOMPARE(model.index(0, 0).data(FleetModel::AlertRole).toBool(), alert);
    QCOMPARE(model.alertCount(), alert ? 1 : 0);
    QCOMPARE(alerts.size(), alert ? 1 : 0);
    if (canary != int(FleetCanaryCell::State::None))
        QCOMPARE(model.index(0, FleetModel::CanaryColumn).data().toString(), u"3 ms / 9 ms"_s);
    if (extra.contains("false"_L1))
        QCOMPARE(model.index(0, FleetModel::BusColumn).data().toString(), u"outage, 12 queued"_s);
}

void tst_FleetModel::staleRelaysAreFlagged()
{
    RelayDirectory directory;
    directory.setRemovalFactor(40);
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    directory.handleMessage("switchboard:relays", beat(u"quiet"_s, 1, {}, 50));
    QCOMPARE(model.alertCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(model.index(0, 0).data(FleetModel::AlertRole).toBool(), 5000);
    QVERIFY(model.index(0, FleetModel::HeartbeatColumn).data().toString().contains(u"stale"_s));
    QVERIFY(model.index(0, 0).data(FleetModel::StaleRole).toBool());
    QCOMPARE(model.alertCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 10000);
    QCOMPARE(model.alertCount(), 0);
}

void tst_FleetModel::formats_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(59) << u"59 s"_s;
    QTest::newRow("minutes") << qint64(61) << u"1 min 1 s"_s;
    QTest::newRow("hours") << qint64(7322) << u"2 h 2 min"_s;
    QTest::newRow("days") << qint64(90000) << u"1 d 1 h"_s;
    QTest::newRow("unknown") << qint64(-1) << QString();
}

void tst_FleetModel::formats()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(FleetModel::formatDuration(seconds), text);
}

QTEST_MAIN(tst_FleetModel)
#include "tst_fleetmodel.moc"
