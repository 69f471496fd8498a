// SPDX-License-Identifier: MIT
#include "nodesview.h"

#include "channelscontroller.h"
#include "clusternodesmodel.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

NodesView::NodesView(ChannelsController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_toolBar(new QToolBar(this))
    , m_refreshAction(new QAction(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
{
    setObjectName(u"nodesView"_s);
    m_table->setObjectName(u"nodesTable"_s);
    m_summary->setObjectName(u"nodesSummary"_s);
    m_refreshAction->setObjectName(u"nodesRefreshAction"_s);
    ClusterNodesModel *model = controller->nodesModel();
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ClusterNodesModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ClusterNodesModel::Shard, Qt::AscendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_refreshAction);
    m_toolBar->addAction(m_refreshAction);
    m_toolBar->addWidget(m_summary);
    m_summary->setContentsMargins(8, 0, 0, 0);
    m_summary->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_table, 1);

    connect(m_refreshAction, &QAction::triggered, controller, &ChannelsController::refresh);
    connect(model, &ClusterNodesModel::summaryChanged, this, &NodesView::updateSummary);
    connect(model, &QAbstractItemModel::modelReset, this, &NodesView::updateSummary);
    retranslateUi();
}

QString NodesView::summaryText() const
{
    return m_summary->text();
}

void NodesView::updateSummary()
{
    const QString summary = m_controller->nodesModel()->summary();
    m_summary->setText(summary.isEmpty() ? tr("Not connected to a Redis Cluster: the nodes of a Cluster show here "
                                              "(a redis-cluster:// profile).")
                                         : tr("Redis Cluster: %1").arg(summary));
}

void NodesView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void NodesView::retranslateUi()
{
    setWindowTitle(tr("Nodes"));
    m_refreshAction->setText(tr("Refresh"));
    m_refreshAction->setToolTip(tr("Ask every node again (F5)"));
    updateSummary();
}
