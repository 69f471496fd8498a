// SPDX-License-Identifier: MIT
#pragma once

#include "relaycommandline.h"

#include <QObject>
#include <QTimer>

class AdminServer;
class MessageBus;
class RelayServer;
class RelayStatsPublisher;

// The headless relay process: picks the bus, runs the server, shuts down on SIGTERM / SIGINT.
class RelayApp : public QObject
{
    Q_OBJECT
public:
    explicit RelayApp(RelayCommandLine config, QObject *parent = nullptr);

    void start();
    void stop();

Q_SIGNALS:
    void exitRequested(int code);

private:
    void startWithBus(MessageBus *bus);
    bool startAdmin();

    RelayCommandLine m_config;
    MessageBus *m_bus = nullptr;
    RelayServer *m_server = nullptr;
    RelayStatsPublisher *m_stats = nullptr;
    AdminServer *m_admin = nullptr;
    QTimer m_deadline;
    bool m_stopping = false;
};
