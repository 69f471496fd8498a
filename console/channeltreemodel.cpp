// SPDX-License-Identifier: MIT
#include "channeltreemodel.h"

#include "relaydirectory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>

#include <algorithm>
#include <map>
#include <unordered_map>

using namespace Qt::StringLiterals;
using namespace ChannelColumns;

struct ChannelTreeModel::Node
{
    QByteArray segment;
    QByteArray fullName;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children; // sorted by segment
    bool isChannel = false;
    Values own;   // the channel's own values
    Values shown; // own + descendants
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

namespace {
const QList<int> ChangedRoles{Qt::DisplayRole, SortRole, Qt::ToolTipRole, IsChannelRole, IsGroupRole};
constexpr unsigned NameBit = 1u << Name;
bool hasExtras(const Values &v)
{
    return v.relays || v.relayClients || v.traffic;
}
} // namespace

ChannelTreeModel::ChannelTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

ChannelTreeModel::~ChannelTreeModel() = default;

ChannelTreeModel::Node *ChannelTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

int ChannelTreeModel::rowOf(const Node *node) const
{
    if (!node->parent)
        return -1;
    const auto &siblings = node->parent->children;
    return int(node->parent->lowerBound(node->segment) - siblings.cbegin());
}

QModelIndex ChannelTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(rowOf(node), column, const_cast<Node *>(node));
}

QModelIndex ChannelTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *p = nodeFor(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ChannelTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = nodeFor(child);
    return indexOf(n->parent);
}

int ChannelTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int ChannelTreeModel::columnCount(const QModelIndex &) const
{
    return Count;
}

bool ChannelTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant ChannelTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = nodeFor(index);
    const int column = index.column();
    const bool group = !n->children.empty();
    switch (role) {
    case Qt::DisplayRole:
        return column == Name ? QVariant(QString::fromUtf8(n->segment)) : display(column, n->shown);
    case SortRole:
        return column == Name ? QVariant(QString::fromUtf8(n->segment)) : sortValue(column, n->shown);
    case Qt::TextAlignmentRole:
        return alignment(column);
    case Qt::ToolTipRole: {
        if (column != Name)
            return headerToolTip(column) +
                   (group ? QCoreApplication::translate("ChannelTreeModel", " Groups add up their channels.")
                          : QString());
        const QString name = QString::fromUtf8(n->fullName);
        if (!group)
            return name;
        const QString channels =
            QCoreApplication::translate("ChannelTreeModel", "%n channel(s)", nullptr, n->channels);
        if (n->isChannel)
            return QCoreApplication::translate("ChannelTreeModel",
                                               "%1 — a channel with %2 own subscribers, and a group of %3")
                .arg(name, display(Subscribers, n->own).toString(), channels);
        return QCoreApplication::translate("ChannelTreeModel", "%1:* — a group of %2").arg(name, channels);
    }
    case ChannelNameRole:
        return n->fullName;
    case IsGroupRole:
        return group;
    case IsChannelRole:
        return n->isChannel;
    default:
        return {};
    }
}

QVariant ChannelTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return section == Name ? QCoreApplication::translate("ChannelTreeModel", "Name")
                               : headerText(section);
    if (role == Qt::ToolTipRole)
        return section == Name
                   ? QCoreApplication::translate("ChannelTreeModel",
                                                 "Channel name segments separated by ':'; a group "
                                                 "adds up the channels below it.")
                   : headerToolTip(section);
    if (role == Qt::TextAlignmentRole)
        return alignment(section);
    return {};
}

Values ChannelTreeModel::ownValues(const QByteArray &name, qint64 subscribers) const
{
    Values v;
    v.subscribers = subscribers;
    if (m_directory) {
        v.relays = m_directory->relaysFor(name);
        v.relayClients = m_directory->relayClientsFor(name);
    }
    if (const auto it = m_traffic.constFind(name); it != m_traffic.cend())
        v.traffic = *it;
    return v;
}

int ChannelTreeModel::countChannels(Node *node)
{
    int n = node->isChannel ? 1 : 0;
    for (const auto &c : node->children)
        n += countChannels(c.get());
    return n;
}

void ChannelTreeModel::prune(Node *node)
{
    auto &children = node->children;
    std::vector<bool> drop(children.size());
    for (size_t i = 0; i < children.size(); ++i)
        drop[i] = countChannels(children[i].get()) == 0;
    const QModelIndex parentIndex = indexOf(node);
    for (qsizetype i = qsizetype(children.size()) - 1; i >= 0;) {
        if (!drop[size_t(i)]) {
            prune(children[size_t(i)].get());
            --i;
            continue;
        }
        const qsizetype last = i;
        while (i >= 0 && drop[size_t(i)])
            --i;
        const qsizetype first = i + 1;
        beginRemoveRows(parentIndex, int(first), int(last));
        children.erase(children.begin() + first, children.begin() + last + 1);
        endRemoveRows();
    }
}

