// SPDX-License-Identifier: MIT
#pragma once

#include "relayclient.h"
#include "relayoptions.h"

#include <QObject>
#include <QTimer>

#include <map>

// Closes the relay's connections that must go: dead peers (a ping not answered by the next one),
// idle ones (no frame within the idle timeout: 4002) and those whose token expired (1008).
class ConnectionWarden : public QObject
{
    Q_OBJECT
public:
    ConnectionWarden(const RelayServerOptions &options, RelayStats &stats, const RelayRecipients &clients,
                     QObject *parent = nullptr);

    void start();
    // Shutdown: no more pings.
    void stopHeartbeat() { m_heartbeat.stop(); }
    // A new connection, closed when its token expires.
    void watch(const RelayClient *client);
    void forget(const RelayClient *client);

private:
    void heartbeat();
    void sweepIdle();
    void closeExpired();

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    const RelayRecipients &m_clients;
    QTimer m_heartbeat;
    QTimer m_idleSweep;
    // Connections whose token expires, by expiry (ms since the epoch); one timer for the earliest.
    std::multimap<qint64, quint64> m_expiries;
    QTimer m_expiryTimer;
};
