// SPDX-License-Identifier: MIT
#pragma once

#include "connectionprofile.h"

#include <QMainWindow>
#include <QPointer>

class AnnouncementController;
class AuditLog;
class ChannelsController;
class ChannelsView;
class ChartFeeder;
class ConnectionController;
class EmbeddedRelay;
class OperationsDocks;
class PlumbingSwitch;
class RecordingActions;
class RelayPanel;
class RelaySimulator;
class RoomDetailController;
class TapController;
class TapView;
class TemplateStore;
class TrafficHistory;
class QDockWidget;
class LanguageManager;
class LogModel;
class PrivateRedisServer;
class QActionGroup;
class QComboBox;
class QLabel;
class QSettings;
class SecretStore;
class ThemeManager;

// Assembles the console: one dock per feature (each a controller in console/ plus a view in ui/),
// the connection toolbar, menus and the status bar. Holds no feature logic of its own.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(QSettings *settings, SecretStore *secrets, LogModel *log, QWidget *parent = nullptr);
    ~MainWindow() override;

    ConnectionController *connectionController() const { return m_connection; }
    ChannelsController *channelsController() const { return m_channels; }
    TapController *tapController() const { return m_tap; }
    EmbeddedRelay *embeddedRelay() const { return m_relay; }
    RelaySimulator *simulator() const { return m_simulator; }
    AnnouncementController *announcementController() const { return m_announcements; }
    AuditLog *auditLog() const { return m_audit; }
    ThemeManager *themeManager() const { return m_theme; }
    LanguageManager *languageManager() const { return m_language; }
    RecordingActions *recordingActions() const { return m_recording; }
    OperationsDocks *operations() const { return m_operations; }
    PlumbingSwitch *plumbing() const { return m_plumbing; }

    // Connects with a profile; the password, when given, is used as is (not stored).
    // sentinelPassword: the Sentinels' own, for a Sentinel profile whose Sentinels require one.
    bool connectToProfile(const ConnectionProfile &profile, const QString &password, QString *error = nullptr,
                          const QString &sentinelPassword = QString());
    // Starts a redis-server on a free loopback port for as long as the console runs, and
    // connects to it.
    void startPrivateRedis();
    // First start: the last profile, else REDIS_URL or localhost; when nothing answers there,
    // offers a private redis-server (or starts one at once when startPrivateIfUnreachable).
    void connectOnStart(bool startPrivateIfUnreachable);
    void restoreLayout();
    // Starts the embedded relay once the first connection attempt settled (on Redis when
    // connected, else in-process), then the simulator when clients > 0.
    void startRelayWhenReady(int port, int simulatedClients);
    // Shows and raises a dock by name ("fleet" for fleetDock, case-insensitive); null if none.
    QDockWidget *showDock(const QString &name);
    QStringList dockNames() const;
    // The Room detail dock on channel (<prefix>room:<id>), shown and raised.
    void showRoomDetail(const QByteArray &channel);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Docks
    {
        QDockWidget *channels, *tap, *charts, *relay, *announce, *audit, *log, *nodes, *room;
    };
    void createDocks();
    void arrangeDocks(const Docks &docks);
    void routeTapRequests(ChannelsView *channelsView, QDockWidget *tapDock);
    void connectFeatures();
    void setupStatusBar();
    void restoreAppearance();
    QDockWidget *addDock(QWidget *view, const QString &objectName, Qt::DockWidgetArea area);
    void createActions();
    void retranslateUi();
    void updateStatus();
    void showConnectionDialog();
    void connectWithStoredPassword(const ConnectionProfile &profile);
    void offerPrivateRedis(const QString &why);

    QSettings *m_settings;
    SecretStore *m_secrets;
    LogModel *m_log;
    ProfileStore m_profiles;
    ConnectionController *m_connection;
    ThemeManager *m_theme;
    LanguageManager *m_language;
    QPointer<PrivateRedisServer> m_privateRedis;

    QComboBox *m_profileCombo;
    QLabel *m_stateLabel;
    QLabel *m_rttLabel;
    QLabel *m_serverLabel;
    QLabel *m_relayLabel;
    ChannelsController *m_channels;
    TapController *m_tap;
    EmbeddedRelay *m_relay;
    RelaySimulator *m_simulator;
    AuditLog *m_audit;
    AnnouncementController *m_announcements;
    TemplateStore *m_templates;
    TrafficHistory *m_history;
    ChartFeeder *m_feeder;
    RoomDetailController *m_rooms;
    TapView *m_tapView = nullptr;
    RelayPanel *m_relayPanel = nullptr;
    RecordingActions *m_recording = nullptr;
    OperationsDocks *m_operations = nullptr;
    PlumbingSwitch *m_plumbing = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_themeMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_privateAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_resetLayoutAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    QList<QDockWidget *> m_docks;
    QByteArray m_defaultState;
};
