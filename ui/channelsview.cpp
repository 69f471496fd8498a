// SPDX-License-Identifier: MIT
#include "channelsview.h"

#include "channelfilterproxymodel.h"
#include "channellistmodel.h"
#include "channelnotes.h"
#include "channelscontroller.h"
#include "channeltreemodel.h"
#include "historykeyscanner.h"
#include "historymarkerproxymodel.h"
#include "pubsubclientmodel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ChannelColumns;

namespace {
const int IntervalsMs[] = {0, 1000, 2000, 5000, 10000};
constexpr int DefaultIntervalIndex = 2;

// A clock face: the marker of a room with a history stream.
QIcon historyIcon(const QColor &color)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color, 3, Qt::SolidLine, Qt::RoundCap));
    p.drawEllipse(QRectF(4, 4, 24, 24));
    p.drawLine(QPointF(16, 16), QPointF(16, 9));
    p.drawLine(QPointF(16, 16), QPointF(21, 19));
    return QIcon(pixmap);
}
} // namespace

ChannelsView::ChannelsView(ChannelsController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_treeProxy(new HistoryMarkerProxyModel(this))
    , m_tableProxy(new HistoryMarkerProxyModel(this))
    , m_clientProxy(new QSortFilterProxyModel(this))
    , m_toolBar(new QToolBar(this))
    , m_filter(new QLineEdit(this))
    , m_intervalLabel(new QLabel(this))
    , m_interval(new QComboBox(this))
    , m_refreshAction(new QAction(this))
    , m_treeAction(new QAction(this))
    , m_tableAction(new QAction(this))
    , m_modeGroup(new QActionGroup(this))
    , m_tapAction(new QAction(this))
    , m_findAction(new QAction(this))
    , m_tabs(new QTabWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_tree(new QTreeView(this))
    , m_table(new QTableView(this))
    , m_patternsLabel(new QLabel(this))
    , m_patternOnly(new QCheckBox(this))
    , m_clients(new QTableView(this))
    , m_notes(new QLabel(this))
    , m_pacing(new QLabel(this))
    , m_status(new QLabel(this))
{
    setObjectName(u"channelsView"_s);
    m_toolBar->setObjectName(u"channelToolBar"_s);
    m_filter->setObjectName(u"channelFilter"_s);
    m_interval->setObjectName(u"channelRefreshInterval"_s);
    m_refreshAction->setObjectName(u"channelRefreshAction"_s);
    m_treeAction->setObjectName(u"channelTreeModeAction"_s);
    m_tableAction->setObjectName(u"channelTableModeAction"_s);
    m_tapAction->setObjectName(u"channelTapAction"_s);
    m_tabs->setObjectName(u"channelTabs"_s);
    m_tree->setObjectName(u"channelTree"_s);
    m_table->setObjectName(u"channelTable"_s);
    m_patternsLabel->setObjectName(u"channelPatterns"_s);
    m_patternOnly->setObjectName(u"channelPatternClientsOnly"_s);
    m_clients->setObjectName(u"channelClientTable"_s);
    m_notes->setObjectName(u"channelNotes"_s);
    m_pacing->setObjectName(u"channelPacing"_s);
    m_status->setObjectName(u"channelStatus"_s);

    setupToolBar();
    setupChannelViews();
    m_tabs->addTab(m_stack, QString());
    m_tabs->addTab(buildClientsPage(), QString());

    setupLayout();

    connectControls();
    connectController();
    m_interval->setCurrentIndex(DefaultIntervalIndex);
    m_controller->setRefreshInterval(std::chrono::milliseconds(IntervalsMs[DefaultIntervalIndex]));
    m_treeAction->setChecked(true);
    m_haveSnapshot = m_controller->lastSnapshot().takenAt.isValid();
    retranslateUi();
    updateActions();
}

// Notes above the tabs (what Redis refused or failed, per command), pacing and status below.
void ChannelsView::setupLayout()
{
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setStyleSheet(u"background:#bf8700; color:white; padding:4px; border-radius:3px;"_s);
    m_notes->setVisible(false);
    m_pacing->setTextFormat(Qt::PlainText);
    m_pacing->setWordWrap(true);
    m_pacing->setContentsMargins(6, 2, 6, 0);
    m_pacing->setVisible(false);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setContentsMargins(6, 2, 6, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_notes);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_pacing);
    layout->addWidget(m_status);
}

void ChannelsView::setupToolBar()
{
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(fontMetrics().horizontalAdvance(u'x') * 18);
    for (size_t i = 0; i < std::size(IntervalsMs); ++i)
        m_interval->addItem(QString(), IntervalsMs[i]);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_treeAction->setCheckable(true);
    m_tableAction->setCheckable(true);
    m_modeGroup->addAction(m_treeAction);
    m_modeGroup->addAction(m_tableAction);
    m_modeGroup->setExclusive(true);
    m_tapAction->setShortcut(Qt::CTRL | Qt::Key_T);
    m_tapAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_findAction);
    addAction(m_refreshAction);
    addAction(m_tapAction);

    m_toolBar->addWidget(m_filter);
    m_toolBar->addSeparator();
    m_toolBar->addWidget(m_intervalLabel);
    m_toolBar->addWidget(m_interval);
    m_toolBar->addAction(m_refreshAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_treeAction);
    m_toolBar->addAction(m_tableAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_tapAction);
}

