// SPDX-License-Identifier: MIT
#include "embeddedrelay.h"
#include "relaypanel.h"
#include "relaysimulator.h"
#include "testclient.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

std::function<bool(const QJsonObject &)> hasText(const QString &text)
{
    return [text](const QJsonObject &o) {
        return o.value("text"_L1).toString() == text;
    };
}

} // namespace

class tst_RelayPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startKickStop();
    void historyAndPresence();
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

void tst_RelayPanel::historyAndPresence()
{
    // The embedded relay keeps history and presence in memory when the panel asks for them.
    EmbeddedRelay relay;
    RelaySimulator simulator;
    RelayPanel panel(&relay, &simulator);
    panel.show();
    panel.findChild<QSpinBox *>(u"relayPort"_s)->setValue(0);
    auto *history = panel.findChild<QSpinBox *>(u"relayHistorySize"_s);
    auto *presence = panel.findChild<QCheckBox *>(u"relayPresence"_s);
    QCOMPARE(history->value(), 0); // off by default: seed clients see what they always saw
    QVERIFY(!presence->isChecked());
    history->setValue(100);
    presence->setChecked(true);
    panel.findChild<QPushButton *>(u"relayStartStop"_s)->click();
    QVERIFY(relay.isRunning());
    QVERIFY(!history->isEnabled() && !presence->isEnabled()); // settings of the running relay

    TestClient a, b;
    QVERIFY(a.open(relay.url()));
    QVERIFY(a.join(u"dev"_s));
    a.send(
        {{u"type"_s, u"message"_s}, {u"roomId"_s, u"dev"_s}, {u"user"_s, u"ann"_s}, {u"text"_s, u"one"_s}});
    a.send(
        {{u"type"_s, u"message"_s}, {u"roomId"_s, u"dev"_s}, {u"user"_s, u"ann"_s}, {u"text"_s, u"two"_s}});
    const QString first = a.waitFor(hasText(u"one"_s)).value("offset"_L1).toString();
    QVERIFY(!first.isEmpty());
    QVERIFY(b.open(relay.url()));
    b.send({{u"type"_s, u"join"_s}, {u"roomId"_s, u"dev"_s}, {u"since"_s, first}, {u"user"_s, u"bob"_s}});
    QCOMPARE(b.waitForType(u"joined"_s).value("recovered"_L1), QJsonValue(true));
    QVERIFY(!b.waitFor(hasText(u"two"_s)).isEmpty());
    b.send({{u"type"_s, u"presence"_s}, {u"roomId"_s, u"dev"_s}});
    const QJsonArray members = b.waitForType(u"presence"_s).value("members"_L1).toArray();
    QCOMPARE(members.size(), 2);
    panel.findChild<QPushButton *>(u"relayStartStop"_s)->click();
    QTRY_VERIFY(!relay.isRunning() && !relay.isStopping());
}

QTEST_MAIN(tst_RelayPanel)
#include "tst_relaypanel.moc"
