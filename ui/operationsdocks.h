// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class ChannelsController;
class FleetController;
class FleetView;
class QWidget;

// The fleet-operations features beside the Redis views: the fleet of relays (FleetController +
// FleetView), and the wiring between them, for MainWindow to put in docks.
class OperationsDocks : public QObject
{
    Q_OBJECT
public:
    OperationsDocks(ChannelsController *channels, QWidget *window);

    FleetController *fleet() const { return m_fleet; }
    FleetView *fleetView() const { return m_fleetView; }
    // For the status bar: relays that need attention; empty when none.
    QString statusText() const;

Q_SIGNALS:
    void statusChanged();

private:
    FleetController *m_fleet;
    FleetView *m_fleetView;
};
