// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class CanaryMonitor;
class CanaryView;
class ChannelsController;
class FleetController;
class FleetView;
class QSettings;
class QWidget;
class RedisClusterConnection;
class RedisConnection;

// The fleet-operations features beside the Redis views, for MainWindow to put in docks: the fleet
// of relays (FleetController + FleetView) and the delivery canaries (CanaryMonitor + CanaryView),
// with the canaries' verdicts shown in the fleet's Canary column.
class OperationsDocks : public QObject
{
    Q_OBJECT
public:
    OperationsDocks(ChannelsController *channels, QSettings *settings, QWidget *window);

    FleetController *fleet() const { return m_fleet; }
    FleetView *fleetView() const { return m_fleetView; }
    CanaryMonitor *canaries() const { return m_canaries; }
    CanaryView *canaryView() const { return m_canaryView; }

    // The console's connection (null: none); a read-only profile publishes no probes.
    void setConnection(RedisConnection *connection, RedisClusterConnection *cluster, bool readOnly,
                       const QString &profileName);
    // For the status bar: relays that need attention; empty when none.
    QString statusText() const;

Q_SIGNALS:
    void statusChanged();

private:
    void showCanaries();

    FleetController *m_fleet;
    FleetView *m_fleetView;
    CanaryMonitor *m_canaries;
    CanaryView *m_canaryView;
};
