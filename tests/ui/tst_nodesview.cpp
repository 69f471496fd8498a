// SPDX-License-Identifier: MIT
// NodesView: says when the console is not on a Cluster; shows the nodes of a round, sorted by shard,
// with the summary; F5 asks the controller for a refresh.
#include "channelscontroller.h"
#include "clusternodesmodel.h"
#include "nodesview.h"

#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_NodesView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheNodesOfARound();
};

void tst_NodesView::showsTheNodesOfARound()
{
    ChannelsController controller;
    NodesView view(&controller);
    QAbstractItemModelTester tester(view.table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 300);
    view.show();
    QVERIFY(view.summaryText().startsWith(u"Not connected to a Redis Cluster"_s));
    QCOMPARE(view.table()->model()->rowCount(), 0);

    QList<ClusterNodeStatus> nodes;
    for (int shard = 2; shard >= 1; --shard) {
        for (bool primary : {false, true}) {
            ClusterNodeStatus n;
            n.key = u"10.0.0.%1:%2"_s.arg(shard).arg(primary ? 7000 : 7001);
            n.primary = primary;
            n.primaryKey = u"10.0.0.%1:7000"_s.arg(shard);
            n.shard = shard;
            n.slots = {{shard == 1 ? 0 : 8192, shard == 1 ? 8191 : 16383}};
            n.reachable = !(shard == 2 && !primary);
            n.error = n.reachable ? QString() : u"Connection refused"_s;
            n.pubsubClients = primary ? 3 : 0;
            nodes.append(n);
        }
    }
    controller.nodesModel()->applyNodes(nodes);
    QCOMPARE(view.summaryText(), u"Redis Cluster: 2 primaries / 4 nodes · 1 not reachable"_s);
    QAbstractItemModel *shown = view.table()->model();
    QCOMPARE(shown->rowCount(), 4);
    // Sorted by shard: shard 1's nodes first.
    QCOMPARE(shown->index(0, ClusterNodesModel::Shard).data().toInt(), 1);
    QCOMPARE(shown->index(3, ClusterNodesModel::Shard).data().toInt(), 2);
    bool sawRefused = false;
    for (int r = 0; r < shown->rowCount(); ++r)
        sawRefused |= shown->index(r, ClusterNodesModel::Reachable).data().toString() == u"no: Connection refused"_s;
    QVERIFY(sawRefused);
    QCOMPARE(shown->headerData(ClusterNodesModel::OutputBuffers, Qt::Horizontal).toString(), u"Output buffers"_s);

    controller.nodesModel()->applyNodes({});
    QVERIFY(view.summaryText().startsWith(u"Not connected to a Redis Cluster"_s));
}

QTEST_MAIN(tst_NodesView)
#include "tst_nodesview.moc"