void ChannelsView::setupChannelViews()
{
    m_treeProxy->setSourceModel(m_controller->treeModel());
    m_tableProxy->setSourceModel(m_controller->listModel());
    setupHistoryMarkers();
    m_tree->setModel(m_treeProxy);
    m_table->setModel(m_tableProxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(Name, Qt::AscendingOrder);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Subscribers, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_table);
    setupColumns();
}

// Patterns & clients: the NUMPAT count and the CLIENT LIST table.
QWidget *ChannelsView::buildClientsPage()
{
    m_clientProxy->setSourceModel(m_controller->clientModel());
    m_clientProxy->setSortRole(PubSubClientModel::SortRole);
    m_clientProxy->setFilterRole(PubSubClientModel::SortRole);
    m_clientProxy->setFilterKeyColumn(PubSubClientModel::Patterns);
    m_clients->setModel(m_clientProxy);
    m_clients->setAlternatingRowColors(true);
    m_clients->setSortingEnabled(true);
    m_clients->sortByColumn(PubSubClientModel::Id, Qt::AscendingOrder);
    m_clients->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clients->verticalHeader()->hide();
    m_clients->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_clients->setWordWrap(false);
    m_clients->horizontalHeader()->setStretchLastSection(false);
    m_clients->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_clients->horizontalHeader()->setSectionResizeMode(PubSubClientModel::Name, QHeaderView::Stretch);
    m_patternsLabel->setTextFormat(Qt::PlainText);
    m_patternsLabel->setWordWrap(true);
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->addWidget(m_patternsLabel);
    pageLayout->addWidget(m_patternOnly);
    pageLayout->addWidget(m_clients, 1);
    return page;
}

void ChannelsView::connectControls()
{
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_treeProxy->setFilterText(text);
        m_tableProxy->setFilterText(text);
        if (!text.trimmed().isEmpty() && m_tableProxy->rowCount() <= AutoExpandRows) {
            m_tree->expandAll();
        } else if (!text.trimmed().isEmpty()) {
            for (int row = 0; row < m_treeProxy->rowCount(); ++row) {
                const QModelIndex group = m_treeProxy->index(row, 0);
                if (m_treeProxy->rowCount(group) <= AutoExpandRows)
                    m_tree->expand(group);
            }
        }
        updateStatus();
    });
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    connect(m_interval, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            m_controller->setRefreshInterval(std::chrono::milliseconds(m_interval->itemData(index).toInt()));
    });
    connect(m_controller, &ChannelsController::refreshIntervalChanged, this, [this] {
        syncIntervalCombo();
        updateNotes();
    });
    connect(m_refreshAction, &QAction::triggered, m_controller, &ChannelsController::refresh);
    connect(m_treeAction, &QAction::toggled, this, [this](bool on) {
        m_stack->setCurrentWidget(on ? static_cast<QWidget *>(m_tree) : m_table);
        updateActions();
    });
    connect(m_tapAction, &QAction::triggered, this, &ChannelsView::tapSelection);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &ChannelsView::showContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &ChannelsView::showContextMenu);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ChannelsView::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ChannelsView::updateActions);
    // Enter or a double-click: a room opens its detail, another channel is tapped.
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (!openRoomDetail(index))
            tapSelection();
    });
    connect(m_tree, &QAbstractItemView::doubleClicked, this, &ChannelsView::openRoomDetail);
    connect(m_patternOnly, &QCheckBox::toggled, this,
            [this](bool on) { m_clientProxy->setFilterRegularExpression(on ? u"^[1-9]"_s : QString()); });
}

