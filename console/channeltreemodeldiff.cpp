// SPDX-License-Identifier: MIT
// ChannelTreeModel: diffs applied in slices, traffic (channeltreemodel.cpp has the rest).
#include "channeltreemodel.h"

#include "channeltreenode.h"

using namespace ChannelColumns;
using namespace ChannelTree;

void ChannelTreeModel::beginDiff(std::shared_ptr<const ChannelDiff> diff)
{
    abandonDiff();
    if (!diff || diff->isEmpty())
        return;
    // Grown once here rather than rehashed mid-slice (a million entries take a good part of a second).
    if (diff->rowsAfter > m_channelNodes.size())
        m_channelNodes.reserve(diff->rowsAfter);
    m_diff = std::move(diff);
    m_op = 0;
    m_opDone = 0;
}

bool ChannelTreeModel::applyDiffSlice(const QDeadlineTimer &deadline)
{
    using Kind = ChannelDiff::Op::Kind;
    const qint64 started = threadCpuUs();
    Staging staging;
    int done = 0;
    while (m_diff && m_op < m_diff->ops.size() && done < m_chunk && !(done > 0 && deadline.hasExpired())) {
        const ChannelDiff::Op &op = m_diff->ops[m_op];
        const qsizetype at = op.first + m_opDone;
        if (op.kind == Kind::Remove && !staging.byParent.empty()) {
            // Staged channels go in first: a removal could otherwise prune the node they hang below.
            insertStaged(staging);
            staging.byParent.clear();
        }
        if (op.kind == Kind::Remove)
            removeChannel(m_diff->removed[at]);
        else if (op.kind == Kind::Insert)
            stageChannel(m_diff->channels[at].name, m_diff->channels[at].subscribers, staging);
        else
            recountChannel(m_diff->channels[at].name, m_diff->channels[at].subscribers);
        ++done;
        if (++m_opDone == op.count) {
            ++m_op;
            m_opDone = 0;
        }
    }
    insertStaged(staging);
    notifyChanged();
    // Channels per slice follow what a slice costs this thread (CPU time, preemption left out).
    const qint64 us = threadCpuUs() - started;
    if (us < 2000 && done == m_chunk)
        m_chunk = std::min(m_chunk * 2, 1 << 16);
    else if (us > 8000)
        m_chunk = std::max(m_chunk / 2, 256); // fixed costs per slice are O(rows) in the proxies
    if (m_diff && m_op == m_diff->ops.size())
        abandonDiff();
    return !m_diff;
}

void ChannelTreeModel::abandonDiff()
{
    m_diff.reset();
    if (std::exchange(m_recomputeAll, false))
        recompute(m_root.get(), true);
}

void ChannelTreeModel::adjust(Node *from, qint64 known, int unknown, int channels, const Node *firstShown)
{
    bool mark = firstShown == nullptr;
    for (Node *n = from; n; n = n->parent) {
        n->known += known;
        n->unknown += unknown;
        n->channels += channels;
        n->shown.subscribers = n->unknown > 0 ? -1 : n->known;
        mark = mark || n == firstShown;
        if (mark && n->parent)
            m_changed.insert(n);
    }
}

void ChannelTreeModel::notifyChanged()
{
    for (Node *n : m_changed)
        Q_EMIT dataChanged(indexOf(n, Name), indexOf(n, Subscribers), ChangedRoles);
    m_changed.clear();
}

void ChannelTreeModel::removeChannel(const QByteArray &name)
{
    const auto it = m_channelNodes.find(name);
    if (it == m_channelNodes.end())
        return;
    Node *n = it.value();
    m_channelNodes.erase(it);
    const qint64 k = n->own.subscribers;
    m_recomputeAll = m_recomputeAll || hasExtras(n->own);
    adjust(n, -std::max<qint64>(0, k), k < 0 ? -1 : 0, -1, n);
    n->isChannel = false;
    n->own = Values{};
    // Nodes left without a channel below them go, from the leaf up.
    while (n->parent && n->children.empty() && !n->isChannel) {
        Node *p = n->parent;
        const int row = rowOf(n);
        m_changed.erase(n);
        beginRemoveRows(indexOf(p), row, row);
        p->children.erase(p->children.begin() + row);
        endRemoveRows();
        n = p;
    }
}

// Like stageNew for one channel: below the first node that does not exist yet, nodes are built unseen.
void ChannelTreeModel::stageChannel(const QByteArray &name, qint64 subscribers, Staging &staging)
{
    if (m_channelNodes.contains(name)) {
        recountChannel(name, subscribers);
        return;
    }
    const Node *firstShown = nullptr;
    Node *n = stagePath(name, staging, &firstShown);
    if (!firstShown)
        firstShown = n; // an existing group becomes a channel too
    n->isChannel = true;
    n->own = ownValues(name, subscribers);
    m_recomputeAll = m_recomputeAll || hasExtras(n->own);
    m_channelNodes.insert(name, n);
    adjust(n, std::max<qint64>(0, subscribers), subscribers < 0 ? 1 : 0, 1, firstShown);
}

void ChannelTreeModel::recountChannel(const QByteArray &name, qint64 subscribers)
{
    Node *n = m_channelNodes.value(name);
    if (!n)
        return;
    const qint64 old = n->own.subscribers;
    n->own.subscribers = subscribers;
    adjust(n, std::max<qint64>(0, subscribers) - std::max<qint64>(0, old),
           (subscribers < 0 ? 1 : 0) - (old < 0 ? 1 : 0), 0, n);
}

void ChannelTreeModel::setTraffic(const ChannelTrafficMap &traffic)
{
    // Only the channels whose traffic changed, and the groups above them (sums of their children).
    const QByteArrayList touched = changedTraffic(m_traffic, traffic);
    m_traffic = traffic;
    updateOwnValues(touched, [this](Node *n) {
        if (const auto it = m_traffic.constFind(n->fullName); it != m_traffic.cend())
            n->own.traffic = *it;
        else
            n->own.traffic.reset();
    });
}

void ChannelTreeModel::updateOwnValues(const QByteArrayList &names, const std::function<void(Node *)> &update)
{
    std::vector<std::pair<int, Node *>> nodes; // depth, node: deepest first
    std::unordered_set<Node *> seen;
    for (const QByteArray &name : names) {
        Node *n = m_channelNodes.value(name);
        if (!n)
            continue;
        update(n);
        for (; n && seen.insert(n).second; n = n->parent) {
            int depth = 0;
            for (const Node *p = n->parent; p; p = p->parent)
                ++depth;
            nodes.emplace_back(depth, n);
        }
    }
    std::sort(nodes.begin(), nodes.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (const auto &[depth, n] : nodes) {
        const unsigned mask = resum(n);
        if (!n->parent)
            continue;
        for (int column = 0; column < Count; ++column) {
            if (mask & (1u << column))
                Q_EMIT dataChanged(indexOf(n, column), indexOf(n, column), ChangedRoles);
        }
    }
}
