// SPDX-License-Identifier: MIT
// ClusterNodesModel: rows from synthetic rounds (updates in place, reset on a new topology), and the
// rows of a real Redis Cluster (3 primaries + 3 replicas) through a ClusterChannelMonitor.
#include "clusternodesmodel.h"
#include "redisclusterconnection.h"
#include "redissubscriber.h"
#include "testcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_ClusterNodesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void updatesInPlace();
    void slotText();
    void rowsOfARealCluster();

private:
    static ClusterNodeStatus node(const QString &key, bool primary, int shard);
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_ClusterNodesModel::initTestCase()
{
    m_cluster = std::make_unique<TestCluster>();
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

ClusterNodeStatus tst_ClusterNodesModel::node(const QString &key, bool primary, int shard)
{
    ClusterNodeStatus n;
    n.key = key;
    n.primary = primary;
    n.primaryKey = primary ? key : u"10.0.0.1:7000"_s;
    n.shard = shard;
    n.slots = {{0, 8191}};
    n.reachable = true;
    n.pubsubClients = 2;
    n.classicChannels = 3;
    n.shardChannels = 1;
    n.patterns = 0;
    n.outputBufferBytes = 0;
    n.replyMs = 1;
    return n;
}

void tst_ClusterNodesModel::updatesInPlace()
{
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<ClusterNodeStatus> nodes{node(u"10.0.0.1:7000"_s, true, 1), node(u"10.0.0.2:7000"_s, false, 1)};
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.applyNodes(nodes);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.summary(), u"1 primaries / 2 nodes"_s);
    QCOMPARE(model.index(1, ClusterNodesModel::Role).data().toString(), u"replica"_s);
    QCOMPARE(model.index(1, ClusterNodesModel::Role).data(Qt::ToolTipRole).toString(), u"Replica of 10.0.0.1:7000"_s);

    nodes[1].reachable = false;
    nodes[1].error = u"Connection refused"_s;
    model.applyNodes(nodes);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1, ClusterNodesModel::Reachable).data().toString(), u"no: Connection refused"_s);
    QCOMPARE(model.unreachableCount(), 1);
    QVERIFY(model.summary().contains(u"1 not reachable"_s));

    nodes.append(node(u"10.0.0.3:7000"_s, true, 2));
    model.applyNodes(nodes);
    QCOMPARE(resets.size(), 2);
    QCOMPARE(model.primaryCount(), 2);
    model.applyNodes({});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.summary().isEmpty());
}

void tst_ClusterNodesModel::slotText()
{
    QCOMPARE(ClusterNodesModel::slotText({{0, 5460}}), u"0-5460"_s);
    QCOMPARE(ClusterNodesModel::slotText({{5461, 5461}}), u"5461"_s);
    QCOMPARE(ClusterNodesModel::slotText({{0, 99}, {200, 299}}), u"0-99, 200-299 (200 slots)"_s);
}

void tst_ClusterNodesModel::rowsOfARealCluster()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_cluster->url());
    o.clientName = u"nodes-model-test"_s;
    RedisClusterConnection cluster(o);
    ClusterChannelMonitor monitor(&cluster);
    ClusterNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.attach(&monitor);
    cluster.open();
    QTRY_VERIFY(cluster.isReady());

    // Two classic subscribers on the first primary, one pattern on the second.
    const QList<RedisServer *> primaries = m_cluster->primaries();
    RedisConnectionOptions first;
    first.url = RedisUrl::parse(primaries[0]->url());
    RedisSubscriber a(first), b(first);
    RedisConnectionOptions second;
    second.url = RedisUrl::parse(primaries[1]->url());
    RedisSubscriber c(second);
    a.open();
    b.open();
    c.open();
    a.subscribe("news"_ba);
    b.subscribe("alerts"_ba);
    c.psubscribe("room:*"_ba);
    QTRY_VERIFY(a.isSubscribed("news"_ba) && b.isSubscribed("alerts"_ba) && c.isPSubscribed("room:*"_ba));

    const QString firstKey = u"127.0.0.1:"_s + QString::number(primaries[0]->port());
    const QString secondKey = u"127.0.0.1:"_s + QString::number(primaries[1]->port());
    const auto rowOf = [&model](const QString &key) {
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, 0).data(ClusterNodesModel::NodeKeyRole).toString() == key)
                return r;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            monitor.refresh();
            const int r = rowOf(firstKey);
            return r >= 0 && model.nodes()[r].classicChannels == 2 && model.nodes()[rowOf(secondKey)].patterns == 1;
        }(),
        15000);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.primaryCount(), 3);
    QCOMPARE(model.summary(), u"3 primaries / 6 nodes"_s);
    int slots = 0;
    for (const ClusterNodeStatus &n : model.nodes()) {
        QVERIFY2(n.reachable, qPrintable(n.error));
        if (n.primary) {
            for (const auto &[from, to] : n.slots)
                slots += to - from + 1;
        } else {
            QVERIFY(n.primaryKey != n.key);
        }
    }
    QCOMPARE(slots, RedisClusterTopology::SlotCount);
    const int r = rowOf(firstKey);
    QCOMPARE(model.index(r, ClusterNodesModel::Role).data().toString(), u"primary"_s);
    QCOMPARE(model.index(r, ClusterNodesModel::Channels).data().toString(), u"2"_s);
    QVERIFY(model.nodes()[r].pubsubClients >= 2);
    QVERIFY(model.index(r, ClusterNodesModel::Reachable).data().toString().startsWith(u"yes"_s));
}

QTEST_MAIN(tst_ClusterNodesModel)
#include "tst_clusternodesmodel.moc"
