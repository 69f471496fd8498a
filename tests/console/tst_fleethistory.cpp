// SPDX-License-Identifier: MIT
#include "fleethistory.h"
#include "relaydirectory.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_FleetHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordsEachHeartbeatOnce();
    void bounded();
    void forgetsDroppedRelays();

private:
    static RelayInstanceStats stats(const QString &key, qint64 atMs, qint64 clients, double inRate = -1);
};

RelayInstanceStats tst_FleetHistory::stats(const QString &key, qint64 atMs, qint64 clients, double inRate)
{
    RelayInstanceStats s;
    s.key = key;
    s.receivedAt = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
    s.clients = clients;
    s.framesInPerSecond = inRate;
    s.queuedBytes = clients * 10;
    return s;
}

void tst_FleetHistory::recordsEachHeartbeatOnce()
{
    FleetHistory history;
    history.record(stats(u"a"_s, 1000, 1));
    history.record(stats(u"a"_s, 1000, 9)); // the same heartbeat again
    history.record(stats(u"a"_s, 3000, 2, 50));
    QCOMPARE(history.points(u"a"_s, FleetHistory::Measure::Clients), (QList<QPointF>{{1000, 1}, {3000, 2}}));
    // A rate is unknown until the second heartbeat: a gap, not a zero.
    QCOMPARE(history.points(u"a"_s, FleetHistory::Measure::InRate), (QList<QPointF>{{3000, 50}}));
    QCOMPARE(history.points(u"a"_s, FleetHistory::Measure::QueuedBytes).last(), QPointF(3000, 20));
    QVERIFY(history.points(u"b"_s, FleetHistory::Measure::Clients).isEmpty());
}

void tst_FleetHistory::bounded()
{
    FleetHistory history;
    history.setWindow(10000);
    history.setRelayLimit(2);
    for (qint64 t = 0; t <= 60000; t += 2000)
        history.record(stats(u"a"_s, t, t / 1000));
    const QList<QPointF> points = history.points(u"a"_s, FleetHistory::Measure::Clients);
    QCOMPARE(points.first().x(), 50000.0);
    QCOMPARE(points.size(), 6);
    history.record(stats(u"b"_s, 1, 1));
    history.record(stats(u"c"_s, 1, 1)); // over the limit of relays
    QCOMPARE(history.relays().size(), 2);
    QVERIFY(!history.relays().contains(u"c"_s));
}

void tst_FleetHistory::forgetsDroppedRelays()
{
    RelayDirectory directory;
    FleetHistory history;
    history.setDirectory(&directory);
    QSignalSpy changed(&history, &FleetHistory::changed);
    directory.handleMessage(
        "switchboard:relays",
        R"({"type":"relay-stats","instance":"r1","clients":4,"channels":{},"interval":60000})");
    QCOMPARE(changed.size(), 1);
    QCOMPARE(history.relays(), QStringList{u"\nr1"_s});
    QCOMPARE(history.points(u"\nr1"_s, FleetHistory::Measure::Clients).size(), 1);
    directory.handleMessage("switchboard:relays", R"({"type":"relay-stopped","instance":"r1"})");
    QVERIFY(history.relays().isEmpty());
    QCOMPARE(changed.size(), 2);
}

QTEST_MAIN(tst_FleetHistory)
#include "tst_fleethistory.moc"
