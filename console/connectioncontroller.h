// SPDX-License-Identifier: MIT
#pragma once

#include "connectionprofile.h"
#include "redisconnection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

class RedisClusterConnection;

// The console's command connection to one Redis server: connects a profile, measures the
// round trip with PING, and reads what the server is (INFO server). Features that need their own
// connection (tap, directory) open one from options().
// On a redis-cluster:// profile there is also a RedisClusterConnection (cluster()) for what spans the
// nodes; connection() and options() then reach the first seed node (classic Pub/Sub reaches every node
// from any of them), or, once that node is down, a healthy primary (connectionChanged again). On a redis-sentinel:// profile connection() follows the primary through
// failovers and topologyText() names it.
class ConnectionController : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionController(QObject *parent = nullptr);
    ~ConnectionController() override;

    // Validates the profile and connects; returns false with *error when the profile is invalid.
    bool connectTo(const ConnectionProfile &profile, const QString &password, QString *error = nullptr);
    // A Sentinel profile whose Sentinels require a password.
    bool connectTo(const ConnectionProfile &profile, const QString &password, const QString &sentinelPassword,
                   QString *error);
    void disconnectFromServer();

    RedisConnection *connection() const { return m_connection; }
    // On a Cluster profile; nullptr otherwise.
    RedisClusterConnection *cluster() const { return m_cluster; }
    RedisUrl::Topology topology() const { return m_topology; }
    // "Redis Cluster · 3 primaries / 6 nodes", "Sentinel 'mymaster' · primary 10.0.0.5:6379"; empty for
    // one server.
    QString topologyText() const;
    // Options for further connections to the same server; nullopt when disconnected.
    std::optional<RedisConnectionOptions> options() const { return m_options; }
    const ConnectionProfile &profile() const { return m_profile; }
    bool isConnected() const { return m_connection != nullptr; }
    RedisConnection::State state() const;
    QString lastError() const;

    QString serverVersion() const { return m_serverVersion; }
    QString serverMode() const { return m_serverMode; }
    // -1 until the first PING answered.
    double roundTripMs() const { return m_roundTripMs; }
    void setPingInterval(std::chrono::milliseconds interval);

Q_SIGNALS:
    // nullptr after a disconnect. Emitted before the old connection is deleted.
    void connectionChanged(RedisConnection *connection);
    void stateChanged(RedisConnection::State state, const QString &error);
    void serverInfoChanged();
    void roundTripChanged(double ms);

private:
    void onReady();
    void ping();

    void openCluster(const RedisConnectionOptions &options);
    void openCommandConnection(const RedisConnectionOptions &own);
    void moveToLiveNode();

    ConnectionProfile m_profile;
    RedisUrl::Topology m_topology = RedisUrl::Topology::Standalone;
    RedisClusterConnection *m_cluster = nullptr;
    std::optional<RedisConnectionOptions> m_options;
    RedisConnection *m_connection = nullptr;
    QTimer m_pingTimer;
    QElapsedTimer m_pingClock;
    bool m_pingOutstanding = false;
    double m_roundTripMs = -1;
    QString m_serverVersion;
    QString m_serverMode;
};
