// SPDX-License-Identifier: MIT
#include "chartsview.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

ChartsView::ChartsView(TrafficHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QStringList names{u"chartMessages"_s, u"chartSubscribers"_s, u"chartRelay"_s};
    for (size_t i = 0; i < m_charts.size(); ++i) {
        Panel &p = m_charts[i];
        p.chart = new QChart;
        p.chart->setMargins(QMargins(4, 4, 4, 4));
        p.chart->legend()->setAlignment(Qt::AlignBottom);
        p.chart->setAnimationOptions(QChart::NoAnimation);
        p.x = new QDateTimeAxis(p.chart);
        p.x->setFormat(u"HH:mm:ss"_s);
        p.x->setTickCount(6);
        p.y = new QValueAxis(p.chart);
        p.y->setLabelFormat(u"%.0f"_s);
        p.y->setMin(0);
        p.x->setTruncateLabels(false);
        p.y->setTruncateLabels(false);
        p.chart->addAxis(p.x, Qt::AlignBottom);
        p.chart->addAxis(p.y, Qt::AlignLeft);
        p.view = new QChartView(p.chart, this);
        p.view->setObjectName(names[int(i)]);
        p.view->setRenderHint(QPainter::Antialiasing);
        p.view->setMinimumHeight(160);
    }
    layout->addWidget(m_charts[0].view, 0, 0, 1, 2);
    layout->addWidget(m_charts[1].view, 1, 0);
    layout->addWidget(m_charts[2].view, 1, 1);
    for (size_t i = 1; i < m_charts.size(); ++i)
        m_charts[i].x->setTickCount(3);
    layout->setRowStretch(0, 3);
    layout->setRowStretch(1, 2);
    m_timer.setInterval(500);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ChartsView::redraw);
    connect(history, &TrafficHistory::changed, this, [this] {
        if (!m_timer.isActive())
            m_timer.start();
    });
    retranslateUi();
    applyTheme();
    redraw();
}

void ChartsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void ChartsView::retranslateUi()
{
    m_charts[0].chart->setTitle(tr("Messages per second (tapped channels: total and busiest)"));
    m_charts[1].chart->setTitle(tr("Subscribers"));
    m_charts[2].chart->setTitle(tr("Relay connections"));
    m_drawnVersion = 0;
    redraw();
}

void ChartsView::applyTheme()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (Panel &p : m_charts) {
        p.chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        p.chart->setBackgroundBrush(palette().color(QPalette::Base));
        p.chart->setTitleBrush(palette().color(QPalette::WindowText));
        p.chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
        p.x->setLabelsColor(palette().color(QPalette::WindowText));
        p.y->setLabelsColor(palette().color(QPalette::WindowText));
        p.chart->setAnimationOptions(QChart::NoAnimation);
    }
    m_drawnVersion = 0;
    redraw();
}

void ChartsView::redraw()
{
    if (m_history->version() == m_drawnVersion && m_drawnVersion != 0)
        return;
    m_drawnVersion = m_history->version();
    ++m_redraws;
    const qint64 end = m_history->latest() > 0 ? m_history->latest() : QDateTime::currentMSecsSinceEpoch();
    const qint64 start = end - m_history->window();
    for (size_t g = 0; g < m_charts.size(); ++g) {
        Panel &p = m_charts[g];
        const auto group = TrafficHistory::Group(g);
        const QStringList names = m_history->series(group);
        // Drop series that left the history, add the new ones.
        QHash<QString, QLineSeries *> existing;
        for (QAbstractSeries *s : p.chart->series()) {
            if (!names.contains(s->name())) {
                p.chart->removeSeries(s);
                delete s;
            } else {
                existing.insert(s->name(), static_cast<QLineSeries *>(s));
            }
        }
        double maximum = 0;
        for (const QString &name : names) {
            QLineSeries *series = existing.value(name);
            if (!series) {
                series = new QLineSeries;
                series->setName(name);
                p.chart->addSeries(series);
                series->attachAxis(p.x);
                series->attachAxis(p.y);
                QPen pen = series->pen();
                pen.setWidthF(name == "total"_L1 ? 2.5 : 1.5);
                series->setPen(pen);
            }
            const QList<QPointF> points = m_history->points(group, name);
            for (const QPointF &pt : points)
                maximum = std::max(maximum, pt.y());
            series->replace(points);
        }
        p.x->setRange(QDateTime::fromMSecsSinceEpoch(start), QDateTime::fromMSecsSinceEpoch(end));
        // Headroom, rounded up to a readable number.
        // Whole numbers for small counts (0..5 in steps of one), else headroom rounded up.
        const double top = std::max(5.0, maximum * 1.15);
        const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
        p.y->setRange(0, maximum * 1.15 <= 5 ? 5 : std::ceil(top / magnitude) * magnitude);
        p.y->setTickCount(6);
        p.chart->legend()->setVisible(!names.isEmpty() && (g == 0 || names.size() <= 3));
    }
}
