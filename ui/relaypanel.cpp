// SPDX-License-Identifier: MIT
#include "relaypanel.h"

#include "connectioncontroller.h"
#include "consolelogging.h"
#include "embeddedrelay.h"
#include "relayclientsmodel.h"
#include "relaysimulator.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
void styleTable(QTableView *table)
{
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}
} // namespace

RelayPanel::RelayPanel(EmbeddedRelay *relay, RelaySimulator *simulator, QWidget *parent)
    : QWidget(parent)
    , m_relay(relay)
    , m_simulator(simulator)
    , m_clientsModel(new RelayClientsModel(this))
    , m_roomsModel(new RelayRoomsModel(this))
    , m_settingsBox(new QGroupBox(this))
    , m_port(new QSpinBox(this))
    , m_bind(new QComboBox(this))
    , m_bus(new QComboBox(this))
    , m_prefix(new QLineEdit(this))
    , m_historySize(new QSpinBox(this))
    , m_presence(new QCheckBox(this))
    , m_startStop(new QPushButton(this))
    , m_status(new QLabel(this))
    , m_watch(new QPushButton(this))
    , m_tabs(new QTabWidget(this))
    , m_clients(new QTableView(this))
    , m_rooms(new QTableView(this))
    , m_kick(new QPushButton(this))
    , m_simBox(new QGroupBox(this))
    , m_simClients(new QSpinBox(this))
    , m_simRooms(new QSpinBox(this))
    , m_simRate(new QDoubleSpinBox(this))
    , m_simStartStop(new QPushButton(this))
    , m_simStats(new QLabel(this))
{
    setupWidgets();
    setupSettingsBox();
    setupTabs();
    setupSimulatorAndLayout();
    connectSignals();
    retranslateUi();
}

// A label whose text retranslateUi() sets, by the order of creation.
QLabel *RelayPanel::newLabel()
{
    auto *l = new QLabel(this);
    m_labels << l;
    return l;
}

void RelayPanel::setupWidgets()
{
    m_port->setObjectName(u"relayPort"_s);
    m_port->setRange(0, 65535);
    m_port->setValue(3000);
    m_bind->setObjectName(u"relayBind"_s);
    m_bind->addItems({u"127.0.0.1"_s, u"0.0.0.0"_s, u"::1"_s});
    m_bus->setObjectName(u"relayBus"_s);
    m_prefix->setObjectName(u"relayPrefix"_s);
    m_historySize->setObjectName(u"relayHistorySize"_s);
    m_historySize->setRange(0, 100000);
    m_historySize->setSingleStep(100);
    m_presence->setObjectName(u"relayPresence"_s);
    m_startStop->setObjectName(u"relayStartStop"_s);
    m_status->setObjectName(u"relayStatusLine"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_status->setOpenExternalLinks(true);
    m_status->setWordWrap(true);
    m_watch->setObjectName(u"relayWatch"_s);
    m_clients->setObjectName(u"relayClients"_s);
    m_clients->setModel(m_clientsModel);
    m_clients->setSelectionMode(QAbstractItemView::ExtendedSelection);
    styleTable(m_clients);
    m_rooms->setObjectName(u"relayRooms"_s);
    m_rooms->setModel(m_roomsModel);
    styleTable(m_rooms);
    m_kick->setObjectName(u"relayKick"_s);
    auto *del = new QShortcut(QKeySequence::Delete, m_clients);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &RelayPanel::kickSelected);
    m_simClients->setObjectName(u"simClients"_s);
    m_simClients->setRange(1, RelaySimulator::MaxClients);
    m_simClients->setValue(20);
    m_simRooms->setObjectName(u"simRooms"_s);
    m_simRooms->setRange(1, 1000);
    m_simRooms->setValue(4);
    m_simRate->setObjectName(u"simRate"_s);
    m_simRate->setRange(0, 100000);
    m_simRate->setDecimals(1);
    m_simRate->setValue(10);
    m_simStartStop->setObjectName(u"simStartStop"_s);
    m_simStats->setObjectName(u"simStats"_s);
}

// Port, address, bus, prefix, start/stop and the status line.
void RelayPanel::setupSettingsBox()
{
    auto *settings = new QFormLayout(m_settingsBox);
    auto *portRow = new QHBoxLayout;
    portRow->addWidget(m_port);
    portRow->addWidget(newLabel());
    portRow->addWidget(m_bind, 1);
    settings->addRow(newLabel(), portRow);
    settings->addRow(newLabel(), m_bus);
    settings->addRow(newLabel(), m_prefix);
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_historySize);
    stateRow->addWidget(m_presence);
    stateRow->addStretch(1);
    settings->addRow(newLabel(), stateRow);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startStop);
    buttons->addWidget(m_watch);
    buttons->addStretch();
    settings->addRow(buttons);
    settings->addRow(m_status);
}

