// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"
#include "relayserver.h"

#include <QObject>
#include <QPointer>

class MessageBus;
class RelayStatsPublisher;

// The relay the console hosts for local development: the same RelayServer as switchboard-relay,
// on an in-process bus or on the console's Redis, with its development page at / (a browser chat
// client, docs/demo-page.md). Start, stop, start again.
class EmbeddedRelay : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        // The development page (DemoPage) is on: this relay is for local development.
        RelayServerOptions relay = [] {
            RelayServerOptions o;
            o.demoPage = true;
            return o;
        }();
        bool inProcessBus = true;
        RedisConnectionOptions redis;
    };

    explicit EmbeddedRelay(QObject *parent = nullptr);
    ~EmbeddedRelay() override;

    bool start(const Settings &settings, QString *error = nullptr);
    // Closes clients with 1001, stops the bus, then emits stopped().
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    bool isStopping() const { return m_stopping; }
    RelayServer *server() const { return m_server; }
    // What the relay publishes to and hears from; nullptr when stopped.
    MessageBus *bus() const;
    // The relay runs on an in-process bus (no Redis).
    bool isInProcess() const { return m_settings.inProcessBus; }
    QUrl url() const;
    const Settings &settings() const { return m_settings; }

Q_SIGNALS:
    void started(const QUrl &url);
    void stopped();
    void serverChanged(RelayServer *server);

private:
    void finish();

    Settings m_settings;
    QPointer<MessageBus> m_bus;
    QPointer<RelayServer> m_server;
    QPointer<RelayStatsPublisher> m_stats;
    bool m_stopping = false;
};
