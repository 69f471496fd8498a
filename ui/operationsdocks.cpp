// SPDX-License-Identifier: MIT
#include "operationsdocks.h"

#include "channelscontroller.h"
#include "fleetcontroller.h"
#include "fleetmodel.h"
#include "fleetview.h"

OperationsDocks::OperationsDocks(ChannelsController *channels, QWidget *window)
    : QObject(window)
    , m_fleet(new FleetController(channels->directory(), this))
    , m_fleetView(new FleetView(m_fleet, window))
{
    connect(m_fleet->model(), &FleetModel::alertsChanged, this, &OperationsDocks::statusChanged);
}

QString OperationsDocks::statusText() const
{
    const int alerts = m_fleet->model()->alertCount();
    return alerts > 0 ? tr("%n relay(s) need attention", nullptr, alerts) : QString();
}
