// SPDX-License-Identifier: MIT
#pragma once

#include "chartpanel.h"

#include <QTimer>
#include <QWidget>

#include <array>
#include <memory>

class FleetHistory;

// One relay's load over time from FleetHistory: frames per second in and out, clients, bytes
// queued. Redrawn on one coalescing timer, at most twice a second.
class FleetChartsView : public QWidget
{
    Q_OBJECT
public:
    explicit FleetChartsView(FleetHistory *history, QWidget *parent = nullptr);
    ~FleetChartsView() override;

    void setRelay(const QString &key, const QString &title);
    void redraw();
    int redrawCount() const { return m_redraws; }
    ChartPanel *panel(int i) const { return m_panels[size_t(i)].get(); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void schedule();

    FleetHistory *m_history;
    std::array<std::unique_ptr<ChartPanel>, 3> m_panels;
    QString m_key;
    QString m_title;
    QTimer m_timer;
    quint64 m_drawnVersion = 0;
    int m_redraws = 0;
};
