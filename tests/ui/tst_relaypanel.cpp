// SPDX-License-Identifier: MIT
#include "embeddedrelay.h"
#include "relaypanel.h"
#include "relaysimulator.h"
#include "testclient.h"

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RelayPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startKickStop();
};

void tst_RelayPanel::startKickStop()
{
    EmbeddedRelay relay;
    RelaySimulator simulator;
    RelayPanel panel(&relay, &simulator);
    panel.resize(800, 500);
    panel.show();
    panel.findChild<QSpinBox *>(u"relayPort"_s)->setValue(0);
    panel.findChild<QPushButton *>(u"relayStartStop"_s)->click();
    QVERIFY(relay.isRunning());
    QVERIFY(relay.url().port() > 0);
    // the embedded relay's development page is linked from the status line
    const QString status = panel.findChild<QLabel *>(u"relayStatusLine"_s)->text();
    QVERIFY2(status.contains(u"<a href=\"http://%1:%2/\">"_s.arg(relay.url().host()).arg(relay.url().port())),
             qPrintable(status));

    TestClient victim, bystander;
    QVERIFY(victim.open(relay.url()));
    QVERIFY(bystander.open(relay.url()));
    auto *table = panel.findChild<QTableView *>(u"relayClients"_s);
    QTRY_COMPARE(table->model()->rowCount(), 2);
    auto *kick = panel.findChild<QPushButton *>(u"relayKick"_s);
    QVERIFY(!kick->isEnabled()); // nothing selected
    table->selectRow(0);
    QVERIFY(kick->isEnabled());
    kick->click();
    QVERIFY(victim.waitForClose());
    QCOMPARE(victim.closeCode(), 1008);
    QCOMPARE(victim.closeReason(), u"kicked by operator"_s);
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QVERIFY(bystander.isConnected());

    // Read-only profiles cannot kick.
    panel.setReadOnly(true);
    table->selectRow(0);
    QVERIFY(!kick->isEnabled());

    // The simulator runs against the relay, then stopping the relay ends everything.
    panel.setSimulation(5, 2, 20);
    QString error;
    QVERIFY2(panel.startSimulator(&error), qPrintable(error));
    QTRY_COMPARE(simulator.stats().joined, 5);
    panel.findChild<QPushButton *>(u"relayStartStop"_s)->click();
    QVERIFY(bystander.waitForClose());
    QCOMPARE(bystander.closeCode(), 1001);
    QTRY_VERIFY(!relay.isRunning() && !relay.isStopping());
    QVERIFY(!simulator.isRunning());
    QCOMPARE(table->model()->rowCount(), 0);
}

QTEST_MAIN(tst_RelayPanel)
#include "tst_relaypanel.moc"
