// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "relayserver.h"
#include "relaysimulator.h"
#include "testclient.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RelaySimulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusesBadArguments_data();
    void refusesBadArguments();
    void clientsJoinAndChat();
};

void tst_RelaySimulator::refusesBadArguments_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<int>("clients");
    QTest::addColumn<int>("rooms");
    QTest::addColumn<double>("rate");
    QTest::newRow("no clients") << QUrl(u"ws://127.0.0.1:1"_s) << 0 << 1 << 1.0;
    QTest::newRow("too many") << QUrl(u"ws://127.0.0.1:1"_s) << 2001 << 1 << 1.0;
    QTest::newRow("no rooms") << QUrl(u"ws://127.0.0.1:1"_s) << 1 << 0 << 1.0;
    QTest::newRow("negative rate") << QUrl(u"ws://127.0.0.1:1"_s) << 1 << 1 << -1.0;
    QTest::newRow("not ws") << QUrl(u"http://127.0.0.1:1"_s) << 1 << 1 << 1.0;
}

void tst_RelaySimulator::refusesBadArguments()
{
    QFETCH(QUrl, url);
    QFETCH(int, clients);
    QFETCH(int, rooms);
    QFETCH(double, rate);
    RelaySimulator sim;
    QString error;
    QVERIFY(!sim.start(url, clients, rooms, rate, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!sim.isRunning());
}

void tst_RelaySimulator::clientsJoinAndChat()
{
    LocalBus bus;
    bus.start();
    RelayServerOptions options;
    options.bindAddress = QHostAddress::LocalHost;
    options.port = 0;
    RelayServer server(options, &bus);
    QVERIFY(server.listen());
    TestClient observer;
    QVERIFY(observer.open(server.url()));
    QVERIFY(observer.join(u"sim-2"_s));
    RelaySimulator sim;
    QString error;
    QVERIFY2(sim.start(server.url(), 12, 3, 200, &error), qPrintable(error));
    QTRY_COMPARE(sim.stats().joined, 12);
    QCOMPARE(server.roomMemberCount(u"sim-1"_s), 4);
    QCOMPARE(server.roomMemberCount(u"sim-2"_s), 5); // four simulated plus the observer
    // The observer in sim-2 sees simulated chat from sim-2's members only.
    const QJsonObject m = observer.waitForType(u"message"_s);
    QVERIFY(m.value(u"user"_s).toString().startsWith(u"sim-"_s));
    QCOMPARE(m.value(u"roomId"_s).toString(), u"sim-2"_s);
    QTRY_VERIFY(sim.stats().sent >= 50);
    QTRY_VERIFY(sim.stats().received > 0);
    QCOMPARE(sim.stats().errors, 0ull);
    sim.stop();
    QVERIFY(!sim.isRunning());
    QTRY_COMPARE(server.clientCount(), 1);
}

QTEST_GUILESS_MAIN(tst_RelaySimulator)
#include "tst_relaysimulator.moc"
