// SPDX-License-Identifier: MIT
#include "fleetchartsview.h"

#include "fleethistory.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QValueAxis>

using namespace Qt::StringLiterals;

FleetChartsView::FleetChartsView(FleetHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QStringList names{u"fleetChartRates"_s, u"fleetChartClients"_s, u"fleetChartQueued"_s};
    for (size_t i = 0; i < m_panels.size(); ++i) {
        m_panels[i] = std::make_unique<ChartPanel>(names[int(i)], this);
        m_panels[i]->applyPalette(this);
    }
    m_panels[2]->valueAxis()->setLabelFormat(u"%.0f"_s);
    layout->addWidget(m_panels[0]->view(), 0, 0, 1, 2);
    layout->addWidget(m_panels[1]->view(), 1, 0);
    layout->addWidget(m_panels[2]->view(), 1, 1);
    m_timer.setInterval(500);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FleetChartsView::redraw);
    connect(history, &FleetHistory::changed, this, &FleetChartsView::schedule);
    retranslateUi();
}

FleetChartsView::~FleetChartsView() = default;

void FleetChartsView::setRelay(const QString &key, const QString &title)
{
    m_key = key;
    m_title = title;
    retranslateUi();
}

void FleetChartsView::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void FleetChartsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    if (event->type() == QEvent::PaletteChange) {
        for (const auto &p : m_panels)
            p->applyPalette(this);
        m_drawnVersion = 0;
        redraw();
    }
    QWidget::changeEvent(event);
}

void FleetChartsView::retranslateUi()
{
    const QString who = m_title.isEmpty() ? tr("select a relay") : m_title;
    m_panels[0]->chart()->setTitle(tr("Frames per second: %1").arg(who));
    m_panels[1]->chart()->setTitle(tr("Clients"));
    m_panels[2]->chart()->setTitle(tr("Bytes queued for clients"));
    m_drawnVersion = 0;
    redraw();
}

void FleetChartsView::redraw()
{
    if (m_history->version() == m_drawnVersion && m_drawnVersion != 0)
        return;
    m_drawnVersion = m_history->version();
    ++m_redraws;
    using M = FleetHistory::Measure;
    const auto series = [this](std::initializer_list<std::pair<QString, M>> wanted) {
        QList<std::pair<QString, QList<QPointF>>> out;
        if (!m_key.isEmpty()) {
            for (const auto &[name, measure] : wanted)
                out.append({name, m_history->points(m_key, measure)});
        }
        return out;
    };
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = end - m_history->window();
    const std::array<QList<std::pair<QString, QList<QPointF>>>, 3> all{
        series({{tr("in"), M::InRate}, {tr("out"), M::OutRate}}),
        series({{tr("clients"), M::Clients}}),
        series({{tr("queued bytes"), M::QueuedBytes}}),
    };
    for (size_t i = 0; i < m_panels.size(); ++i) {
        ChartPanel &p = *m_panels[i];
        p.setValueTop(p.setSeries(all[i]));
        p.setTimeRange(start, end);
        p.chart()->legend()->setVisible(i == 0 && !all[i].isEmpty());
    }
}
