// SPDX-License-Identifier: MIT
#include "fleetroomsmodel.h"
#include "relaydirectory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_FleetRoomsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheSelectedRelaysRooms_data();
    void showsTheSelectedRelaysRooms();
    void followsHeartbeatsWithoutReset();
};

void tst_FleetRoomsModel::showsTheSelectedRelaysRooms_data()
{
    QTest::addColumn<QByteArray>("heartbeatChannel");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("lobbyChannel");
    QTest::newRow("no prefix") << "switchboard:relays"_ba << u"\nr1"_s << "room:lobby"_ba;
    QTest::newRow("prefix") << "chat:switchboard:relays"_ba << u"chat:\nr1"_s << "chat:room:lobby"_ba;
}

void tst_FleetRoomsModel::showsTheSelectedRelaysRooms()
{
    QFETCH(QByteArray, heartbeatChannel);
    QFETCH(QString, key);
    QFETCH(QByteArray, lobbyChannel);
    const QByteArray prefix = heartbeatChannel.chopped(int(qstrlen("switchboard:relays")));
    RelayDirectory directory;
    FleetRoomsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    directory.handleMessage(
        heartbeatChannel,
        uR"({"type":"relay-stats","instance":"r1","prefix":"%1","interval":60000,)"
        uR"("channels":{"%1broadcast":5,"%1room:lobby":3,"%1room:ops":1}})"_s.arg(QString::fromUtf8(prefix))
            .toUtf8());
    QCOMPARE(model.rowCount(), 0); // nothing selected
    model.setRelay(key);
    QCOMPARE(model.rowCount(), 3);
    const int lobby = model.rowOf(lobbyChannel);
    QVERIFY(lobby >= 0);
    QCOMPARE(model.index(lobby, FleetRoomsModel::RoomColumn).data().toString(), u"lobby"_s);
    QCOMPARE(model.index(lobby, FleetRoomsModel::MembersColumn).data(FleetRoomsModel::SortRole).toLongLong(),
             3);
    QCOMPARE(model.index(model.rowOf(prefix + "broadcast"), FleetRoomsModel::RoomColumn).data().toString(),
             u"(broadcast)"_s);
    model.setRelay(u"\nsomeone else"_s);
    QCOMPARE(model.rowCount(), 0);
}

void tst_FleetRoomsModel::followsHeartbeatsWithoutReset()
{
    RelayDirectory directory;
    FleetRoomsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDirectory(&directory);
    model.setRelay(u"\nr1"_s);
    const auto beat = [&directory](const QString &channels) {
        directory.handleMessage(
            "switchboard:relays",
            uR"({"type":"relay-stats","instance":"r1","interval":60000,"channels":{%1}})"_s.arg(channels)
                .toUtf8());
    };
    beat(uR"("broadcast":2,"room:a":1,"room:b":1)"_s);
    QCOMPARE(model.rowCount(), 3);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    beat(uR"("broadcast":3,"room:b":2,"room:c":1)"_s);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1); // the members column of broadcast and room:b: one run
    QCOMPARE(changed.first().at(2).value<QList<int>>(),
             (QList<int>{Qt::DisplayRole, FleetRoomsModel::SortRole}));
    QCOMPARE(model.rowOf("room:a"), -1);
    QCOMPARE(model.index(model.rowOf("room:b"), FleetRoomsModel::MembersColumn).data().toString(), u"2"_s);
}

QTEST_MAIN(tst_FleetRoomsModel)
#include "tst_fleetroomsmodel.moc"
