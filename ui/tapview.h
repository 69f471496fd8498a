// SPDX-License-Identifier: MIT
#pragma once

#include "tapexporter.h"

#include <QWidget>

class TapController;
class TapFilterProxyModel;
class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QToolButton;

// The live tap: what to subscribe, the buffered messages (filtered), a detail pane and export.
class TapView : public QWidget
{
    Q_OBJECT

public:
    explicit TapView(TapController *controller, QWidget *parent = nullptr);

    // Exactly the rows the table shows (or the selected ones), in view order.
    bool exportRows(const QString &path, TapExporter::Format format, bool selectionOnly, QString *error);
    QTableView *table() const { return m_table; }
    // A row of controls (the RecordBar) below the filters.
    void addBar(QWidget *bar);

public Q_SLOTS:
    void tapChannels(const QByteArrayList &channels);
    void tapPattern(const QByteArray &pattern);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupControls();
    void setupTableAndDetail();
    void setupExportMenu();
    void setupLayout();
    void connectControls();
    void connectViews();
    void retranslateUi();
    void addFromEdit();
    void refreshSubscriptions();
    void refreshStatus();
    void showDetail();
    void exportInteractive(TapExporter::Format format, bool selectionOnly);

    TapController *m_controller;
    TapFilterProxyModel *m_proxy;
    QLineEdit *m_subscribeEdit;
    QPushButton *m_addButton;
    QListWidget *m_subscriptions;
    QPushButton *m_removeButton;
    QPushButton *m_pauseButton;
    QPushButton *m_clearButton;
    QCheckBox *m_follow;
    QLineEdit *m_channelFilter;
    QLineEdit *m_textFilter;
    QCheckBox *m_regex;
    QToolButton *m_exportButton;
    QLabel *m_banner;
    QLabel *m_status;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QLabel *m_detailHeader;
};
