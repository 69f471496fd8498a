// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "relayclientsmodel.h"
#include "testclient.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RelayClientsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsClientsAndRooms();
};

void tst_RelayClientsModel::followsClientsAndRooms()
{
    LocalBus bus;
    bus.start();
    RelayServerOptions options;
    options.bindAddress = QHostAddress::LocalHost;
    options.port = 0;
    RelayServer server(options, &bus);
    QVERIFY(server.listen());
    RelayClientsModel clients;
    RelayRoomsModel rooms;
    QAbstractItemModelTester t1(&clients, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    clients.setServer(&server);
    rooms.setServer(&server);

    auto a = std::make_unique<TestClient>();
    TestClient b, c;
    QVERIFY(a->open(server.url()));
    QVERIFY(b.open(server.url()));
    QVERIFY(c.open(server.url()));
    QTRY_COMPARE(clients.rowCount(), 3);
    QVERIFY(a->join(u"red"_s));
    QVERIFY(b.join(u"red"_s));
    QVERIFY(c.join(u"blue"_s));
    QTRY_COMPARE(rooms.rowCount(), 2);
    QCOMPARE(rooms.index(0, RelayRoomsModel::RoomColumn).data().toString(), u"blue"_s);
    QTRY_COMPARE(rooms.index(1, RelayRoomsModel::MembersColumn).data().toInt(), 2);
    QCOMPARE(rooms.index(1, RelayRoomsModel::ChannelColumn).data().toString(), u"room:red"_s);
    a->send({{u"type"_s, u"message"_s}, {u"roomId"_s, u"red"_s}, {u"user"_s, u"a"_s}, {u"text"_s, u"x"_s}});
    QVERIFY(!b.waitForType(u"message"_s).isEmpty());
    // Counters refresh in place.
    QTRY_COMPARE(clients.index(0, RelayClientsModel::InColumn).data().toString(), u"2"_s);
    QCOMPARE(clients.index(0, RelayClientsModel::RoomsColumn).data().toString(), u"red"_s);
    // The first client goes: its row goes, the others keep theirs.
    const quint64 bId = clients.index(1, 0).data(RelayClientsModel::ClientIdRole).toULongLong();
    a.reset();
    QTRY_COMPARE(clients.rowCount(), 2);
    QCOMPARE(clients.index(0, 0).data(RelayClientsModel::ClientIdRole).toULongLong(), bId);
    QTRY_COMPARE(rooms.index(1, RelayRoomsModel::MembersColumn).data().toInt(), 1);
    c.close();
    QTRY_COMPARE(rooms.rowCount(), 1);
    clients.setServer(nullptr);
    rooms.setServer(nullptr);
    QCOMPARE(clients.rowCount(), 0);
    QCOMPARE(rooms.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_RelayClientsModel)
#include "tst_relayclientsmodel.moc"
