// SPDX-License-Identifier: MIT
#include "fleetcontroller.h"

#include "fleetclientsmodel.h"
#include "fleethistory.h"
#include "fleetmodel.h"
#include "fleetroomsmodel.h"
#include "relaydirectory.h"

FleetController::FleetController(RelayDirectory *directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_model(new FleetModel(this))
    , m_history(new FleetHistory(this))
    , m_rooms(new FleetRoomsModel(this))
    , m_clients(new FleetClientsModel(this))
{
    m_model->setDirectory(directory);
    m_history->setDirectory(directory);
    m_rooms->setDirectory(directory);
    m_clients->setDirectory(directory);
}

void FleetController::select(const QString &key)
{
    if (key == m_selected)
        return;
    m_selected = key;
    m_rooms->setRelay(key);
    m_clients->setRelay(key);
    Q_EMIT selectionChanged(key);
}
