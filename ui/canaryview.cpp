// SPDX-License-Identifier: MIT
#include "canaryview.h"

#include "canaryhistory.h"
#include "canarymonitor.h"
#include "canarystatusmodel.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Missing and Unreachable in red, Ok in green.
class StateDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const auto state = CanaryState(index.data(CanaryStatusModel::StateRole).toInt());
        if (state == CanaryState::Missing || state == CanaryState::Unreachable)
            option->palette.setColor(QPalette::Text, QColor(0xd3, 0x2f, 0x2f));
        else if (state == CanaryState::Ok)
            option->palette.setColor(QPalette::Text, QColor(0x2e, 0x9d, 0x42));
    }
};

} // namespace

CanaryView::CanaryView(CanaryMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_model(new CanaryStatusModel(monitor, this))
    , m_startStop(new QPushButton(this))
    , m_interval(new QDoubleSpinBox(this))
    , m_autoStart(new QCheckBox(this))
    , m_intervalLabel(new QLabel(this))
    , m_note(new QLabel(this))
    , m_table(new QTableView(this))
{
    buildControls();
    buildChart();
    m_table->setObjectName(u"canaryTable"_s);
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(CanaryStatusModel::State, new StateDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(CanaryStatusModel::State, QHeaderView::Stretch);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chartView);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_startStop);
    bar->addWidget(m_intervalLabel);
    bar->addWidget(m_interval);
    bar->addWidget(m_autoStart);
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_note);
    layout->addWidget(splitter, 1);

    m_redrawTimer.setInterval(500);
    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.callOnTimeout(this, &CanaryView::redraw);
    connect(monitor->history(), &CanaryHistory::changed, this, [this] {
        if (!m_redrawTimer.isActive())
            m_redrawTimer.start();
    });
    connect(monitor, &CanaryMonitor::changed, this, &CanaryView::updateControls);
    connect(monitor, &CanaryMonitor::runningChanged, this, &CanaryView::updateControls);
    retranslateUi();
    applyTheme();
}

void CanaryView::buildControls()
{
    m_startStop->setObjectName(u"canaryStartStop"_s);
    m_interval->setObjectName(u"canaryInterval"_s);
    m_autoStart->setObjectName(u"canaryAutoStart"_s);
    m_note->setObjectName(u"canaryNote"_s);
    m_note->setWordWrap(true);
    m_interval->setRange(CanaryMonitor::MinInterval.count() / 1000.0,
                         CanaryMonitor::MaxInterval.count() / 1000.0);
    m_interval->setDecimals(1);
    m_interval->setSingleStep(0.2);
    m_interval->setValue(m_monitor->interval().count() / 1000.0);
    m_intervalLabel->setBuddy(m_interval);
    m_autoStart->setChecked(m_monitor->autoStart());
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_monitor->isRunning())
            m_monitor->stop();
        else
            m_monitor->start();
    });
    connect(m_interval, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        m_monitor->setInterval(std::chrono::milliseconds(std::llround(seconds * 1000)));
    });
    connect(m_autoStart, &QCheckBox::toggled, this, [this](bool on) { m_monitor->setAutoStart(on); });
}

void CanaryView::buildChart()
{
    m_chart = new QChart;
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_x = new QDateTimeAxis(m_chart);
    m_x->setFormat(u"HH:mm:ss"_s);
    m_x->setTickCount(6);
    m_y = new QValueAxis(m_chart);
    m_y->setLabelFormat(u"%.1f"_s);
    m_y->setMin(0);
    m_x->setTruncateLabels(false);
    m_y->setTruncateLabels(false);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_chartView = new QChartView(m_chart, this);
    m_chartView->setObjectName(u"canaryChart"_s);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
}

void CanaryView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void CanaryView::retranslateUi()
{
    m_intervalLabel->setText(tr("&Interval:"));
    m_interval->setSuffix(tr(" s"));
    m_autoStart->setText(tr("Start when relays are listed"));
    m_autoStart->setToolTip(tr("Start the canaries by themselves whenever the console lists relays "
                               "(remembered)"));
    m_chart->setTitle(tr("Delivery latency per relay (p50 solid, p99 dashed, each over the last minute)"));
    m_y->setTitleText(tr("ms"));
    m_drawnVersion = 0;
    updateControls();
    redraw();
}

