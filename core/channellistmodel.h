// SPDX-License-Identifier: MIT
#pragma once

#include "channelcolumns.h"
#include "channelmonitor.h"

#include <QAbstractTableModel>

// Every channel Redis lists, one row each, kept sorted by name. A new snapshot is merged in:
// vanished channels are removed and new ones inserted in ranges, changed counts emit
// dataChanged for their cells only; the model never resets, so selection and scroll survive.
class ChannelListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit ChannelListModel(QObject *parent = nullptr);

    void applySnapshot(const PubSubSnapshot &snapshot);
    void setTraffic(const ChannelTrafficMap &traffic);
    // Relay connections (from CLIENT LIST) subscribed to anything: the upper bound per channel.
    int relayConnections() const { return m_relayConnections; }
    int rowOf(const QByteArray &channel) const;
    QByteArray channelAt(int row) const { return m_rows.value(row).name; }
    qint64 subscribersAt(int row) const { return m_rows.value(row).subscribers; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QByteArray name;
        qint64 subscribers = 0;
    };
    int relaysFor(const Row &row) const;

    QList<Row> m_rows;
    ChannelTrafficMap m_traffic;
    int m_relayConnections = 0;
};