// Live clients (with kick) and rooms.
void RelayPanel::setupTabs()
{
    auto *clientsPage = new QWidget(this);
    auto *clientsLayout = new QVBoxLayout(clientsPage);
    clientsLayout->setContentsMargins(0, 4, 0, 0);
    clientsLayout->addWidget(m_clients);
    auto *kickRow = new QHBoxLayout;
    kickRow->addStretch();
    kickRow->addWidget(m_kick);
    clientsLayout->addLayout(kickRow);
    m_tabs->addTab(clientsPage, QString());
    m_tabs->addTab(m_rooms, QString());
    m_tabs->setDocumentMode(true);
}

void RelayPanel::setupSimulatorAndLayout()
{
    auto *sim = new QHBoxLayout(m_simBox);
    sim->addWidget(newLabel());
    sim->addWidget(m_simClients);
    sim->addWidget(newLabel());
    sim->addWidget(m_simRooms);
    sim->addWidget(newLabel());
    sim->addWidget(m_simRate);
    sim->addWidget(m_simStartStop);
    sim->addWidget(m_simStats, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_settingsBox);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_simBox);
}

void RelayPanel::connectSignals()
{
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_relay->isRunning())
            m_relay->stop();
        else
            startRelay();
    });
    connect(m_watch, &QPushButton::clicked, this,
            [this] { Q_EMIT watchTrafficRequested(m_relay->settings().relay.channelPrefix + "*"); });
    connect(m_kick, &QPushButton::clicked, this, &RelayPanel::kickSelected);
    connect(m_relay, &EmbeddedRelay::serverChanged, this, [this](RelayServer *server) {
        m_clientsModel->setServer(server);
        m_roomsModel->setServer(server);
        if (!server)
            m_simulator->stop();
        updateState();
    });
    connect(m_relay, &EmbeddedRelay::stopped, this, &RelayPanel::updateState);
    connect(m_clients->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RelayPanel::updateState);
    connect(m_simStartStop, &QPushButton::clicked, this, [this] {
        if (m_simulator->isRunning())
            m_simulator->stop();
        else
            startSimulator();
    });
    connect(m_simRate, &QDoubleSpinBox::valueChanged, m_simulator, &RelaySimulator::setRate);
    connect(m_simulator, &RelaySimulator::statsChanged, this, &RelayPanel::updateState);
    connect(m_simulator, &RelaySimulator::runningChanged, this, &RelayPanel::updateState);
    connect(m_clientsModel, &QAbstractItemModel::rowsInserted, this, &RelayPanel::updateState);
    connect(m_clientsModel, &QAbstractItemModel::rowsRemoved, this, &RelayPanel::updateState);
    connect(m_roomsModel, &QAbstractItemModel::rowsInserted, this, &RelayPanel::updateState);
    connect(m_roomsModel, &QAbstractItemModel::rowsRemoved, this, &RelayPanel::updateState);
}

void RelayPanel::setRedisOptions(const std::optional<RedisConnectionOptions> &options)
{
    m_redis = options;
    retranslateUi();
    if (options)
        m_bus->setCurrentIndex(1);
}

void RelayPanel::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateState();
}

void RelayPanel::setPort(int port)
{
    m_port->setValue(port);
}

void RelayPanel::setSimulation(int clients, int rooms, double rate)
{
    m_simClients->setValue(clients);
    m_simRooms->setValue(rooms);
    m_simRate->setValue(rate);
}

bool RelayPanel::startRelay(QString *error)
{
    EmbeddedRelay::Settings s;
    s.relay.port = quint16(m_port->value());
    s.relay.bindAddress = QHostAddress(m_bind->currentText());
    s.relay.channelPrefix = m_prefix->text().trimmed().toUtf8();
    s.relay.history.size = m_historySize->value();
    s.relay.presence.enabled = s.relay.presence.events = m_presence->isChecked();
    s.inProcessBus = m_bus->currentIndex() == 0 || !m_redis;
    if (m_redis)
        s.redis = *m_redis;
    m_error.clear();
    const bool ok = m_relay->start(s, &m_error);
    if (error)
        *error = m_error;
    updateState();
    return ok;
}

bool RelayPanel::startSimulator(QString *error)
{
    m_error.clear();
    bool ok = false;
    if (!m_relay->isRunning())
        m_error = tr("Start the relay first.");
    else
        ok = m_simulator->start(m_relay->url(), m_simClients->value(), m_simRooms->value(),
                                m_simRate->value(), &m_error);
    if (error)
        *error = m_error;
    updateState();
    return ok;
}

void RelayPanel::kickSelected()
{
    RelayServer *server = m_relay->server();
    if (!server || m_readOnly)
        return;
    const QModelIndexList rows = m_clients->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        server->kick(index.data(RelayClientsModel::ClientIdRole).toULongLong(),
                     u"kicked by operator"_s); // protocol text, not translated
}

void RelayPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RelayPanel::retranslateUi()
{
    m_settingsBox->setTitle(tr("Settings"));
    const QStringList labels{tr("on"),      tr("Port"),    tr("Bus"),   tr("Channel prefix"),
                             tr("History"), tr("Clients"), tr("Rooms"), tr("Messages/s")};
    for (int i = 0; i < m_labels.size() && i < labels.size(); ++i)
        m_labels[i]->setText(labels[i]);
    const int bus = m_bus->currentIndex();
    m_bus->clear();
    m_bus->addItem(tr("In-process (this console only)"));
    if (m_redis)
        m_bus->addItem(tr("Redis: %1").arg(m_redis->url.toDisplayString()));
    m_bus->setCurrentIndex(qBound(0, bus, m_bus->count() - 1));
    m_prefix->setPlaceholderText(tr("none (broadcast, room:<id>)"));
    m_historySize->setSpecialValueText(tr("off"));
    m_historySize->setSuffix(tr(" messages per room"));
    m_historySize->setToolTip(
        tr("Keep each room's last messages so that clients that join with \"since\" (or "
           "resume their session) get what they missed; sessions come with it"));
    m_presence->setText(tr("Presence"));
    m_presence->setToolTip(tr("Answer {\"type\":\"presence\"} with who is in a room and send presence_join / "
                              "presence_leave to its members"));
    m_watch->setText(tr("Watch traffic"));
    m_watch->setToolTip(tr("Tap the relay's channels in the live tap"));
    m_tabs->setTabText(0, tr("Clients"));
    m_tabs->setTabText(1, tr("Rooms"));
    m_kick->setText(tr("Kick"));
    m_kick->setToolTip(tr("Close the selected clients with 1008 (Delete)"));
    m_simBox->setTitle(tr("Simulator"));
    m_simRate->setSuffix(tr(" msg/s"));
    updateState();
}

void RelayPanel::updateState()
{
    const bool running = m_relay->isRunning();
    const bool stopping = m_relay->isStopping();
    m_startStop->setText(running ? tr("Stop relay") : tr("Start relay"));
    m_startStop->setEnabled(!stopping);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_port, m_bind, m_bus, m_prefix, m_historySize, m_presence})
        w->setEnabled(!running && !stopping);
    m_watch->setEnabled(running && !m_relay->settings().inProcessBus);
    const QLocale locale;
    if (running) {
        QString status =
            tr("<span style=\"color:#1a7f37\">●</span> Listening on <b>%1</b> · %2 clients · %3 rooms")
                .arg(m_relay->url().toString(), locale.toString(m_clientsModel->rowCount()),
                     locale.toString(m_roomsModel->rowCount()));
        if (m_relay->settings().relay.demoPage) {
            QUrl page = m_relay->url();
            page.setScheme(page.scheme() == u"wss"_s ? u"https"_s : u"http"_s);
            page.setPath(u"/"_s);
            status += u" · <a href=\"%1\">%2</a>"_s.arg(page.toString().toHtmlEscaped(),
                                                        tr("Development page (browser)"));
        }
        m_status->setText(status);
    } else if (!m_error.isEmpty()) {
        m_status->setText(u"<span style=\"color:#d1242f\">%1</span>"_s.arg(m_error.toHtmlEscaped()));
    } else {
        m_status->setText(stopping ? tr("Stopping…") : tr("Stopped"));
    }
    m_kick->setEnabled(running && !m_readOnly && m_clients->selectionModel()->hasSelection());
    m_kick->setToolTip(m_readOnly ? tr("Read-only profile: kicking is disabled")
                                  : tr("Close the selected clients with 1008 (Delete)"));
    const bool simulating = m_simulator->isRunning();
    m_simStartStop->setText(simulating ? tr("Stop") : tr("Start"));
    m_simStartStop->setEnabled(running || simulating);
    m_simClients->setEnabled(!simulating);
    m_simRooms->setEnabled(!simulating);
    const auto &st = m_simulator->stats();
    m_simStats->setText(simulating || st.sent > 0
                            ? tr("%1 connected · %2 joined · %3 sent · %4 received · %5 errors")
                                  .arg(locale.toString(st.connected), locale.toString(st.joined),
                                       locale.toString(qulonglong(st.sent)),
                                       locale.toString(qulonglong(st.received)),
                                       locale.toString(qulonglong(st.errors)))
                            : QString());
}

void RelayPanel::startWhenReady(ConnectionController *connection, int port, int simulatedClients)
{
    auto start = [this, port, simulatedClients] {
        setPort(port);
        QString error;
        if (!startRelay(&error)) {
            qCWarning(lcConsole).noquote() << "embedded relay:" << error;
            return;
        }
        if (simulatedClients > 0) {
            setSimulation(simulatedClients, qMax(1, simulatedClients / 6), simulatedClients * 0.75);
            if (!startSimulator(&error))
                qCWarning(lcConsole).noquote() << "simulator:" << error;
        }
    };
    if (connection->state() == RedisConnection::State::Ready) {
        start();
        return;
    }
    // Wait for the first connection, but not forever: after 8 s run in-process.
    auto *guard = new QObject(this);
    auto once = [guard, start] {
        if (guard->property("done").toBool())
            return;
        guard->setProperty("done", true);
        start();
        guard->deleteLater();
    };
    connect(connection, &ConnectionController::stateChanged, guard, [once](RedisConnection::State state) {
        if (state == RedisConnection::State::Ready)
            once();
    });
    QTimer::singleShot(8000, guard, once);
}
