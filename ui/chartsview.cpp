// SPDX-License-Identifier: MIT
#include "chartsview.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>

using namespace Qt::StringLiterals;

ChartsView::ChartsView(TrafficHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QStringList names{u"chartMessages"_s, u"chartSubscribers"_s, u"chartRelay"_s};
    for (size_t i = 0; i < m_charts.size(); ++i)
        m_charts[i] = std::make_unique<ChartPanel>(names[int(i)], this);
    layout->addWidget(m_charts[0]->view(), 0, 0, 1, 2);
    layout->addWidget(m_charts[1]->view(), 1, 0);
    layout->addWidget(m_charts[2]->view(), 1, 1);
    for (size_t i = 1; i < m_charts.size(); ++i)
        static_cast<QDateTimeAxis *>(m_charts[i]->chart()->axes(Qt::Horizontal).constFirst())
            ->setTickCount(3);
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

ChartsView::~ChartsView() = default;

QChart *ChartsView::chart(TrafficHistory::Group group) const
{
    return m_charts[size_t(group)]->chart();
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
    m_charts[0]->chart()->setTitle(tr("Messages per second (tapped channels: total and busiest)"));
    m_charts[1]->chart()->setTitle(tr("Subscribers"));
    m_charts[2]->chart()->setTitle(tr("Relay connections"));
    m_drawnVersion = 0;
    redraw();
}

void ChartsView::applyTheme()
{
    for (const auto &p : m_charts)
        p->applyPalette(this);
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
        ChartPanel &p = *m_charts[g];
        const auto group = TrafficHistory::Group(g);
        const QStringList names = m_history->series(group);
        QList<std::pair<QString, QList<QPointF>>> series;
        for (const QString &name : names)
            series.append({name, m_history->points(group, name)});
        const double maximum = p.setSeries(series, {{u"total"_s, 2.5}});
        p.setTimeRange(start, end);
        p.setValueTop(maximum);
        p.chart()->legend()->setVisible(!names.isEmpty() && (g == 0 || names.size() <= 3));
    }
}
