// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QWidget>

#include <optional>

class ConnectionController;
class EmbeddedRelay;
class RelayClientsModel;
class RelayRoomsModel;
class RelaySimulator;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QCheckBox;
class QSpinBox;
class QDoubleSpinBox;
class QTabWidget;
class QTableView;

// Start and stop the embedded relay, see its clients and rooms, kick a client, and drive it with
// simulated clients.
class RelayPanel : public QWidget
{
    Q_OBJECT

public:
    RelayPanel(EmbeddedRelay *relay, RelaySimulator *simulator, QWidget *parent = nullptr);

    // The console's current connection; offered as the relay's bus (nullopt: in-process only).
    void setRedisOptions(const std::optional<RedisConnectionOptions> &options);
    // Read-only profiles: no kicking.
    void setReadOnly(bool readOnly);
    bool startRelay(QString *error = nullptr);
    bool startSimulator(QString *error = nullptr);
    // Starts the relay once connection's first attempt settled (on Redis when ready, else
    // in-process after 8 s), then the simulator when simulatedClients > 0.
    void startWhenReady(ConnectionController *connection, int port, int simulatedClients);
    void setPort(int port);
    void setSimulation(int clients, int rooms, double rate);

Q_SIGNALS:
    void watchTrafficRequested(const QByteArray &pattern);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupWidgets();
    void setupSettingsBox();
    void setupTabs();
    void setupSimulatorAndLayout();
    void connectSignals();
    QLabel *newLabel();
    void retranslateUi();
    void updateState();
    void kickSelected();

    EmbeddedRelay *m_relay;
    RelaySimulator *m_simulator;
    RelayClientsModel *m_clientsModel;
    RelayRoomsModel *m_roomsModel;
    std::optional<RedisConnectionOptions> m_redis;
    bool m_readOnly = false;
    QGroupBox *m_settingsBox;
    QSpinBox *m_port;
    QComboBox *m_bind;
    QComboBox *m_bus;
    QLineEdit *m_prefix;
    QSpinBox *m_historySize; // 0 = off
    QCheckBox *m_presence;
    QPushButton *m_startStop;
    QLabel *m_status;
    QPushButton *m_watch;
    QTabWidget *m_tabs;
    QTableView *m_clients;
    QTableView *m_rooms;
    QPushButton *m_kick;
    QGroupBox *m_simBox;
    QSpinBox *m_simClients;
    QSpinBox *m_simRooms;
    QDoubleSpinBox *m_simRate;
    QPushButton *m_simStartStop;
    QLabel *m_simStats;
    QList<QLabel *> m_labels;
    QString m_error;
};
