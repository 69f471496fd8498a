// SPDX-License-Identifier: MIT
#include "fleetview.h"

#include "fleetchartsview.h"
#include "fleetclientsmodel.h"
#include "fleetcontroller.h"
#include "fleetmodel.h"
#include "fleetroomsmodel.h"
#include "relaydirectory.h"

#include <QBrush>
#include <QColor>
#include <QEvent>
#include <QFont>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// Paints the fleet's alerts: stale relays grey and italic, relays whose bus or canary fails red.
class FleetAlertProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::ForegroundRole) {
            if (index.data(FleetModel::StaleRole).toBool())
                return QBrush(QColor(0x80, 0x80, 0x80));
            if (index.data(FleetModel::AlertRole).toBool())
                return QBrush(QColor(0xd0, 0x30, 0x30));
        }
        if (role == Qt::FontRole && index.data(FleetModel::StaleRole).toBool()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return QSortFilterProxyModel::data(index, role);
    }
};
} // namespace

static QTableView *makeTable(QAbstractItemModel *model, int sortRole, int sortColumn, Qt::SortOrder order,
                             const QString &name, QWidget *parent, QSortFilterProxyModel *proxy = nullptr)
{
    if (!proxy)
        proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    proxy->setDynamicSortFilter(true);
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(sortColumn, order);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->setWordWrap(false);
    return table;
}

FleetView::FleetView(FleetController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_summary(new QLabel(this))
{
    m_table = makeTable(controller->model(), FleetModel::SortRole, FleetModel::InstanceColumn,
                        Qt::AscendingOrder, u"fleetTable"_s, this, new FleetAlertProxy(this));
    m_proxy = static_cast<QSortFilterProxyModel *>(m_table->model());
    for (int c : {int(FleetModel::HostColumn), int(FleetModel::UrlColumn)})
        m_table->setColumnWidth(c, 170);
    m_tabs = new QTabWidget(this);
    m_charts = new FleetChartsView(controller->history(), m_tabs);
    m_rooms = makeTable(controller->rooms(), FleetRoomsModel::SortRole, FleetRoomsModel::MembersColumn,
                        Qt::DescendingOrder, u"fleetRooms"_s, m_tabs);
    m_clients = makeTable(controller->clients(), FleetClientsModel::SortRole, FleetClientsModel::QueuedColumn,
                          Qt::DescendingOrder, u"fleetClients"_s, m_tabs);
    m_counters = new QPlainTextEdit(m_tabs);
    m_counters->setReadOnly(true);
    m_counters->setObjectName(u"fleetCounters"_s);
    m_tabs->addTab(m_charts, QString());
    m_tabs->addTab(m_rooms, QString());
    m_tabs->addTab(m_clients, QString());
    m_tabs->addTab(m_counters, QString());

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FleetView::onCurrentChanged);
    FleetModel *model = controller->model();
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_table->setCurrentIndex(m_proxy->index(0, 0));
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &FleetView::updateSummary);
    connect(model, &FleetModel::alertsChanged, this, &FleetView::updateSummary);
    connect(controller->directory(), &RelayDirectory::changed, this, &FleetView::updateDetails);
    retranslateUi();
}

void FleetView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FleetView::retranslateUi()
{
    m_tabs->setTabText(0, tr("Load"));
    m_tabs->setTabText(1, tr("Rooms"));
    m_tabs->setTabText(2, tr("Busiest clients"));
    m_tabs->setTabText(3, tr("Counters"));
    updateSummary();
    updateDetails();
}

void FleetView::onCurrentChanged()
{
    const QModelIndex current = m_table->currentIndex();
    m_controller->select(current.isValid() ? current.data(FleetModel::KeyRole).toString() : QString());
    updateDetails();
}

void FleetView::updateSummary()
{
    const RelayDirectory *directory = m_controller->directory();
    const int relays = m_controller->model()->rowCount();
    QString text;
    if (!directory->error().isEmpty())
        text = tr("Not listening to relay heartbeats: Redis refused the subscription (%1).")
                   .arg(directory->error());
    else if (relays == 0)
        text = tr("No relay heartbeats yet. Relays publish one every --stats-interval on "
                  "<prefix>switchboard:relays.");
    else
        text = tr("%n relay(s)", nullptr, relays);
    if (const int alerts = m_controller->model()->alertCount(); alerts > 0)
        text += u" · "_s + tr("%n need(s) attention (stale, bus down or canary failing)", nullptr, alerts);
    m_summary->setText(text);
}

void FleetView::updateDetails()
{
    const QString key = m_controller->selected();
    const auto stats = key.isEmpty() ? std::nullopt : m_controller->directory()->instance(key);
    m_charts->setRelay(key, stats ? stats->instance : QString());
    if (!stats) {
        m_counters->setPlainText(key.isEmpty() ? tr("Select a relay.") : tr("This relay is gone."));
        return;
    }
    const auto block = [](const QString &title, const QJsonObject &o) {
        return title + u"\n"_s + QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
    };
    const QString text = block(tr("Bus"), stats->bus) + block(tr("Protection"), stats->protection) +
                         block(tr("State beside Pub/Sub"), stats->state);
    if (m_counters->toPlainText() != text)
        m_counters->setPlainText(text);
}