// Channels staged below the node where they become visible, to be inserted there in ranges.
struct ChannelTreeModel::Staging
{
    std::unordered_map<Node *, std::map<QByteArray, std::unique_ptr<Node>>> byParent;
};

void ChannelTreeModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    abandonDiff();
    QHash<QByteArray, qint64> next;
    next.reserve(snapshot.channels.size());
    for (const auto &c : snapshot.channels)
        next.insert(c.name, c.subscribers);

    removeVanished(next);
    Staging staging;
    stageNew(next, staging);
    insertStaged(staging);
    // Aggregates and dataChanged up the ancestors.
    recompute(m_root.get(), true);
}

// Channels that are gone: unmark, then drop subtrees left without any channel.
void ChannelTreeModel::removeVanished(const QHash<QByteArray, qint64> &next)
{
    bool removed = false;
    for (auto it = m_channelNodes.begin(); it != m_channelNodes.end();) {
        if (next.contains(it.key())) {
            ++it;
            continue;
        }
        it.value()->isChannel = false;
        it.value()->own = Values{};
        it = m_channelNodes.erase(it);
        removed = true;
    }
    if (removed)
        prune(m_root.get());
}

// Counts of known channels are updated in place. New channels below an existing (visible) node are
// staged per parent; anything below a staged node is built directly, unseen.
void ChannelTreeModel::stageNew(const QHash<QByteArray, qint64> &next, Staging &staging)
{
    QByteArrayList added;
    for (auto it = next.cbegin(); it != next.cend(); ++it) {
        if (const auto node = m_channelNodes.constFind(it.key()); node != m_channelNodes.cend())
            (*node)->own.subscribers = it.value();
        else
            added.append(it.key());
    }
    std::sort(added.begin(), added.end());
    for (const QByteArray &name : std::as_const(added)) {
        Node *n = m_root.get();
        bool staged = false;
        for (const QByteArray &seg : name.split(':')) {
            if (staged) {
                Node *c = n->child(seg);
                n = c ? c : n->addChild(seg);
                continue;
            }
            if (Node *c = n->child(seg)) {
                n = c;
                continue;
            }
            auto &stage = staging.byParent[n][seg];
            if (!stage) {
                stage = std::make_unique<Node>();
                stage->segment = seg;
                stage->fullName = n == m_root.get() ? seg : n->fullName + ':' + seg;
                stage->parent = n;
            }
            n = stage.get();
            staged = true;
        }
        n->isChannel = true;
        n->own = ownValues(name, next.value(name));
        m_channelNodes.insert(name, n);
    }
}

// Each parent's staged children go in as contiguous row ranges.
void ChannelTreeModel::insertStaged(Staging &staging)
{
    for (auto &[parentNode, stage] : staging.byParent) {
        for (auto &[seg, node] : stage)
            recompute(node.get(), false);
        auto &children = parentNode->children;
        const QModelIndex parentIndex = indexOf(parentNode);
        auto it = stage.begin();
        while (it != stage.end()) {
            const auto at = parentNode->lowerBound(it->first);
            const qsizetype pos = at - children.cbegin();
            std::vector<std::unique_ptr<Node>> run;
            while (it != stage.end() &&
                   (pos == qsizetype(children.size()) || it->first < children[size_t(pos)]->segment)) {
                run.push_back(std::move(it->second));
                ++it;
            }
            beginInsertRows(parentIndex, int(pos), int(pos + qsizetype(run.size()) - 1));
            children.insert(children.begin() + pos, std::make_move_iterator(run.begin()),
                            std::make_move_iterator(run.end()));
            endInsertRows();
        }
    }
}

