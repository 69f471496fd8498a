// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ChannelsController;
class QAction;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QToolBar;

// The Nodes view: every node of a Redis Cluster with its role, shard, slots, pub/sub clients,
// channels, output-buffer memory and reachability (ClusterNodesModel, refreshed with the Channels
// view's rounds). Says so when the console is not on a Cluster.
class NodesView : public QWidget
{
    Q_OBJECT
public:
    explicit NodesView(ChannelsController *controller, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QString summaryText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSummary();

    ChannelsController *m_controller;
    QSortFilterProxyModel *m_proxy;
    QToolBar *m_toolBar;
    QAction *m_refreshAction;
    QLabel *m_summary;
    QTableView *m_table;
};
