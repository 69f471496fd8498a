// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"

#include <QAbstractTableModel>

#include <vector>

// The Pub/Sub connections from CLIENT LIST TYPE pubsub, diffed by client id (rows removed and inserted in
// ranges, dataChanged for changed cells; never reset).
class PubSubClientModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Name, Address, Channels, Patterns, Relay, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, ClientIdRole };

    explicit PubSubClientModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applySnapshot(const PubSubSnapshot &snapshot);
    void applyClients(QList<PubSubClient> clients);

    PubSubClient clientAt(int row) const;
    int patternClientCount() const; // clients with psub > 0
    int relayCount() const;

private:
    std::vector<PubSubClient> m_rows; // sorted by id
};
