// SPDX-License-Identifier: MIT
#pragma once

#include "channellistmodel.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

#include <memory>
#include <vector>

class RelayDirectory;

// Channels as a tree of their ':' segments (room:1 and room:2 under room), as MQTT Explorer groups
// topics. A node can be a channel and a group at once. Group rows aggregate their subtree: subscribers,
// relay clients and traffic are summed, the last message is the latest. Updates insert and remove rows
// under the right parent and emit dataChanged up the ancestors; the model is never reset.
class ChannelTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit ChannelTreeModel(QObject *parent = nullptr);
    ~ChannelTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applySnapshot(const PubSubSnapshot &snapshot);
    void setTraffic(const ChannelTrafficMap &traffic);
    void setRelayDirectory(RelayDirectory *directory);

    // A group's pattern ("room:*" for the room node); empty for a node without children.
    QByteArray patternFor(const QModelIndex &index) const;
    // The node whose full name is name (channel or group), or an invalid index.
    QModelIndex indexFor(const QByteArray &name, int column = 0) const;
    int channelCount() const { return int(m_channelNodes.size()); }

private:
    struct Node;
    struct Staging;
    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    int rowOf(const Node *node) const;
    ChannelColumns::Values ownValues(const QByteArray &name, qint64 subscribers) const;
    int countChannels(Node *node);
    void prune(Node *node);
    void removeVanished(const QHash<QByteArray, qint64> &next);
    void stageNew(const QHash<QByteArray, qint64> &next, Staging &staging);
    void insertStaged(Staging &staging);
    // Recomputes aggregates below node; emits dataChanged for visible children that changed when
    // notify is set. Returns the changed-columns mask of node itself.
    unsigned recompute(Node *node, bool notify);
    void refreshOwnValues(const std::function<void(Node *)> &update);
    void refreshRelays();

    std::unique_ptr<Node> m_root;
    QHash<QByteArray, Node *> m_channelNodes;
    ChannelTrafficMap m_traffic;
    QPointer<RelayDirectory> m_directory;
    QMetaObject::Connection m_directoryConnection;
};
