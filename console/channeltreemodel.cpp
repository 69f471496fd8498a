// SPDX-License-Identifier: MIT
#include "channeltreemodel.h"

#include "changedruns.h"

#include "channeltreenode.h"

#include "relaydirectory.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <map>
#include <unordered_map>

using namespace Qt::StringLiterals;
using namespace ChannelColumns;
using namespace ChannelTree;

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
        Node *n = stagePath(name, staging, nullptr);
        n->isChannel = true;
        n->own = ownValues(name, next.value(name));
        m_channelNodes.insert(name, n);
    }
}

ChannelTreeModel::Node *ChannelTreeModel::stagePath(const QByteArray &name, Staging &staging,
                                                    const Node **firstShown)
{
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
        if (firstShown)
            *firstShown = n;
        n = stage.get();
        staged = true;
    }
    return n;
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
    for (size_t i = 0; i < node->children.size(); ++i)
        masks[i] = recompute(node->children[i].get(), notify);
    if (notify) {
        const QModelIndex parentIndex = indexOf(node);
        forEachChangedRun(masks, Count, [&](int column, int first, int last) {
            Q_EMIT dataChanged(index(first, column, parentIndex), index(last, column, parentIndex),
                               ChangedRoles);
        });
    }
    return resum(node);
}

unsigned ChannelTreeModel::resum(Node *node)
{
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
    for (const auto &child : node->children) {
        const Node *c = child.get();
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
    QByteArrayList touched;
    if (!m_relayView.update(m_directory, touched)) {
        updateOwnValues(touched, [this](Node *n) {
            n->own.relays = m_directory ? m_directory->relaysFor(n->fullName) : std::nullopt;
            n->own.relayClients = m_directory ? m_directory->relayClientsFor(n->fullName) : std::nullopt;
        });
        return;
    }
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
