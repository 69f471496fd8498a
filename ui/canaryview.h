// SPDX-License-Identifier: MIT
#pragma once

#include <QTimer>
#include <QWidget>

class CanaryMonitor;
class CanaryStatusModel;
class QChart;
class QChartView;
class QCheckBox;
class QDateTimeAxis;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTableView;
class QValueAxis;

// The delivery canaries (CanaryMonitor): a start/stop button, the probe interval, whether canaries start
// by themselves when relays are listed; a line chart of every relay's p50 (solid) and p99 (dashed)
// latency from CanaryHistory, redrawn by one coalescing timer; a table of the relays' states and counts.
class CanaryView : public QWidget
{
    Q_OBJECT
public:
    explicit CanaryView(CanaryMonitor *monitor, QWidget *parent = nullptr);

    QChart *chart() const { return m_chart; }
    QTableView *table() const { return m_table; }
    // Redraws now if the history changed (the timer calls it).
    void redraw();
    int redrawCount() const { return m_redraws; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildControls();
    void buildChart();
    void retranslateUi();
    void applyTheme();
    void updateControls();

    CanaryMonitor *m_monitor;
    CanaryStatusModel *m_model;
    QPushButton *m_startStop;
    QDoubleSpinBox *m_interval;
    QCheckBox *m_autoStart;
    QLabel *m_intervalLabel;
    QLabel *m_note;
    QChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QDateTimeAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QTableView *m_table;
    QTimer m_redrawTimer;
    quint64 m_drawnVersion = 0;
    int m_redraws = 0;
};
