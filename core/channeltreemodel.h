// SPDX-License-Identifier: MIT
#pragma once

#include "channelcolumns.h"
#include "channelmonitor.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

// Channels grouped by their ':' segments, as MQTT Explorer groups topics: room:1 and room:2 sit
// under room. A node can be a channel and a group at once. Groups show the sum of their
// descendants' subscribers. Snapshots are merged in place (inserts, removals, dataChanged).
class ChannelTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    explicit ChannelTreeModel(QObject *parent = nullptr);
    ~ChannelTreeModel() override;

    void applySnapshot(const PubSubSnapshot &snapshot);
    void setTraffic(const ChannelTrafficMap &traffic);
    // "room:*" for the group room; the channel name itself for a leaf.
    QByteArray patternFor(const QModelIndex &index) const;
    QModelIndex indexOf(const QByteArray &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QByteArray segment;
        QByteArray path;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        QHash<QByteArray, Node *> byName;
        bool isChannel = false;
        qint64 own = 0;   // NUMSUB of the channel itself
        qint64 total = 0; // own + descendants
        int channels = 0; // channels in this subtree
        quint64 seen = 0;
        mutable size_t rowHint = 0;
        int row() const;
    };
    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexFor(Node *node, int column = 0) const;
    Node *ensurePath(const QByteArray &name);
    void prune(Node *node);
    void aggregate(Node *node);

    std::unique_ptr<Node> m_root;
    ChannelTrafficMap m_traffic;
    quint64 m_generation = 0;
    int m_relayConnections = 0;
};
