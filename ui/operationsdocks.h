// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class CanaryMonitor;
class CanaryView;
class ChannelsController;
class FleetController;
class FleetView;
class QDockWidget;
class QMainWindow;
class QSettings;
class QWidget;
class SlowConsumerMonitor;
class SlowConsumersView;
class RedisClusterConnection;
class RedisConnection;

// The fleet-operations features beside the Redis views, for MainWindow to put in docks: the fleet
// of relays (FleetController + FleetView), the delivery canaries (CanaryMonitor + CanaryView), with
// their verdicts shown in the fleet's Canary column, and the slow-consumer early warning
// (SlowConsumerMonitor + SlowConsumersView, on Redis's Pub/Sub clients and the relays' busiest).
class OperationsDocks : public QObject
{
    Q_OBJECT
public:
    OperationsDocks(ChannelsController *channels, QSettings *settings, QWidget *window);

    FleetController *fleet() const { return m_fleet; }
    FleetView *fleetView() const { return m_fleetView; }
    CanaryMonitor *canaries() const { return m_canaries; }
    CanaryView *canaryView() const { return m_canaryView; }
    SlowConsumerMonitor *slowConsumers() const { return m_slow; }
    SlowConsumersView *slowConsumersView() const { return m_slowView; }

    using AddDock = std::function<QDockWidget *(QWidget *view, const QString &objectName)>;
    // Docks the fleet, the canaries and the slow consumers (fleetDock, canaryDock,
    // slowConsumersDock) with addDock, tabbed after `after`.
    void addDocks(QMainWindow *window, QDockWidget *after, const AddDock &addDock);
    // The translated title of one of its docks (with the slow consumers' count); empty for others.
    QString dockTitle(const QString &objectName) const;

    // The console's connection (null: none); a read-only profile publishes no probes.
    void setConnection(RedisConnection *connection, RedisClusterConnection *cluster, bool readOnly,
                       const QString &profileName);
    // For the status bar: relays that need attention and slow consumers; empty when none.
    QString statusText() const;

Q_SIGNALS:
    void statusChanged();

private:
    void showCanaries();

    FleetController *m_fleet;
    FleetView *m_fleetView;
    CanaryMonitor *m_canaries;
    CanaryView *m_canaryView;
    SlowConsumerMonitor *m_slow;
    SlowConsumersView *m_slowView;
    QPointer<QDockWidget> m_slowDock;
};