void ChannelsView::connectController()
{
    connect(m_controller, &ChannelsController::snapshotReady, this, &ChannelsView::onSnapshot);
    connect(m_controller, &ChannelsController::refreshFailed, this, &ChannelsView::onRefreshFailed);

    // Top-level groups open when the round that brought them is in, unless they are large; afterwards
    // the operator's choice stays.
    connect(m_treeProxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (parent.isValid())
                    return;
                // Persistent indexes cost on every row change: a round brings at most a few groups.
                for (int row = first; row <= last && m_newGroups.size() < 256; ++row)
                    m_newGroups.append(QPersistentModelIndex(m_treeProxy->index(row, 0)));
            });
}

void ChannelsView::setupColumns()
{
    const QFontMetrics fm = fontMetrics();
    // Wide enough for the header, "99,999" and a wide value as the models format it ("999.9 kB/s").
    Values wide;
    wide.subscribers = 99999;
    wide.relays = 99;
    wide.relayClients = 99999;
    wide.traffic = ChannelTraffic{};
    wide.traffic->messagesPerSecond = 999.9;
    wide.traffic->bytesPerSecond = 999.9 * 1024;
    wide.traffic->lastMessageAt = QDateTime(QDate(2000, 1, 1), QTime(23, 59, 59));
    const auto widthFor = [&fm, &wide](int column) {
        return std::max({fm.horizontalAdvance(headerText(column)), fm.horizontalAdvance(u"99,999"_s),
                         fm.horizontalAdvance(display(column, wide).toString())}) +
               fm.averageCharWidth() * 2;
    };
    for (QHeaderView *header : {m_tree->header(), m_table->horizontalHeader()}) {
        header->setSectionResizeMode(QHeaderView::Interactive);
        header->resizeSection(Name, fm.horizontalAdvance(u"room:lobby-0000"_s) + fm.averageCharWidth() * 6);
        header->setStretchLastSection(true);
        for (int c = Subscribers; c < Count; ++c)
            header->resizeSection(c, widthFor(c));
        header->setMinimumSectionSize(fm.averageCharWidth() * 6);
    }
    // On a Cluster the table shows classic / sharded and the shard right after the name.
    m_table->horizontalHeader()->resizeSection(Kind, fm.horizontalAdvance(u"classic + sharded (99) · shard 3"_s));
    m_table->horizontalHeader()->moveSection(Kind, Name + 1);
}

void ChannelsView::setShowPlumbing(bool show)
{
    m_treeProxy->setHidePlumbing(!show);
    m_tableProxy->setHidePlumbing(!show);
}

bool ChannelsView::isTreeShown() const
{
    return m_treeAction->isChecked();
}

void ChannelsView::setTreeShown(bool tree)
{
    (tree ? m_treeAction : m_tableAction)->setChecked(true);
}

QByteArrayList ChannelsView::selectedChannels() const
{
    QByteArrayList out;
    if (isTreeShown()) {
        for (const QModelIndex &i : m_tree->selectionModel()->selectedRows(Name))
            if (i.data(IsChannelRole).toBool())
                out.append(i.data(ChannelNameRole).toByteArray());
    } else {
        for (const QModelIndex &i : m_table->selectionModel()->selectedRows(Name))
            out.append(i.data(ChannelNameRole).toByteArray());
    }
    std::sort(out.begin(), out.end());
    return out;
}

QByteArrayList ChannelsView::selectedPatterns() const
{
    QByteArrayList out;
    if (!isTreeShown())
        return out;
    for (const QModelIndex &i : m_tree->selectionModel()->selectedRows(Name))
        if (i.data(IsGroupRole).toBool() && !i.data(IsChannelRole).toBool())
            out.append(i.data(ChannelNameRole).toByteArray() + ":*");
    std::sort(out.begin(), out.end());
    return out;
}

void ChannelsView::tapSelection()
{
    const QByteArrayList channels = selectedChannels();
    if (!channels.isEmpty())
        Q_EMIT tapChannelsRequested(channels);
    for (const QByteArray &pattern : selectedPatterns())
        Q_EMIT tapPatternRequested(pattern);
}

