// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "announcementcontroller.h"
#include "announcementview.h"
#include "auditlog.h"
#include "auditlogview.h"
#include "canaryview.h"
#include "channelscontroller.h"
#include "channelsview.h"
#include "chartfeeder.h"
#include "chartsview.h"
#include "connectioncontroller.h"
#include "connectiondialog.h"
#include "connectionstatus.h"
#include "consolelogging.h"
#include "embeddedrelay.h"
#include "fleetview.h"
#include "languagemanager.h"
#include "logmodel.h"
#include "logview.h"
#include "nodesview.h"
#include "operationsdocks.h"
#include "plumbingswitch.h"
#include "privateredisserver.h"
#include "recordingactions.h"
#include "redisprobe.h"
#include "relayaudience.h"
#include "relaydirectory.h"
#include "relaypanel.h"
#include "relaysimulator.h"
#include "roomdetailcontroller.h"
#include "roomdetailview.h"
#include "secretstore.h"
#include "tapcontroller.h"
#include "tapview.h"
#include "thememanager.h"
#include "traffichistory.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

MainWindow::MainWindow(QSettings *settings, SecretStore *secrets, LogModel *log, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_log(log)
    , m_profiles(settings)
    , m_connection(new ConnectionController(this))
    , m_theme(new ThemeManager(this))
    , m_language(new LanguageManager(this))
    , m_profileCombo(new QComboBox(this))
    , m_stateLabel(new QLabel(this))
    , m_rttLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_relayLabel(new QLabel(this))
    , m_channels(new ChannelsController(this))
    , m_tap(new TapController(this))
    , m_relay(new EmbeddedRelay(this))
    , m_simulator(new RelaySimulator(this))
    , m_audit(new AuditLog(this))
    , m_announcements(new AnnouncementController(m_audit, this))
    , m_templates(new TemplateStore(settings))
    , m_history(new TrafficHistory(this))
    , m_feeder(new ChartFeeder(m_history, m_tap, m_channels, m_relay, this))
    , m_rooms(new RoomDetailController(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowIcon(QIcon(u":/switchboard/switchboard.svg"_s));
    setDockNestingEnabled(true);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);

    createActions();

    const QString auditPath = m_settings->value(u"audit/path"_s, AuditLog::defaultPath()).toString();
    if (!m_audit->open(auditPath))
        qCWarning(lcConsole).noquote() << "cannot open the audit log" << auditPath << m_audit->errorString();

    createDocks();
    connectFeatures();
    setupStatusBar();
    restoreAppearance();

    retranslateUi();
    updateStatus();
    resize(1500, 940);
    m_defaultState = saveState();
}

// One dock per feature; the views own no logic, their controllers live in console/.
void MainWindow::createDocks()
{
    auto *channelsView = new ChannelsView(m_channels, this);
    m_tapView = new TapView(m_tap, this);
    m_relayPanel = new RelayPanel(m_relay, m_simulator, this);
    QDockWidget *channelsDock = addDock(channelsView, u"channelsDock"_s, Qt::LeftDockWidgetArea);
    QDockWidget *tapDock = addDock(m_tapView, u"tapDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *chartsDock =
        addDock(new ChartsView(m_history, this), u"chartsDock"_s, Qt::LeftDockWidgetArea);
    QDockWidget *relayDock = addDock(m_relayPanel, u"relayDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *announceDock = addDock(new AnnouncementView(m_announcements, m_templates, this),
                                        u"announceDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *auditDock =
        addDock(new AuditLogView(m_audit, this), u"auditDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *logDock = addDock(new LogView(m_log, this), u"logDock"_s, Qt::LeftDockWidgetArea);
    QDockWidget *nodesDock = addDock(new NodesView(m_channels, this), u"nodesDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *roomDock =
        addDock(new RoomDetailView(m_rooms, this), u"roomDock"_s, Qt::RightDockWidgetArea);
    arrangeDocks({channelsDock, tapDock, chartsDock, relayDock, announceDock, auditDock, logDock, nodesDock,
                  roomDock});
    m_operations = new OperationsDocks(m_channels, m_settings, this);
    connect(m_operations, &OperationsDocks::statusChanged, this, &MainWindow::updateStatus);
    m_operations->addDocks(this, roomDock, [this](QWidget *view, const QString &name) {
        return addDock(view, name, Qt::RightDockWidgetArea);
    });
    tapDock->raise();
    m_plumbing = new PlumbingSwitch(m_settings, m_tap, m_feeder, channelsView, this);
    m_viewMenu->insertAction(m_themeMenu->menuAction(), m_plumbing->action());
    routeTapRequests(channelsView, tapDock);
    m_recording = new RecordingActions(m_tap, m_connection, m_relay, m_tapView, this);
    m_fileMenu->insertAction(m_quitAction, m_recording->replayAction());
    m_rooms->follow(m_connection);
    connect(channelsView, &ChannelsView::roomDetailRequested, this, &MainWindow::showRoomDetail);
}

// Channels beside the tap, charts and log below the channels, the relay, announcements, audit log and
// Nodes (a Cluster's) tabbed below the tap.
void MainWindow::arrangeDocks(const Docks &d)
{
    splitDockWidget(d.channels, d.tap, Qt::Horizontal);
    splitDockWidget(d.channels, d.charts, Qt::Vertical);
    splitDockWidget(d.tap, d.relay, Qt::Vertical);
    tabifyDockWidget(d.relay, d.announce);
    tabifyDockWidget(d.announce, d.audit);
    tabifyDockWidget(d.charts, d.log);
    tabifyDockWidget(d.audit, d.nodes);
    tabifyDockWidget(d.tap, d.room);
    d.tap->raise();
    d.charts->raise();
    d.relay->raise();
    resizeDocks({d.channels, d.tap}, {640, 860}, Qt::Horizontal);
    resizeDocks({d.channels, d.charts}, {430, 370}, Qt::Vertical);
    resizeDocks({d.tap, d.relay}, {450, 350}, Qt::Vertical);
}

// "Tap" in the Channels view and "Watch traffic" in the relay panel go to the Live tap.
void MainWindow::routeTapRequests(ChannelsView *channelsView, QDockWidget *tapDock)
{
    connect(channelsView, &ChannelsView::tapChannelsRequested, this,
            [this, tapDock](const QByteArrayList &channels) {
                m_tapView->tapChannels(channels);
                tapDock->show();
                tapDock->raise();
            });
    connect(channelsView, &ChannelsView::tapPatternRequested, this,
            [this, tapDock](const QByteArray &pattern) {
                m_tapView->tapPattern(pattern);
                tapDock->show();
                tapDock->raise();
            });
    connect(m_relayPanel, &RelayPanel::watchTrafficRequested, this,
            [this, tapDock](const QByteArray &pattern) {
                m_tapView->tapPattern(pattern);
                tapDock->raise();
            });
}

// The connection feeds every feature; the relay's prefix sets where announcements go.
void MainWindow::connectFeatures()
{
    connect(m_connection, &ConnectionController::connectionChanged, this,
            [this](RedisConnection *connection) {
                if (m_connection->cluster() && connection) {
                    m_channels->attachCluster(m_connection->cluster(), connection);
                    findChild<QDockWidget *>(u"nodesDock"_s)->raise(); // a Cluster: its nodes at once
                } else
                    m_channels->attach(connection);
                m_announcements->setConnection(connection);
                m_operations->setConnection(connection, m_connection->cluster(),
                                            m_connection->profile().readOnly, m_connection->profile().name);
                m_announcements->setCluster(connection ? m_connection->cluster() : nullptr);
                m_announcements->setProfileName(m_connection->profile().name);
                m_announcements->setReadOnly(connection && m_connection->profile().readOnly);
                m_relayPanel->setReadOnly(connection && m_connection->profile().readOnly);
                m_relayPanel->setRedisOptions(m_connection->options());
                if (auto options = m_connection->options()) {
                    m_tap->setConnectionOptions(*options);
                    m_tap->setCluster(m_connection->cluster(), [this](const QByteArray &channel) {
                        return m_channels->lastSnapshot().kindOf(channel);
                    });
                } else
                    m_tap->disconnectFromRedis();
            });
    m_announcements->setRelayAudience([this](const QByteArray &channel) {
        return relayAudience(m_channels->directory(), m_relay, m_announcements->channelPrefix(), channel);
    });
    connect(m_relay, &EmbeddedRelay::started, this, [this] {
        m_announcements->setChannelPrefix(m_relay->settings().relay.channelPrefix);
        updateStatus();
    });
    connect(m_relay, &EmbeddedRelay::stopped, this, &MainWindow::updateStatus);
}

void MainWindow::setupStatusBar()
{
    statusBar()->addWidget(m_stateLabel);
    statusBar()->addWidget(m_serverLabel);
    statusBar()->addWidget(m_rttLabel);
    statusBar()->addPermanentWidget(m_relayLabel);
    m_stateLabel->setObjectName(u"connectionState"_s);
    m_rttLabel->setObjectName(u"roundTrip"_s);
    m_serverLabel->setObjectName(u"serverInfo"_s);
    m_relayLabel->setObjectName(u"relayStatus"_s);

    connect(m_connection, &ConnectionController::stateChanged, this, &MainWindow::updateStatus);
    connect(m_connection, &ConnectionController::serverInfoChanged, this, &MainWindow::updateStatus);
    connect(m_connection, &ConnectionController::roundTripChanged, this, &MainWindow::updateStatus);
}

// Theme and language as last chosen.
void MainWindow::restoreAppearance()
{
    m_theme->setMode(ThemeManager::modeFromKey(m_settings->value(u"ui/theme"_s).toString()));
    const QString language = m_settings->value(u"ui/language"_s, u"en"_s).toString();
    m_language->setLanguage(language);
    findChild<ChannelsView *>()->setTreeShown(m_settings->value(u"ui/channelsTree"_s, true).toBool());
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == ThemeManager::modeKey(m_theme->mode()));
    for (QAction *a : m_languageGroup->actions())
        a->setChecked(a->data().toString() == m_language->language());
}

MainWindow::~MainWindow()
{
    m_simulator->stop();
    // Detach every feature while they all still exist, then make sure no child calls back into
    // this half-destroyed window while QObject deletes the children.
    m_connection->disconnectFromServer();
    for (QObject *child : children())
        child->disconnect(this);
    delete m_templates;
}

QStringList MainWindow::dockNames() const
{
    QStringList names;
    for (const QDockWidget *dock : m_docks)
        names.append(dock->objectName().chopped(4)); // "fleetDock" -> "fleet"
    return names;
}

QDockWidget *MainWindow::showDock(const QString &name)
{
    for (QDockWidget *dock : std::as_const(m_docks)) {
        if (dock->objectName().compare(name + "Dock"_L1, Qt::CaseInsensitive) == 0) {
            dock->show();
            dock->raise();
            return dock;
        }
    }
    return nullptr;
}

void MainWindow::showRoomDetail(const QByteArray &channel)
{
    m_rooms->setRoom(channel);
    auto *dock = findChild<QDockWidget *>(u"roomDock"_s);
    dock->show();
    dock->raise();
}

QDockWidget *MainWindow::addDock(QWidget *view, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(this);
    dock->setObjectName(objectName);
    dock->setWidget(view);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    if (m_viewMenu)
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), dock->toggleViewAction());
    return dock;
}

void MainWindow::createActions()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_connectAction = m_fileMenu->addAction(QString(), this, &MainWindow::showConnectionDialog);
    m_connectAction->setShortcut(QKeySequence(u"Ctrl+Shift+O"_s));
    m_connectAction->setObjectName(u"actionConnect"_s);
    m_disconnectAction =
        m_fileMenu->addAction(QString(), m_connection, &ConnectionController::disconnectFromServer);
    m_disconnectAction->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    m_privateAction = m_fileMenu->addAction(QString(), this, &MainWindow::startPrivateRedis);
    m_privateAction->setEnabled(!PrivateRedisServer::executable().isEmpty());
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addSeparator();
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeGroup = new QActionGroup(this);
    for (ThemeManager::Mode mode :
         {ThemeManager::Mode::System, ThemeManager::Mode::Light, ThemeManager::Mode::Dark}) {
        QAction *a = m_themeMenu->addAction(QString());
        a->setCheckable(true);
        a->setData(ThemeManager::modeKey(mode));
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, mode] {
            m_theme->setMode(mode);
            m_settings->setValue(u"ui/theme"_s, ThemeManager::modeKey(mode));
        });
    }
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    for (const QString &code : LanguageManager::available()) {
        QAction *a = m_languageMenu->addAction(LanguageManager::displayName(code));
        a->setCheckable(true);
        a->setData(code);
        m_languageGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] {
            if (m_language->setLanguage(code))
                m_settings->setValue(u"ui/language"_s, code);
        });
    }
    m_viewMenu->addSeparator();
    m_resetLayoutAction = m_viewMenu->addAction(QString(), this, [this] {
        for (QDockWidget *dock : std::as_const(m_docks))
            dock->show();
        restoreState(m_defaultState);
    });

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(
            this, tr("About Switchboard"),
            tr("<h3>Switchboard %1</h3><p>An operator console and WebSocket relay for real-time "
               "systems built on Redis Pub/Sub.</p><p>Qt %2</p>")
                .arg(QStringLiteral(SWITCHBOARD_VERSION), QString::fromLatin1(qVersion())));
    });

    auto *toolbar = addToolBar(QString());
    toolbar->setObjectName(u"connectionToolbar"_s);
    toolbar->setMovable(false);
    m_profileCombo->setObjectName(u"profileCombo"_s);
    m_profileCombo->setMinimumContentsLength(18);
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    toolbar->addWidget(m_profileCombo);
    toolbar->addAction(m_connectAction);
    toolbar->addAction(m_disconnectAction);
    connect(m_profileCombo, &QComboBox::activated, this, [this](int index) {
        if (auto p = m_profiles.profile(m_profileCombo->itemText(index)))
            connectWithStoredPassword(*p);
    });
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&Connection"));
    m_connectAction->setText(tr("&Profiles…"));
    m_connectAction->setToolTip(tr("Choose, edit and connect a Redis profile (Ctrl+Shift+O)"));
    m_disconnectAction->setText(tr("&Disconnect"));
    m_privateAction->setText(tr("Start a &private redis-server"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_themeMenu->setTitle(tr("&Theme"));
    const QStringList themeNames{tr("Follow the system"), tr("Light"), tr("Dark")};
    for (int i = 0; i < m_themeGroup->actions().size(); ++i)
        m_themeGroup->actions()[i]->setText(themeNames.value(i));
    m_languageMenu->setTitle(tr("&Language"));
    m_resetLayoutAction->setText(tr("&Reset layout"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Switchboard"));
    const QHash<QString, QString> titles{
        {u"channelsDock"_s, tr("Channels")},
        {u"tapDock"_s, tr("Live tap")},
        {u"chartsDock"_s, tr("Charts")},
        {u"relayDock"_s, tr("Embedded relay")},
        {u"announceDock"_s, tr("Announcements")},
        {u"auditDock"_s, tr("Audit log")},
        {u"logDock"_s, tr("Log")},
        {u"nodesDock"_s, tr("Nodes")},
        {u"roomDock"_s, tr("Room detail")},
    };
    m_plumbing->retranslateUi();
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->setWindowTitle(titles.value(dock->objectName(), m_operations->dockTitle(dock->objectName())));
    updateStatus();
}

void MainWindow::updateStatus()
{
    m_stateLabel->setText(connectionStateHtml(m_connection));
    QStringList server;
    if (!m_connection->serverVersion().isEmpty())
        server << tr("Redis %1 (%2)").arg(m_connection->serverVersion(), m_connection->serverMode());
    if (const QString topology = m_connection->topologyText(); !topology.isEmpty())
        server << topology; // a Cluster's size, or the Sentinel primary (it follows failovers)
    m_serverLabel->setText(server.join(u" · "_s));
    const double rtt = m_connection->roundTripMs();
    m_rttLabel->setText(rtt < 0 ? QString() : tr("RTT %1 ms").arg(rtt, 0, 'f', rtt < 10 ? 2 : 1));
    m_disconnectAction->setEnabled(m_connection->isConnected());
    QString relay =
        m_relay->isRunning() ? tr("Relay %1").arg(m_relay->url().toString()) : tr("Relay stopped");
    if (const QString fleet = m_operations ? m_operations->statusText() : QString(); !fleet.isEmpty())
        relay = fleet + u" · "_s + relay;
    m_relayLabel->setText(relay);
    const QString title = m_connection->isConnected()
                              ? tr("Switchboard — %1 (%2)")
                                    .arg(m_connection->profile().name,
                                         m_connection->profile().redisUrl(QString()).toDisplayString())
                              : tr("Switchboard");
    setWindowTitle(title);

    const QSignalBlocker block(m_profileCombo);
    m_profileCombo->clear();
    for (const ConnectionProfile &p : m_profiles.profiles())
        m_profileCombo->addItem(p.name);
    const QString current = m_connection->profile().name;
    if (!current.isEmpty() && m_profileCombo->findText(current) < 0)
        m_profileCombo->addItem(current);
    m_profileCombo->setCurrentIndex(m_profileCombo->findText(current));
}

bool MainWindow::connectToProfile(const ConnectionProfile &profile, const QString &password, QString *error,
                                  const QString &sentinelPassword)
{
    QString problem;
    if (!m_connection->connectTo(profile, password, sentinelPassword, &problem)) {
        qCWarning(lcConsole).noquote() << "cannot connect:" << problem;
        if (error)
            *error = problem;
        return false;
    }
    qCInfo(lcConsole).noquote() << "connecting to" << profile.name
                                << profile.redisUrl(QString()).toDisplayString();
    if (m_profiles.profile(profile.name))
        m_profiles.setLastUsed(profile.name);
    updateStatus();
    return true;
}

void MainWindow::connectWithStoredPassword(const ConnectionProfile &profile)
{
    m_secrets->readPassword(profile.name, this, [this, profile](const std::optional<QString> &password, const QString &) {
        if (!profile.isSentinel()) {
            connectToProfile(profile, password.value_or(QString()));
            return;
        }
        m_secrets->readPassword(ConnectionProfile::sentinelSecretName(profile.name), this,
                                [this, profile, password](const std::optional<QString> &sentinel, const QString &) {
                                    connectToProfile(profile, password.value_or(QString()), nullptr,
                                                     sentinel.value_or(QString()));
                                });
    });
}

void MainWindow::showConnectionDialog()
{
    auto *dialog = new ConnectionDialog(&m_profiles, m_secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_connection->profile().name.isEmpty())
        dialog->selectProfile(m_connection->profile().name);
    connect(dialog, &ConnectionDialog::connectRequested, this,
            [this](const ConnectionProfile &profile, const QString &password, const QString &sentinelPassword) {
                m_profiles.setLastUsed(profile.name);
                connectToProfile(profile, password, nullptr, sentinelPassword);
            });
    dialog->open();
}

void MainWindow::startPrivateRedis()
{
    if (m_privateRedis && m_privateRedis->isRunning()) {
        ConnectionProfile p;
        p.name = tr("private");
        p.url = m_privateRedis->url();
        connectToProfile(p, QString());
        return;
    }
    delete m_privateRedis;
    m_privateRedis = new PrivateRedisServer(this);
    connect(m_privateRedis, &PrivateRedisServer::ready, this, [this](const QString &url) {
        ConnectionProfile p;
        p.name = tr("private");
        p.url = url;
        statusBar()->showMessage(
            tr("Started a private redis-server at %1; it stops when the console closes.").arg(url), 10000);
        connectToProfile(p, QString());
    });
    connect(m_privateRedis, &PrivateRedisServer::failed, this, [this](const QString &error) {
        qCWarning(lcConsole).noquote() << "private redis-server:" << error;
        QMessageBox::warning(this, tr("Private redis-server"),
                             tr("Could not start redis-server: %1").arg(error));
    });
    connect(m_privateRedis, &PrivateRedisServer::exited, this,
            [](const QString &reason) { qCWarning(lcConsole).noquote() << reason; });
    m_privateRedis->start();
}

void MainWindow::connectOnStart(bool startPrivateIfUnreachable)
{
    if (auto last = m_profiles.profile(m_profiles.lastUsed()); last && !startPrivateIfUnreachable) {
        connectWithStoredPassword(*last);
        return;
    }
    QString password, sentinel;
    const ConnectionProfile profile =
        ConnectionProfile::fromEnvironment(QProcessEnvironment::systemEnvironment(), &password, &sentinel);
    RedisProbe::probe(
        profile.probeUrl(password, sentinel), 700ms, this,
        [this, profile, password, sentinel, startPrivateIfUnreachable](const RedisProbe::Result &r) {
            // An ACL that refuses the probe's INFO (no @dangerous) means Redis is there and answered.
            if (r.reachable || r.error.startsWith("NOPERM"_L1)) {
                connectToProfile(profile, password, nullptr, sentinel);
                return;
            }
            const QString why =
                tr("Nothing answers at %1 (%2).").arg(profile.redisUrl(QString()).toDisplayString(), r.error);
            qCInfo(lcConsole).noquote() << why;
            if (PrivateRedisServer::executable().isEmpty()) {
                connectToProfile(profile, password, nullptr, sentinel); // keeps retrying, shows why
                return;
            }
            if (startPrivateIfUnreachable)
                startPrivateRedis();
            else
                offerPrivateRedis(why);
        });
}

void MainWindow::offerPrivateRedis(const QString &why)
{
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("No Redis found"),
                        why + u"\n\n"_s +
                            tr("Start a private redis-server on a free loopback port? It lives as long as "
                               "the console."),
                        QMessageBox::Yes | QMessageBox::No, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(u"privateRedisOffer"_s);
    connect(box, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes)
            startPrivateRedis();
        else
            showConnectionDialog();
    });
    box->open();
}

void MainWindow::startRelayWhenReady(int port, int simulatedClients)
{
    m_relayPanel->startWhenReady(m_connection, port, simulatedClients);
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings->value(u"ui/geometry"_s).toByteArray());
    restoreState(m_settings->value(u"ui/state"_s).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setValue(u"ui/geometry"_s, saveGeometry());
    m_settings->setValue(u"ui/state"_s, saveState());
    m_settings->setValue(u"ui/channelsTree"_s, findChild<ChannelsView *>()->isTreeShown());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}
