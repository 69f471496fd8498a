// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayList>
#include <QList>
#include <QPersistentModelIndex>
#include <QWidget>

class ChannelFilterProxyModel;
class ChannelsController;
class HistoryMarkerProxyModel;
class QAction;
class QActionGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolBar;
class QTreeView;
struct PubSubSnapshot;

// The console's Channels view: Redis's channels as a ':' tree or a sortable table with subscriber,
// relay and traffic columns, a filter (text or glob), the refresh interval, and the pattern
// subscriptions and pub/sub clients apart. "Tap" asks the main window to tap the selection.
class ChannelsView : public QWidget
{
    Q_OBJECT
public:
    explicit ChannelsView(ChannelsController *controller, QWidget *parent = nullptr);

    ChannelsController *controller() const { return m_controller; }
    QAction *tapAction() const { return m_tapAction; }
    QAction *refreshAction() const { return m_refreshAction; }
    bool isTreeShown() const;
    void setTreeShown(bool tree);
    // The product's own channels (heartbeats, probes, canaries): hidden by default.
    void setShowPlumbing(bool show);

    // The channels selected in the visible view (tree: channel nodes only).
    QByteArrayList selectedChannels() const;
    // Patterns for the group nodes selected in the tree that are not channels themselves.
    QByteArrayList selectedPatterns() const;

Q_SIGNALS:
    void tapChannelsRequested(const QByteArrayList &channels);
    void tapPatternRequested(const QByteArray &pattern);
    // Double-click on a room's channel (<prefix>room:<id>), or "Room detail" in its context menu.
    void roomDetailRequested(const QByteArray &channel);

protected:
    void changeEvent(QEvent *event) override;

private:
    // A group with more rows than this is not opened for the operator: QTreeView lays out every row of
    // an open group whenever rows come or go under it (a million rows take about a second).
    static constexpr int AutoExpandRows = 10000;
    void expandNewGroups();
    void retranslateUi();
    void tapSelection();
    void showContextMenu(const QPoint &pos);
    // Asks for the detail of index's channel when it is a room's; false otherwise.
    bool openRoomDetail(const QModelIndex &index);
    void setupHistoryMarkers();
    void onSnapshot(const PubSubSnapshot &snapshot);
    void onRefreshFailed(const QString &error);
    void updateStatus();
    void updateNotes();
    void updateActions();
    void syncIntervalCombo();
    void setupToolBar();
    void setupChannelViews();
    void setupColumns();
    QWidget *buildClientsPage();
    void setupLayout();
    void connectControls();
    void connectController();

    ChannelsController *m_controller;
    HistoryMarkerProxyModel *m_treeProxy;
    HistoryMarkerProxyModel *m_tableProxy;
    QSortFilterProxyModel *m_clientProxy;
    QToolBar *m_toolBar;
    QLineEdit *m_filter;
    QLabel *m_intervalLabel;
    QComboBox *m_interval;
    QAction *m_refreshAction;
    QAction *m_treeAction;
    QAction *m_tableAction;
    QActionGroup *m_modeGroup;
    QAction *m_tapAction;
    QAction *m_findAction;
    QTabWidget *m_tabs;
    QStackedWidget *m_stack;
    QTreeView *m_tree;
    QTableView *m_table;
    QLabel *m_patternsLabel;
    QCheckBox *m_patternOnly;
    QTableView *m_clients;
    QLabel *m_notes;
    QLabel *m_pacing;
    QLabel *m_status;
    QString m_error;
    bool m_haveSnapshot = false;
    // Top-level groups that appeared in the round being applied; opened when it is in, if small.
    QList<QPersistentModelIndex> m_newGroups;
};
