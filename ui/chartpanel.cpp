// SPDX-License-Identifier: MIT
#include "chartpanel.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

ChartPanel::ChartPanel(const QString &objectName, QWidget *parent)
    : m_chart(new QChart)
    , m_x(new QDateTimeAxis(m_chart))
    , m_y(new QValueAxis(m_chart))
{
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_x->setFormat(u"HH:mm:ss"_s);
    m_x->setTickCount(6);
    m_y->setLabelFormat(u"%.0f"_s);
    m_y->setMin(0);
    m_x->setTruncateLabels(false);
    m_y->setTruncateLabels(false);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_view = new QChartView(m_chart, parent);
    m_view->setObjectName(objectName);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(160);
}

double ChartPanel::setSeries(const QList<std::pair<QString, QList<QPointF>>> &series,
                             const QHash<QString, double> &penWidths)
{
    QHash<QString, QLineSeries *> existing;
    QStringList names;
    for (const auto &s : series)
        names.append(s.first);
    for (QAbstractSeries *s : m_chart->series()) {
        if (!names.contains(s->name())) {
            m_chart->removeSeries(s);
            delete s;
        } else {
            existing.insert(s->name(), static_cast<QLineSeries *>(s));
        }
    }
    double maximum = 0;
    for (const auto &[name, points] : series) {
        QLineSeries *line = existing.value(name);
        if (!line) {
            line = new QLineSeries;
            line->setName(name);
            m_chart->addSeries(line);
            line->attachAxis(m_x);
            line->attachAxis(m_y);
            QPen pen = line->pen();
            pen.setWidthF(penWidths.value(name, 1.5));
            line->setPen(pen);
        }
        for (const QPointF &pt : points)
            maximum = std::max(maximum, pt.y());
        line->replace(points);
    }
    return maximum;
}

void ChartPanel::setTimeRange(qint64 startMs, qint64 endMs)
{
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(startMs), QDateTime::fromMSecsSinceEpoch(endMs));
}

void ChartPanel::setValueTop(double maximum)
{
    const double top = std::max(5.0, maximum * 1.15);
    const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
    m_y->setRange(0, maximum * 1.15 <= 5 ? 5 : std::ceil(top / magnitude) * magnitude);
    m_y->setTickCount(6);
}

void ChartPanel::applyPalette(const QWidget *from)
{
    const QPalette palette = from->palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette.color(QPalette::Base));
    m_chart->setTitleBrush(palette.color(QPalette::WindowText));
    m_chart->legend()->setLabelColor(palette.color(QPalette::WindowText));
    m_x->setLabelsColor(palette.color(QPalette::WindowText));
    m_y->setLabelsColor(palette.color(QPalette::WindowText));
    m_chart->setAnimationOptions(QChart::NoAnimation);
}
