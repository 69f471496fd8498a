// SPDX-License-Identifier: MIT
#pragma once

#include "relayserver.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

// The embedded relay's clients. Refreshed from RelayServer::clients() at most twice a second
// (and soon after a connect or disconnect): rows are inserted and removed by id, counters emit
// dataChanged for the cells that moved.
class RelayClientsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        AddressColumn,
        RoomsColumn,
        InColumn,
        OutColumn,
        QueuedColumn,
        SinceColumn,
        ColumnCount
    };
    enum Role { ClientIdRole = Qt::UserRole + 1 };

    explicit RelayClientsModel(QObject *parent = nullptr);

    void setServer(RelayServer *server);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void scheduleRefresh();

    QPointer<RelayServer> m_server;
    QList<RelayClientInfo> m_rows; // sorted by id
    QTimer m_timer;
    QTimer m_soon;
};

// The embedded relay's rooms and their local members, sorted by room.
class RelayRoomsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RoomColumn, ChannelColumn, MembersColumn, ColumnCount };

    explicit RelayRoomsModel(QObject *parent = nullptr);

    void setServer(RelayServer *server);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString room;
        QByteArray channel;
        int members = 0;
    };
    QPointer<RelayServer> m_server;
    QList<Row> m_rows;
    QTimer m_timer;
};
