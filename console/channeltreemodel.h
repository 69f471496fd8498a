// SPDX-License-Identifier: MIT
#pragma once

#include "channellistmodel.h"

#include <QAbstractItemModel>
#include <QDeadlineTimer>
#include <QHash>
#include <QPointer>

#include <memory>
#include <unordered_set>
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
    // A diff from the channels shown now (ChannelDiffer), applied in slices as ChannelListModel does:
    // channels are removed, inserted (in runs per parent) and recounted by name; group sums are kept
    // up by deltas along the ancestors, so a slice costs what it changes, not the size of the tree.
    void beginDiff(std::shared_ptr<const ChannelDiff> diff);
    bool applyDiffSlice(const QDeadlineTimer &deadline);
    bool isApplyingDiff() const { return m_diff != nullptr; }
    void abandonDiff();
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
    // Node's sums from its own values and its children's sums (not recomputed); the changed columns.
    unsigned resum(Node *node);
    void refreshOwnValues(const std::function<void(Node *)> &update);
    // update on the channels named (those that exist), then the sums of the groups above them only.
    void updateOwnValues(const QByteArrayList &names, const std::function<void(Node *)> &update);
    void removeChannel(const QByteArray &name);
    void stageChannel(const QByteArray &name, qint64 subscribers, Staging &staging);
    // The node of channel name: existing nodes down to the first missing one, which is staged under
    // its (visible) parent, and the rest built below it unseen. firstShown, when given, is set to
    // that parent (left alone when nothing had to be staged).
    Node *stagePath(const QByteArray &name, Staging &staging, const Node **firstShown);
    void recountChannel(const QByteArray &name, qint64 subscribers);
    // Adds to the subtree sums of from and its ancestors; marks them changed from firstShown up.
    void adjust(Node *from, qint64 known, int unknown, int channels, const Node *firstShown);
    void notifyChanged();
    void refreshRelays();

    std::unique_ptr<Node> m_root;
    QHash<QByteArray, Node *> m_channelNodes;
    std::shared_ptr<const ChannelDiff> m_diff;
    size_t m_op = 0;
    int m_opDone = 0;
    int m_chunk = 256;
    bool m_recomputeAll = false;          // a channel with relays or traffic came or went
    std::unordered_set<Node *> m_changed; // shown nodes whose sums changed in this slice
    ChannelTrafficMap m_traffic;
    QPointer<RelayDirectory> m_directory;
    QMetaObject::Connection m_directoryConnection;
    ChannelColumns::RelayView m_relayView;
};
