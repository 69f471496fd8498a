// SPDX-License-Identifier: MIT
#include "slowconsumersview.h"

#include "slowconsumermodel.h"
#include "slowconsumermonitor.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxEventRows = 200;

} // namespace

SlowConsumersView::SlowConsumersView(SlowConsumerMonitor *monitor, QWidget *parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_model(new SlowConsumerModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_limits(new QLabel(this))
    , m_thresholdLabel(new QLabel(this))
    , m_threshold(new QSpinBox(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_eventsLabel(new QLabel(this))
    , m_events(new QTreeWidget(this))
{
    setObjectName(u"slowConsumersView"_s);
    m_limits->setObjectName(u"slowConsumersLimits"_s);
    m_threshold->setObjectName(u"slowConsumersThreshold"_s);
    m_summary->setObjectName(u"slowConsumersSummary"_s);
    m_table->setObjectName(u"slowConsumersTable"_s);
    m_events->setObjectName(u"slowConsumersEvents"_s);
    m_limits->setWordWrap(true);
    m_limits->setTextFormat(Qt::PlainText);
    m_limits->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setTextFormat(Qt::PlainText);
    m_threshold->setRange(5, 100);
    m_threshold->setSuffix(u" %"_s);
    m_threshold->setValue(int(std::lround(monitor->threshold() * 100)));

    m_model->setMonitor(monitor);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SlowConsumerModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SlowConsumerModel::BytesColumn, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_events->setColumnCount(5);
    m_events->setRootIsDecorated(false);
    m_events->setUniformRowHeights(true);
    m_events->setAlternatingRowColors(true);
    m_events->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_thresholdLabel);
    thresholdRow->addWidget(m_threshold);
    thresholdRow->addSpacing(12);
    thresholdRow->addWidget(m_summary, 1);

    auto *eventsBox = new QWidget(this);
    auto *eventsLayout = new QVBoxLayout(eventsBox);
    eventsLayout->setContentsMargins(0, 0, 0, 0);
    eventsLayout->addWidget(m_eventsLabel);
    eventsLayout->addWidget(m_events, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(eventsBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_limits);
    layout->addLayout(thresholdRow);
    layout->addWidget(splitter, 1);

    connect(m_threshold, &QSpinBox::valueChanged, this, [this](int percent) {
        m_monitor->setThreshold(percent / 100.0);
        updateSummary();
        Q_EMIT thresholdPercentChanged(percent);
    });
    connect(monitor, &SlowConsumerMonitor::limitsChanged, this, &SlowConsumersView::updateLimits);
    connect(monitor, &SlowConsumerMonitor::roundFinished, this, &SlowConsumersView::updateSummary);
    connect(monitor, &SlowConsumerMonitor::warningsChanged, this, &SlowConsumersView::updateSummary);
    connect(monitor, &SlowConsumerMonitor::pollFailed, this, &SlowConsumersView::updateSummary);
    connect(monitor, &SlowConsumerMonitor::warningCountChanged, this,
            &SlowConsumersView::warningCountChanged);
    connect(monitor, &SlowConsumerMonitor::eventAdded, this, &SlowConsumersView::addEvent);
    for (const SlowConsumerEvent &e : monitor->events())
        addEvent(e);
    retranslateUi();
}

int SlowConsumersView::warningCount() const
{
    return m_monitor->warningCount();
}

QString SlowConsumersView::titleText() const
{
    const int count = warningCount();
    return count > 0 ? tr("Slow consumers (%1)").arg(count) : tr("Slow consumers");
}

QString SlowConsumersView::limitsText() const
{
    return m_limits->text();
}

void SlowConsumersView::setThresholdPercent(int percent)
{
    m_threshold->setValue(percent);
}

int SlowConsumersView::thresholdPercent() const
{
    return m_threshold->value();
}

void SlowConsumersView::updateLimits()
{
    // The node column only on a Cluster (one server's limit has no node).
    const auto limits = m_monitor->limits();
    m_table->setColumnHidden(
        SlowConsumerModel::NodeColumn,
        std::none_of(limits.cbegin(), limits.cend(), [](const auto &l) { return !l.node.isEmpty(); }));
    m_limits->setText(m_monitor->isRunning() || !m_monitor->limits().isEmpty()
                          ? SlowConsumerMonitor::describeLimits(m_monitor->limits())
                          : tr("Not connected."));
}

void SlowConsumersView::updateSummary()
{
    const int percent = m_threshold->value();
    QString text =
        warningCount() == 0
            ? tr("No Pub/Sub connection or relay client above %1 % of its limit.").arg(percent)
            : tr("%n connection(s) above %1 % of their limit.", nullptr, warningCount()).arg(percent);
    const auto interval = std::max(m_monitor->interval(), m_monitor->pacing().interval);
    if (m_monitor->isRunning() && interval.count() > 0)
        text +=
            u' ' +
            tr("CLIENT LIST every %1 s.").arg(QLocale().toString(double(interval.count()) / 1000.0, 'g', 3));
    if (!m_monitor->lastError().isEmpty())
        text += u' ' + tr("Last poll: %1").arg(m_monitor->lastError());
    m_summary->setText(text);
}

void SlowConsumersView::addEvent(const SlowConsumerEvent &event)
{
    const SlowConsumer &c = event.consumer;
    const QString size = QLocale().formattedDataSize(c.bytes, 1, QLocale::DataSizeIecFormat);
    const QString share =
        c.softLimit > 0   ? tr("%1 (%2 % of soft)").arg(size).arg(std::lround(c.softShare() * 100))
        : c.hardLimit > 0 ? tr("%1 (%2 % of hard)").arg(size).arg(std::lround(c.hardShare() * 100))
                          : size;
    auto *item =
        new QTreeWidgetItem(QStringList{QLocale().toString(event.at.toLocalTime().time(), u"HH:mm:ss"_s),
                                        event.text(), c.displayName(), c.relay, share});
    item->setToolTip(1, event.text());
    if (!c.node.isEmpty())
        item->setToolTip(2, tr("node %1").arg(c.node));
    m_events->insertTopLevelItem(0, item);
    while (m_events->topLevelItemCount() > MaxEventRows)
        delete m_events->takeTopLevelItem(m_events->topLevelItemCount() - 1);
}

void SlowConsumersView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SlowConsumersView::retranslateUi()
{
    setWindowTitle(tr("Slow consumers"));
    m_thresholdLabel->setText(tr("Warn at"));
    m_threshold->setToolTip(tr("Share of the soft limit (of the hard one when there is no soft limit, of "
                               "--max-outbound-bytes for relay clients) that warns"));
    m_eventsLabel->setText(tr("Recent events"));
    m_events->setHeaderLabels({tr("Time"), tr("Event"), tr("Connection"), tr("Relay"), tr("Output buffer")});
    updateLimits();
    updateSummary();
}