void ChannelsView::showContextMenu(const QPoint &pos)
{
    auto *view = qobject_cast<QAbstractItemView *>(sender());
    if (!view)
        return;
    const QModelIndex at = view->indexAt(pos);
    QMenu menu(this);
    menu.addAction(m_tapAction);
    if (view == m_tree && at.isValid()) {
        const QModelIndex source = m_treeProxy->mapToSource(at.siblingAtColumn(Name));
        const QByteArray pattern = m_controller->treeModel()->patternFor(source);
        if (!pattern.isEmpty()) {
            QAction *tapPattern = menu.addAction(tr("Tap pattern %1").arg(QString::fromUtf8(pattern)));
            connect(tapPattern, &QAction::triggered, this,
                    [this, pattern] { Q_EMIT tapPatternRequested(pattern); });
        }
    }
    if (at.isValid()) {
        const QByteArray channel = at.siblingAtColumn(Name).data(ChannelNameRole).toByteArray();
        const QString name = QString::fromUtf8(channel);
        if (at.siblingAtColumn(Name).data(IsChannelRole).toBool() && channel.contains("room:")) {
            QAction *detail = menu.addAction(tr("Room detail"));
            detail->setObjectName(u"channelRoomDetailAction"_s);
            connect(detail, &QAction::triggered, this,
                    [this, channel] { Q_EMIT roomDetailRequested(channel); });
        }
        menu.addSeparator();
        QAction *copy = menu.addAction(tr("Copy name"));
        connect(copy, &QAction::triggered, this, [name] { QApplication::clipboard()->setText(name); });
    }
    menu.addSeparator();
    menu.addAction(m_refreshAction);
    menu.exec(view->viewport()->mapToGlobal(pos));
}

// Rooms with a history stream get a marker beside their name (HistoryKeyScanner, with the channels).
void ChannelsView::setupHistoryMarkers()
{
    ChannelListModel *list = m_controller->listModel();
    ChannelTreeModel *tree = m_controller->treeModel();
    const QIcon marker = historyIcon(palette().color(QPalette::Highlight));
    m_treeProxy->setLocator([tree](const QByteArray &channel) { return tree->indexFor(channel); });
    m_tableProxy->setLocator(
        [list](const QByteArray &channel) { return list->index(list->rowOf(channel), Name); });
    for (HistoryMarkerProxyModel *m : {m_treeProxy, m_tableProxy}) {
        m->setScanner(m_controller->historyScanner());
        m->setMarker(marker);
    }
}

bool ChannelsView::openRoomDetail(const QModelIndex &index)
{
    const QModelIndex name = index.siblingAtColumn(Name);
    const QByteArray channel = name.data(ChannelNameRole).toByteArray();
    if (!name.data(IsChannelRole).toBool() || !channel.contains("room:"))
        return false;
    Q_EMIT roomDetailRequested(channel);
    return true;
}

void ChannelsView::updateActions()
{
    m_tapAction->setEnabled(!selectedChannels().isEmpty() || !selectedPatterns().isEmpty());
}

void ChannelsView::syncIntervalCombo()
{
    const int ms = int(m_controller->refreshInterval().count());
    const int index = m_interval->findData(ms);
    if (index >= 0 && index != m_interval->currentIndex()) {
        const QSignalBlocker block(m_interval);
        m_interval->setCurrentIndex(index);
    }
}

void ChannelsView::expandNewGroups()
{
    for (const QPersistentModelIndex &group : std::as_const(m_newGroups)) {
        if (group.isValid() && m_treeProxy->rowCount(group) <= AutoExpandRows)
            m_tree->expand(group);
    }
    m_newGroups.clear();
}

void ChannelsView::onSnapshot(const PubSubSnapshot &)
{
    expandNewGroups();
    m_haveSnapshot = true;
    m_error.clear();
    updateStatus();
    updateActions();
}

void ChannelsView::onRefreshFailed(const QString &error)
{
    m_error = error;
    updateStatus();
}

