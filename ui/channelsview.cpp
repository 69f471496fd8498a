// SPDX-License-Identifier: MIT
#include "channelsview.h"

#include "channelfilterproxymodel.h"
#include "channelscontroller.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
void styleHeader(QHeaderView *header)
{
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ChannelColumns::Name, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    header->setMinimumSectionSize(60);
}
} // namespace

ChannelsView::ChannelsView(ChannelsController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_treeProxy(new ChannelFilterProxyModel(this))
    , m_listProxy(new ChannelFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_interval(new QComboBox(this))
    , m_refresh(new QPushButton(this))
    , m_tap(new QPushButton(this))
    , m_tabs(new QTabWidget(this))
    , m_tree(new QTreeView(this))
    , m_table(new QTableView(this))
    , m_patternsPage(new QWidget(this))
    , m_patternSummary(new QLabel(m_patternsPage))
    , m_clients(new QTreeWidget(m_patternsPage))
    , m_status(new QLabel(this))
    , m_tapAction(new QAction(this))
{
    m_treeProxy->setSourceModel(controller->treeModel());
    m_listProxy->setSourceModel(controller->listModel());
    m_filter->setObjectName(u"channelFilter"_s);
    m_filter->setClearButtonEnabled(true);
    m_interval->setObjectName(u"channelRefreshInterval"_s);
    for (int seconds : {0, 1, 2, 5, 10})
        m_interval->addItem(QString(), seconds);
    m_interval->setCurrentIndex(2);
    m_refresh->setObjectName(u"channelRefresh"_s);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_tap->setObjectName(u"channelTap"_s);
    m_tapAction->setShortcut(QKeySequence(u"Ctrl+T"_s));
    m_tapAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_tapAction);

    m_tree->setObjectName(u"channelTree"_s);
    m_tree->setModel(m_treeProxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(ChannelColumns::Name, Qt::AscendingOrder);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    styleHeader(m_tree->header());
    m_table->setObjectName(u"channelTable"_s);
    m_table->setModel(m_listProxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ChannelColumns::Subscribers, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    styleHeader(m_table->horizontalHeader());
    m_clients->setObjectName(u"pubsubClients"_s);
    m_clients->setRootIsDecorated(false);
    m_clients->setAlternatingRowColors(true);
    m_clients->setSortingEnabled(true);
    m_clients->setColumnCount(6);
    m_patternSummary->setWordWrap(true);
    auto *patternsLayout = new QVBoxLayout(m_patternsPage);
    patternsLayout->setContentsMargins(4, 4, 4, 4);
    patternsLayout->addWidget(m_patternSummary);
    patternsLayout->addWidget(m_clients);
    m_tabs->addTab(m_tree, QString());
    m_tabs->addTab(m_table, QString());
    m_tabs->addTab(m_patternsPage, QString());
    m_tabs->setDocumentMode(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_interval);
    bar->addWidget(m_refresh);
    bar->addWidget(m_tap);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_treeProxy->setFilterText(text);
        m_listProxy->setFilterText(text);
        if (!text.isEmpty())
            m_tree->expandAll();
    });
    connect(m_interval, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_controller->setRefreshInterval(std::chrono::seconds(m_interval->itemData(index).toInt()));
    });
    connect(m_refresh, &QPushButton::clicked, m_controller, &ChannelsController::refresh);
    connect(m_tap, &QPushButton::clicked, this, &ChannelsView::requestTap);
    connect(m_tapAction, &QAction::triggered, this, &ChannelsView::requestTap);
    connect(m_tree, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { showContextMenu(m_tree, pos); });
    connect(m_table, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { showContextMenu(m_table, pos); });
    connect(m_controller, &ChannelsController::snapshotReady, this, &ChannelsView::showSnapshot);
    connect(m_controller, &ChannelsController::refreshFailed, this, [this](const QString &error) {
        m_lastError = error;
        m_status->setText(tr("Refresh failed: %1").arg(error));
    });
    // Top-level groups open on first sight; later the operator's choice stays.
    connect(m_treeProxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (parent.isValid())
                    return;
                for (int row = first; row <= last; ++row)
                    m_tree->expand(m_treeProxy->index(row, 0));
            });

    m_controller->setRefreshInterval(2s);
    retranslateUi();
    m_tree->setColumnWidth(ChannelColumns::Name, 220);
}

void ChannelsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ChannelsView::retranslateUi()
{
    m_filter->setPlaceholderText(tr("Filter channels: text or glob (room:*)   Ctrl+F"));
    const QStringList intervals{tr("Refresh: off"), tr("Every 1 s"), tr("Every 2 s"), tr("Every 5 s"),
                                tr("Every 10 s")};
    for (int i = 0; i < intervals.size(); ++i)
        m_interval->setItemText(i, intervals[i]);
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolTip(tr("Ask Redis now (F5)"));
    m_tap->setText(tr("Tap"));
    m_tap->setToolTip(tr("Watch the selected channels live; on a group, its pattern (Ctrl+T)"));
    m_tapAction->setText(tr("Tap selected"));
    m_tabs->setTabText(0, tr("Tree"));
    m_tabs->setTabText(1, tr("Table"));
    m_tabs->setTabText(2, tr("Patterns && clients"));
    m_clients->setHeaderLabels(
        {tr("Id"), tr("Name"), tr("Address"), tr("Channels"), tr("Patterns"), tr("Relay")});
    showSnapshot(m_controller->lastSnapshot());
}

