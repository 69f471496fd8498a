// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ChannelFilterProxyModel;
class ChannelsController;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTreeView;
class QTreeWidget;
struct PubSubSnapshot;

// Channels and their subscribers, as a tree grouped by ':' and as a sortable table, plus the
// pattern subscriptions and pub/sub clients Redis reports apart.
class ChannelsView : public QWidget
{
    Q_OBJECT

public:
    explicit ChannelsView(ChannelsController *controller, QWidget *parent = nullptr);

    // What the current tab has selected: channels (and, from the tree, group patterns).
    QByteArrayList selectedChannels() const;
    QByteArrayList selectedPatterns() const;

Q_SIGNALS:
    void tapChannelsRequested(const QByteArrayList &channels);
    void tapPatternRequested(const QByteArray &pattern);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void requestTap();
    void showSnapshot(const PubSubSnapshot &snapshot);
    void showContextMenu(QWidget *view, const QPoint &pos);

    ChannelsController *m_controller;
    ChannelFilterProxyModel *m_treeProxy;
    ChannelFilterProxyModel *m_listProxy;
    QLineEdit *m_filter;
    QComboBox *m_interval;
    QPushButton *m_refresh;
    QPushButton *m_tap;
    QTabWidget *m_tabs;
    QTreeView *m_tree;
    QTableView *m_table;
    QWidget *m_patternsPage;
    QLabel *m_patternSummary;
    QTreeWidget *m_clients;
    QLabel *m_status;
    QAction *m_tapAction;
    QString m_lastError;
};