void ChannelsView::updateStatus()
{
    const PubSubSnapshot &s = m_controller->lastSnapshot();
    const QLocale locale;
    const QString unknown = u"\u2013"_s;
    updateNotes();
    m_patternsLabel->setText(tr("Pattern subscriptions (PUBSUB NUMPAT): %1. PUBSUB NUMSUB leaves them out of "
                                "the channels' subscriber "
                                "counts; the clients holding them are those with patterns below.")
                                 .arg(s.patternsKnown ? locale.toString(s.patternSubscriptions) : unknown));
    if (!m_error.isEmpty()) {
        m_status->setText(tr("Refresh failed: %1").arg(m_error));
        return;
    }
    if (!m_controller->isAttached()) {
        m_status->setText(tr("Not connected"));
        return;
    }
    if (!m_haveSnapshot) {
        m_status->setText(tr("Waiting for the first refresh…"));
        return;
    }
    // A backed-off round carries the channel list over: say how old it is rather than the round's time.
    const QString when =
        s.channelsRefreshed || !s.channelsTakenAt.isValid()
            ? tr("refreshed in %1 ms").arg(locale.toString(s.durationMs))
            : tr("channel list from %1")
                  .arg(locale.toString(s.channelsTakenAt.toLocalTime().time(), u"HH:mm:ss"_s));
    QString text =
        tr("%1 channels · %2 subscriptions · %3 pattern subscriptions · %4")
            .arg(s.channelsKnown ? locale.toString(qsizetype(s.channels.size())) : unknown,
                 s.subscribersKnown ? locale.toString(m_controller->listModel()->totalSubscribers())
                                    : unknown,
                 s.patternsKnown ? locale.toString(s.patternSubscriptions) : unknown, when);
    if (!m_filter->text().trimmed().isEmpty())
        text += tr(" · %1 shown").arg(locale.toString(m_tableProxy->rowCount()));
    m_status->setText(text);
}

void ChannelsView::updateNotes()
{
    const PubSubSnapshot &s = m_controller->lastSnapshot();
    const bool attached = m_controller->isAttached() && m_haveSnapshot;
    const QStringList problems = attached ? ChannelNotes::problems(s) : QStringList();
    m_notes->setText(problems.join(u'\n'));
    m_notes->setVisible(!problems.isEmpty());
    const QString pacing = attached ? ChannelNotes::pacing(s, m_controller->refreshInterval()) : QString();
    m_pacing->setText(pacing);
    m_pacing->setToolTip(pacing.isEmpty() ? QString()
                                          : ChannelNotes::pacingDetails(s, m_controller->pollBudget()));
    m_pacing->setVisible(!pacing.isEmpty());
    // A Cluster: how the counts add up over the nodes, and the classic / sharded column.
    const QString cluster = attached ? ChannelNotes::cluster(s) : QString();
    if (!cluster.isEmpty()) {
        m_pacing->setText(pacing.isEmpty() ? cluster : pacing + u'\n' + cluster);
        m_pacing->setVisible(true);
    }
    m_table->setColumnHidden(Kind, cluster.isEmpty());
    m_tree->setColumnHidden(Kind, true);
}

void ChannelsView::retranslateUi()
{
    m_filter->setPlaceholderText(tr("Filter channels: text or glob (room:*)"));
    m_filter->setToolTip(
        tr("Text matches anywhere in the name, ignoring case; *, ? or [ make it a glob on the "
           "whole name, as PSUBSCRIBE matches (Ctrl+F)"));
    m_intervalLabel->setText(tr("Refresh:"));
    const QStringList intervals{tr("Off"), tr("1 s"), tr("2 s"), tr("5 s"), tr("10 s")};
    for (int i = 0; i < m_interval->count() && i < intervals.size(); ++i)
        m_interval->setItemText(i, intervals[i]);
    m_interval->setToolTip(tr("How often Redis is asked for its channels and subscribers"));
    m_refreshAction->setText(tr("Refresh"));
    m_refreshAction->setToolTip(tr("Ask Redis now (F5)"));
    m_treeAction->setText(tr("Tree"));
    m_treeAction->setToolTip(tr("Group channels by their ':' segments"));
    m_tableAction->setText(tr("Table"));
    m_tableAction->setToolTip(tr("One sortable row per channel"));
    m_tapAction->setText(tr("Tap"));
    m_tapAction->setToolTip(tr("Watch the messages on the selected channels, or a group's pattern (Ctrl+T)"));
    m_findAction->setText(tr("Find channel"));
    m_tabs->setTabText(0, tr("Channels"));
    m_tabs->setTabText(1, tr("Patterns && clients"));
    m_patternOnly->setText(tr("Only clients with pattern subscriptions"));
    m_tree->setToolTip(QString());
    updateStatus();
}

void ChannelsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}
