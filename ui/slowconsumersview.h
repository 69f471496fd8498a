// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTreeWidget;
class SlowConsumerModel;
class SlowConsumerMonitor;
struct SlowConsumerEvent;

// Slow-consumer early warning: the output-buffer limit Redis reports (or that CONFIG was refused and
// Redis's defaults are assumed), the Pub/Sub connections and relay clients above the warning share
// (sortable), the recent events and the threshold. warningCountChanged() lets the main window show the
// count in its status bar and in the dock's title.
class SlowConsumersView : public QWidget
{
    Q_OBJECT
public:
    explicit SlowConsumersView(SlowConsumerMonitor *monitor, QWidget *parent = nullptr);

    int warningCount() const;
    // "Slow consumers", or "Slow consumers (2)" while there are warnings.
    QString titleText() const;
    QString limitsText() const;
    QTableView *table() const { return m_table; }
    QTreeWidget *events() const { return m_events; }
    // The warning share in percent (5 .. 100); persisted by the caller.
    void setThresholdPercent(int percent);
    int thresholdPercent() const;

Q_SIGNALS:
    void warningCountChanged(int count);
    void thresholdPercentChanged(int percent);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateLimits();
    void updateSummary();
    void addEvent(const SlowConsumerEvent &event);

    SlowConsumerMonitor *m_monitor;
    SlowConsumerModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_limits;
    QLabel *m_thresholdLabel;
    QSpinBox *m_threshold;
    QLabel *m_summary;
    QTableView *m_table;
    QLabel *m_eventsLabel;
    QTreeWidget *m_events;
};