unsigned ChannelTreeModel::recompute(Node *node, bool notify)
{
    std::vector<unsigned> masks(node->children.size(), 0);
    Values sum;
    if (node->isChannel)
        sum = node->own;
    else
        sum.subscribers = 0;
    // A group whose channels are not all counted has no count either.
    bool unknown = sum.subscribers < 0;
    int channels = node->isChannel ? 1 : 0;
    node->known = node->isChannel ? std::max<qint64>(0, node->own.subscribers) : 0;
    node->unknown = node->isChannel && node->own.subscribers < 0 ? 1 : 0;
    for (size_t i = 0; i < node->children.size(); ++i) {
        Node *c = node->children[i].get();
        masks[i] = recompute(c, notify);
        const Values &v = c->shown;
        channels += c->channels;
        node->known += c->known;
        node->unknown += c->unknown;
        unknown = unknown || v.subscribers < 0;
        sum.subscribers += std::max<qint64>(0, v.subscribers);
        if (v.relayClients)
            sum.relayClients = sum.relayClients.value_or(0) + *v.relayClients;
        if (v.traffic) {
            ChannelTraffic t = sum.traffic.value_or(ChannelTraffic{});
            t.messagesPerSecond += v.traffic->messagesPerSecond;
            t.bytesPerSecond += v.traffic->bytesPerSecond;
            t.messages += v.traffic->messages;
            t.bytes += v.traffic->bytes;
            if (v.traffic->lastMessageAt.isValid() &&
                (!t.lastMessageAt.isValid() || v.traffic->lastMessageAt > t.lastMessageAt))
                t.lastMessageAt = v.traffic->lastMessageAt;
            sum.traffic = t;
        }
    }
    if (unknown)
        sum.subscribers = -1;
    if (!node->isChannel)
        sum.relays.reset(); // relays count per channel; a group has no single answer

    if (notify) {
        const QModelIndex parentIndex = indexOf(node);
        for (int column = 0; column < Count; ++column) {
            const unsigned bit = 1u << column;
            for (size_t i = 0; i < masks.size();) {
                if (!(masks[i] & bit)) {
                    ++i;
                    continue;
                }
                const size_t first = i;
                while (i < masks.size() && (masks[i] & bit))
                    ++i;
                Q_EMIT dataChanged(index(int(first), column, parentIndex),
                                   index(int(i - 1), column, parentIndex), ChangedRoles);
            }
        }
    }

    unsigned mask = changedColumns(node->shown, sum);
    if (channels != node->channels)
        mask |= NameBit;
    node->shown = std::move(sum);
    node->channels = channels;
    return mask;
}

void ChannelTreeModel::refreshOwnValues(const std::function<void(Node *)> &update)
{
    for (Node *n : std::as_const(m_channelNodes))
        update(n);
    recompute(m_root.get(), true);
}

void ChannelTreeModel::setTraffic(const ChannelTrafficMap &traffic)
{
    m_traffic = traffic;
    refreshOwnValues([this](Node *n) {
        if (const auto it = m_traffic.constFind(n->fullName); it != m_traffic.cend())
            n->own.traffic = *it;
        else
            n->own.traffic.reset();
    });
}

void ChannelTreeModel::setRelayDirectory(RelayDirectory *directory)
{
    if (m_directory == directory)
        return;
    disconnect(m_directoryConnection);
    m_directory = directory;
    if (directory)
        m_directoryConnection =
            connect(directory, &RelayDirectory::changed, this, &ChannelTreeModel::refreshRelays);
    refreshRelays();
}

void ChannelTreeModel::refreshRelays()
{
    refreshOwnValues([this](Node *n) {
        n->own.relays = m_directory ? m_directory->relaysFor(n->fullName) : std::nullopt;
        n->own.relayClients = m_directory ? m_directory->relayClientsFor(n->fullName) : std::nullopt;
    });
}

QByteArray ChannelTreeModel::patternFor(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const Node *n = nodeFor(index);
    return n->children.empty() ? QByteArray() : n->fullName + ":*";
}

QModelIndex ChannelTreeModel::indexFor(const QByteArray &name, int column) const
{
    const Node *n = m_root.get();
    for (const QByteArray &seg : name.split(':')) {
        n = n->child(seg);
        if (!n)
            return {};
    }
    return indexOf(n, column);
}

void ChannelTreeModel::beginDiff(std::shared_ptr<const ChannelDiff> diff)
{
    abandonDiff();
    if (!diff || diff->isEmpty())
        return;
    m_diff = std::move(diff);
    m_op = 0;
    m_opDone = 0;
}

bool ChannelTreeModel::applyDiffSlice(const QDeadlineTimer &deadline)
{
    using Kind = ChannelDiff::Op::Kind;
    QElapsedTimer clock;
    clock.start();
    Staging staging;
    int done = 0;
    while (m_diff && m_op < m_diff->ops.size() && done < m_chunk && !(done > 0 && deadline.hasExpired())) {
        const ChannelDiff::Op &op = m_diff->ops[m_op];
        const qsizetype at = op.first + m_opDone;
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
    // Channels per slice follow what a slice costs here (the proxies and views included).
    const qint64 us = clock.nsecsElapsed() / 1000;
    if (us < 2000 && done == m_chunk)
        m_chunk = std::min(m_chunk * 2, 1 << 16);
    else if (us > 8000)
        m_chunk = std::max(m_chunk / 2, 1);
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
    Node *n = m_root.get();
    const Node *firstShown = nullptr;
    for (const QByteArray &seg : name.split(':')) {
        if (firstShown) {
            Node *c = n->child(seg);
            n = c ? c : n->addChild(seg);
            continue;
        }
        if (Node *c = n->child(seg)) {
            n = c;
            continue;
        }
        auto &stage = staging.byParent[n][seg];
        if (!stage) {
            stage = std::make_unique<Node>();
            stage->segment = seg;
            stage->fullName = n == m_root.get() ? seg : n->fullName + ':' + seg;
            stage->parent = n;
        }
        firstShown = n;
        n = stage.get();
    }
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