void ChannelsView::showSnapshot(const PubSubSnapshot &snapshot)
{
    m_lastError.clear();
    const QLocale locale;
    qint64 subscriptions = 0;
    for (const auto &c : snapshot.channels)
        subscriptions += c.subscribers;
    if (!snapshot.takenAt.isValid()) {
        m_status->setText(tr("Not connected"));
    } else {
        m_status->setText(
            tr("%1 channels · %2 subscriptions · %3 pattern subscriptions · %4 pub/sub clients · "
               "refreshed %5 in %6 ms")
                .arg(locale.toString(snapshot.channels.size()), locale.toString(subscriptions),
                     locale.toString(snapshot.patternSubscriptions), locale.toString(snapshot.clients.size()),
                     snapshot.takenAt.toString(u"HH:mm:ss"_s), locale.toString(snapshot.durationMs)));
    }
    m_patternSummary->setText(tr("<b>%1 pattern subscriptions</b> (PUBSUB NUMPAT). NUMSUB leaves them out of "
                                 "the channel counts: a message "
                                 "also reaches every client whose pattern matches.")
                                  .arg(locale.toString(snapshot.patternSubscriptions)));
    m_clients->setSortingEnabled(false);
    m_clients->clear();
    for (const PubSubClient &c : snapshot.clients) {
        auto *item = new QTreeWidgetItem(m_clients);
        item->setData(0, Qt::DisplayRole, c.id);
        item->setText(1, c.name);
        item->setText(2, c.address);
        item->setData(3, Qt::DisplayRole, c.channels);
        item->setData(4, Qt::DisplayRole, c.patterns);
        item->setText(5, c.isRelay() ? tr("yes") : QString());
        if (c.patterns > 0)
            item->setForeground(4, QColor(0xbf, 0x87, 0x00));
    }
    m_clients->setSortingEnabled(true);
    m_tabs->setTabText(2, snapshot.patternSubscriptions > 0
                              ? tr("Patterns && clients (%1)").arg(snapshot.patternSubscriptions)
                              : tr("Patterns && clients"));
}

QByteArrayList ChannelsView::selectedChannels() const
{
    QByteArrayList channels;
    if (m_tabs->currentWidget() == m_table) {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        for (const QModelIndex &index : rows)
            channels << index.data(ChannelColumns::ChannelRole).toByteArray();
    } else if (m_tabs->currentWidget() == m_tree) {
        const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
        for (const QModelIndex &index : rows) {
            if (index.data(ChannelColumns::IsChannelRole).toBool() &&
                !index.data(ChannelColumns::IsGroupRole).toBool())
                channels << index.data(ChannelColumns::ChannelRole).toByteArray();
            else if (index.data(ChannelColumns::IsChannelRole).toBool() && !m_tree->isExpanded(index))
                channels << index.data(ChannelColumns::ChannelRole).toByteArray();
        }
    }
    return channels;
}

QByteArrayList ChannelsView::selectedPatterns() const
{
    QByteArrayList patterns;
    if (m_tabs->currentWidget() != m_tree)
        return patterns;
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        if (index.data(ChannelColumns::IsGroupRole).toBool())
            patterns << index.data(ChannelColumns::ChannelRole).toByteArray() + ":*";
    }
    return patterns;
}

void ChannelsView::requestTap()
{
    const QByteArrayList channels = selectedChannels();
    if (!channels.isEmpty())
        Q_EMIT tapChannelsRequested(channels);
    for (const QByteArray &pattern : selectedPatterns())
        Q_EMIT tapPatternRequested(pattern);
}

void ChannelsView::showContextMenu(QWidget *view, const QPoint &pos)
{
    QMenu menu(this);
    const QByteArrayList channels = selectedChannels();
    const QByteArrayList patterns = selectedPatterns();
    if (!channels.isEmpty()) {
        menu.addAction(channels.size() == 1 ? tr("Tap %1").arg(QString::fromUtf8(channels.first()))
                                            : tr("Tap %n channels", nullptr, int(channels.size())),
                       this, [this, channels] { Q_EMIT tapChannelsRequested(channels); });
    }
    for (const QByteArray &pattern : patterns) {
        menu.addAction(tr("Tap pattern %1").arg(QString::fromUtf8(pattern)), this,
                       [this, pattern] { Q_EMIT tapPatternRequested(pattern); });
    }
    if (!menu.isEmpty())
        menu.exec(view->mapToGlobal(pos));
}
