// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class FleetClientsModel;
class FleetHistory;
class FleetModel;
class FleetRoomsModel;
class RelayDirectory;

// The fleet view's feature: every heartbeating relay (FleetModel), each one's load over time
// (FleetHistory), and for the selected relay its rooms (FleetRoomsModel) and busiest clients
// (FleetClientsModel). All of it follows one RelayDirectory.
class FleetController : public QObject
{
    Q_OBJECT
public:
    explicit FleetController(RelayDirectory *directory, QObject *parent = nullptr);

    RelayDirectory *directory() const { return m_directory; }
    FleetModel *model() const { return m_model; }
    FleetHistory *history() const { return m_history; }
    FleetRoomsModel *rooms() const { return m_rooms; }
    FleetClientsModel *clients() const { return m_clients; }

    // RelayInstanceStats::key of the relay whose details are shown; empty: none.
    void select(const QString &key);
    QString selected() const { return m_selected; }

Q_SIGNALS:
    void selectionChanged(const QString &key);

private:
    RelayDirectory *m_directory;
    FleetModel *m_model;
    FleetHistory *m_history;
    FleetRoomsModel *m_rooms;
    FleetClientsModel *m_clients;
    QString m_selected;
};
