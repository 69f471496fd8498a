// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class FleetChartsView;
class FleetController;
class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

// The fleet: every relay that heartbeats in a sortable table (stale ones greyed, failing ones red)
// and, for the selected relay, its load charts, rooms, busiest clients and raw counters.
class FleetView : public QWidget
{
    Q_OBJECT
public:
    explicit FleetView(FleetController *controller, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QTabWidget *details() const { return m_tabs; }
    FleetChartsView *charts() const { return m_charts; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSummary();
    void updateDetails();
    void onCurrentChanged();

    FleetController *m_controller;
    QLabel *m_summary;
    QTableView *m_table;
    QSortFilterProxyModel *m_proxy;
    QTabWidget *m_tabs;
    FleetChartsView *m_charts;
    QTableView *m_rooms;
    QTableView *m_clients;
    QPlainTextEdit *m_counters;
};
