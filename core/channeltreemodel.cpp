// SPDX-License-Identifier: MIT
#include "channeltreemodel.h"

#include <QLocale>

using namespace ChannelColumns;

int ChannelTreeModel::Node::row() const
{
    if (!parent)
        return 0;
    const auto &siblings = parent->children;
    if (rowHint < siblings.size() && siblings[rowHint].get() == this)
        return int(rowHint);
    for (size_t i = 0; i < siblings.size(); ++i) {
        if (siblings[i].get() == this) {
            rowHint = i;
            return int(i);
        }
    }
    return -1;
}

ChannelTreeModel::ChannelTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

ChannelTreeModel::~ChannelTreeModel() = default;

ChannelTreeModel::Node *ChannelTreeModel::ensurePath(const QByteArray &name)
{
    Node *node = m_root.get();
    qsizetype start = 0;
    while (true) {
        const qsizetype colon = name.indexOf(':', start);
        const qsizetype end = colon < 0 ? name.size() : colon;
        const QByteArray segment = name.mid(start, end - start);
        Node *child = node->byName.value(segment);
        if (!child) {
            auto fresh = std::make_unique<Node>();
            fresh->segment = segment;
            fresh->path = name.left(end);
            fresh->parent = node;
            child = fresh.get();
            const int row = int(node->children.size());
            fresh->rowHint = size_t(row);
            beginInsertRows(indexFor(node), row, row);
            node->byName.insert(segment, child);
            node->children.push_back(std::move(fresh));
            endInsertRows();
        }
        child->seen = m_generation;
        node = child;
        if (colon < 0)
            return node;
        start = colon + 1;
    }
}

void ChannelTreeModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    ++m_generation;
    int relays = 0;
    for (const PubSubClient &c : snapshot.clients)
        relays += c.isRelay() && c.channels > 0 ? 1 : 0;
    m_relayConnections = relays;
    QHash<QByteArray, qint64> counts;
    counts.reserve(snapshot.channels.size());
    for (const PubSubSnapshot::Channel &c : snapshot.channels) {
        Node *node = ensurePath(c.name);
        counts.insert(c.name, c.subscribers);
        if (!node->isChannel) {
            node->isChannel = true;
            const QModelIndex i = indexFor(node);
            Q_EMIT dataChanged(i, i, {Qt::DisplayRole, IsChannelRole});
        }
    }
    // Channels that vanished stop being channels; groups left empty go.
    std::vector<Node *> stack{m_root.get()};
    while (!stack.empty()) {
        Node *node = stack.back();
        stack.pop_back();
        if (node->isChannel && !counts.contains(node->path)) {
            node->isChannel = false;
            node->own = 0;
        } else if (node->isChannel) {
            node->own = counts.value(node->path);
        }
        for (auto &child : node->children)
            stack.push_back(child.get());
    }
    prune(m_root.get());
    aggregate(m_root.get());
}

void ChannelTreeModel::prune(Node *node)
{
    for (int i = int(node->children.size()) - 1; i >= 0; --i) {
        Node *child = node->children[size_t(i)].get();
        prune(child);
        if (!child->isChannel && child->children.empty()) {
            beginRemoveRows(indexFor(node), i, i);
            node->byName.remove(child->segment);
            node->children.erase(node->children.begin() + i);
            endRemoveRows();
        }
    }
}

void ChannelTreeModel::aggregate(Node *node)
{
    qint64 total = node->own;
    int channels = node->isChannel ? 1 : 0;
    for (auto &child : node->children) {
        aggregate(child.get());
        total += child->total;
        channels += child->channels;
    }
    if (node != m_root.get() && (total != node->total || channels != node->channels)) {
        node->total = total;
        node->channels = channels;
        Q_EMIT dataChanged(indexFor(node, Name), indexFor(node, Relays),
                           {Qt::DisplayRole, SortRole, Qt::ToolTipRole});
    }
    node->total = total;
    node->channels = channels;
}

void ChannelTreeModel::setTraffic(const ChannelTrafficMap &traffic)
{
    m_traffic = traffic;
    std::vector<Node *> stack{m_root.get()};
    while (!stack.empty()) {
        Node *node = stack.back();
        stack.pop_back();
        if (!node->children.empty())
            Q_EMIT dataChanged(indexFor(node->children.front().get(), MessagesPerSecond),
                               indexFor(node->children.back().get(), LastMessage),
                               {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
        for (auto &child : node->children)
            stack.push_back(child.get());
    }
}

QByteArray ChannelTreeModel::patternFor(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    if (!node || node == m_root.get())
        return {};
    return node->children.empty() ? node->path : node->path + ":*";
}

QModelIndex ChannelTreeModel::indexOf(const QByteArray &path) const
{
    Node *node = m_root.get();
    for (const QByteArray &segment : path.split(':')) {
        node = node->byName.value(segment);
        if (!node)
            return {};
    }
    return indexFor(node);
}

ChannelTreeModel::Node *ChannelTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex ChannelTreeModel::indexFor(Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), column, node);
}

QModelIndex ChannelTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeFor(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ChannelTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexFor(static_cast<Node *>(child.internalPointer())->parent);
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

QVariant ChannelTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeFor(index);
    switch (role) {
    case ChannelRole:
        return node->path;
    case IsGroupRole:
        return !node->children.empty();
    case IsChannelRole:
        return node->isChannel;
    }
    if (index.column() == Name) {
        if (role == Qt::DisplayRole || role == SortRole)
            return QString::fromUtf8(node->segment);
        if (role == Qt::ToolTipRole) {
            QString tip = QString::fromUtf8(node->path);
            if (!node->children.empty())
                tip += tr("\n%n channel(s) in this group", nullptr, node->channels);
            return tip;
        }
        return {};
    }
    if (!node->isChannel && index.column() > Subscribers)
        return role == Qt::TextAlignmentRole ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    const auto t = m_traffic.constFind(node->path);
    const int relays = node->isChannel ? int(qMin<qint64>(node->own, m_relayConnections)) : -1;
    return ChannelColumns::data(index.column(), {node->total, relays, t == m_traffic.cend() ? nullptr : &*t},
                                role);
}

QVariant ChannelTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return orientation == Qt::Horizontal ? ChannelColumns::header(section, role) : QVariant();
}
