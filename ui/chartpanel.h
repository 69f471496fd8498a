// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
class QWidget;

// One time chart: a QChart with a time axis (x) and a value axis (y) from 0, in a QChartView. The
// views that draw histories (ChartsView, FleetChartsView, ...) keep their data elsewhere and hand
// it over with setSeries(), which reuses the line series by name.
class ChartPanel
{
public:
    ChartPanel(const QString &objectName, QWidget *parent);

    QChartView *view() const { return m_view; }
    QChart *chart() const { return m_chart; }
    QValueAxis *valueAxis() const { return m_y; }

    // Every series of the chart: those not named go, new ones are added with the given pen width.
    // Returns the largest value.
    double setSeries(const QList<std::pair<QString, QList<QPointF>>> &series,
                     const QHash<QString, double> &penWidths = {});
    void setTimeRange(qint64 startMs, qint64 endMs);
    // 0 .. a readable number above maximum (whole steps below 5).
    void setValueTop(double maximum);
    // Colours from the widget's palette (light or dark theme).
    void applyPalette(const QWidget *from);

private:
    QChart *m_chart;
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
    QChartView *m_view;
};
