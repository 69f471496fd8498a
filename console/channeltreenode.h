// SPDX-License-Identifier: MIT
#pragma once
// ChannelTreeModel's nodes, shared by its two source files (channeltreemodel.cpp: structure, data,
// snapshots; channeltreemodeldiff.cpp: diffs applied in slices, traffic).
#include "channeltreemodel.h"

#include <QList>

#include <algorithm>
#include <map>
#include <unordered_map>

struct ChannelTreeModel::Node
{
    QByteArray segment;
    QByteArray fullName;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children; // sorted by segment
    bool isChannel = false;
    ChannelColumns::Values own;   // the channel's own values
    ChannelColumns::Values shown; // own + descendants
    int channels = 0;
    qint64 known = 0; // subscribers of the subtree's channels with a known count
    int unknown = 0;  // the subtree's channels without one

    Node *child(const QByteArray &seg) const
    {
        const auto it = lowerBound(seg);
        return it != children.cend() && (*it)->segment == seg ? it->get() : nullptr;
    }
    std::vector<std::unique_ptr<Node>>::const_iterator lowerBound(const QByteArray &seg) const
    {
        return std::lower_bound(
            children.cbegin(), children.cend(), seg,
            [](const std::unique_ptr<Node> &n, const QByteArray &s) { return n->segment < s; });
    }
    Node *addChild(const QByteArray &seg)
    {
        auto node = std::make_unique<Node>();
        node->segment = seg;
        node->fullName = parent ? fullName + ':' + seg : seg;
        node->parent = this;
        const auto at = lowerBound(seg);
        return children.insert(at, std::move(node))->get();
    }
};

// Channels staged below the node where they become visible, to be inserted there in ranges.
struct ChannelTreeModel::Staging
{
    std::unordered_map<Node *, std::map<QByteArray, std::unique_ptr<Node>>> byParent;
};

namespace ChannelTree {
inline const QList<int> ChangedRoles{Qt::DisplayRole, ChannelColumns::SortRole, Qt::ToolTipRole,
                                     ChannelColumns::IsChannelRole, ChannelColumns::IsGroupRole};
constexpr unsigned NameBit = 1u << ChannelColumns::Name;
inline bool hasExtras(const ChannelColumns::Values &v)
{
    return v.relays || v.relayClients || v.traffic;
}
} // namespace ChannelTree
