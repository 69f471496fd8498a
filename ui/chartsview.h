// SPDX-License-Identifier: MIT
#pragma once

#include "chartpanel.h"
#include "traffichistory.h"

#include <QTimer>
#include <QWidget>

#include <array>
#include <memory>

class QChart;

// Three charts over TrafficHistory: messages/s (total and top channels), subscribers of chosen
// channels, relay connections. The history changes often; one coalescing timer redraws at most
// twice a second, one replace() per series.
class ChartsView : public QWidget
{
    Q_OBJECT

public:
    explicit ChartsView(TrafficHistory *history, QWidget *parent = nullptr);
    ~ChartsView() override;

    QChart *chart(TrafficHistory::Group group) const;
    // Redraws now if the history changed (the timer calls it).
    void redraw();
    int redrawCount() const { return m_redraws; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void applyTheme();

    TrafficHistory *m_history;
    std::array<std::unique_ptr<ChartPanel>, TrafficHistory::GroupCount> m_charts;
    QTimer m_timer;
    quint64 m_drawnVersion = 0;
    int m_redraws = 0;
};