void CanaryView::applyTheme()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->setTitleBrush(palette().color(QPalette::WindowText));
    m_chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
    m_x->setLabelsColor(palette().color(QPalette::WindowText));
    m_y->setLabelsColor(palette().color(QPalette::WindowText));
    m_y->setTitleBrush(palette().color(QPalette::WindowText));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    // The theme replaced the series' pens: draw them again.
    for (QAbstractSeries *s : m_chart->series()) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_drawnVersion = 0;
    redraw();
}

void CanaryView::updateControls()
{
    m_startStop->setText(m_monitor->isRunning() ? tr("Stop canaries") : tr("Start canaries"));
    QStringList notes;
    if (!m_monitor->isActive() && m_monitor->isRunning())
        notes << m_monitor->offReason();
    if (!m_monitor->publishError().isEmpty())
        notes << tr("Redis refused the probe: %1").arg(m_monitor->publishError());
    if (m_monitor->overflow() > 0)
        notes << tr("%n relay(s) not followed (at most %1).", nullptr, m_monitor->overflow())
                     .arg(CanaryMonitor::MaxRelays);
    if (m_monitor->isRunning() && m_monitor->statuses().isEmpty())
        notes << tr("No relay is listed: relays appear once their heartbeat arrives.");
    m_note->setText(notes.join(u' '));
    m_note->setVisible(!notes.isEmpty());
}

void CanaryView::redraw()
{
    const CanaryHistory *history = m_monitor->history();
    if (history->version() == m_drawnVersion && m_drawnVersion != 0)
        return;
    m_drawnVersion = history->version();
    ++m_redraws;
    const qint64 end = history->latest() > 0 ? history->latest() : QDateTime::currentMSecsSinceEpoch();
    const QStringList relays = history->relays();
    // The last five minutes, or less while the history is younger (at least one minute).
    qint64 earliest = end;
    for (const QString &relay : relays) {
        const QList<QPointF> points = history->points(relay, CanaryHistory::Percentile::P99);
        if (!points.isEmpty())
            earliest = std::min(earliest, qint64(points.first().x()));
    }
    const qint64 start = std::min(end - 60'000, std::max(earliest, end - 5 * 60'000));
    QHash<QString, QLineSeries *> existing;
    for (QAbstractSeries *s : m_chart->series())
        existing.insert(s->name(), static_cast<QLineSeries *>(s));
    QSet<QString> wanted;
    double maximum = 0;
    for (const QString &relay : relays) {
        QColor color;
        for (const auto percentile : {CanaryHistory::Percentile::P50, CanaryHistory::Percentile::P99}) {
            const bool p99 = percentile == CanaryHistory::Percentile::P99;
            const QString name = relay + (p99 ? u" p99"_s : u" p50"_s);
            wanted.insert(name);
            QLineSeries *series = existing.value(name);
            if (!series) {
                series = new QLineSeries;
                series->setName(name);
                m_chart->addSeries(series);
                series->attachAxis(m_x);
                series->attachAxis(m_y);
            }
            QPen pen = series->pen();
            if (p99 && color.isValid())
                pen.setColor(color); // the relay's colour, dashed
            pen.setStyle(p99 ? Qt::DashLine : Qt::SolidLine);
            pen.setWidthF(p99 ? 1.5 : 2.0);
            series->setPen(pen);
            color = pen.color();
            const QList<QPointF> points = history->points(relay, percentile);
            for (const QPointF &pt : points)
                maximum = std::max(maximum, pt.y());
            series->replace(points);
        }
    }
    for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
        if (!wanted.contains(it.key())) {
            m_chart->removeSeries(it.value());
            delete it.value();
        }
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(start), QDateTime::fromMSecsSinceEpoch(end));
    const double top = std::max(1.0, maximum * 1.15);
    const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
    m_y->setRange(0, std::ceil(top / magnitude) * magnitude);
    m_y->setTickCount(6);
    m_chart->legend()->setVisible(!relays.isEmpty() && relays.size() <= 8);
}
