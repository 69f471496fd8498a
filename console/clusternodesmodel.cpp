// SPDX-License-Identifier: MIT
#include "clusternodesmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace {
const QString Unknown = u"\u2013"_s;

QString count(qint64 n)
{
    return n < 0 ? Unknown : QLocale().toString(n);
}

int slotCount(const QList<std::pair<int, int>> &ranges)
{
    int n = 0;
    for (const auto &[first, last] : ranges)
        n += last - first + 1;
    return n;
}

QList<QString> keysOf(const QList<ClusterNodeStatus> &nodes)
{
    QList<QString> keys;
    for (const ClusterNodeStatus &n : nodes)
        keys.append(n.key);
    return keys;
}
} // namespace

ClusterNodesModel::ClusterNodesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ClusterNodesModel::attach(ClusterChannelMonitor *monitor)
{
    if (m_monitor)
        m_monitor->disconnect(this);
    m_monitor = monitor;
    if (monitor) {
        connect(monitor, &ClusterChannelMonitor::nodesReady, this, &ClusterNodesModel::applyNodes);
        applyNodes(monitor->lastNodes());
    } else {
        applyNodes({});
    }
}

void ClusterNodesModel::applyNodes(const QList<ClusterNodeStatus> &nodes)
{
    if (keysOf(nodes) != keysOf(m_nodes)) {
        beginResetModel();
        m_nodes = nodes;
        endResetModel();
        Q_EMIT summaryChanged();
        return;
    }
    const QString before = summary();
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes[i] == m_nodes[i])
            continue;
        m_nodes[i] = nodes[i];
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
    if (summary() != before)
        Q_EMIT summaryChanged();
}

int ClusterNodesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_nodes.size());
}

int ClusterNodesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ClusterNodesModel::primaryCount() const
{
    return int(std::count_if(m_nodes.cbegin(), m_nodes.cend(), [](const auto &n) { return n.primary; }));
}

int ClusterNodesModel::unreachableCount() const
{
    return int(std::count_if(m_nodes.cbegin(), m_nodes.cend(), [](const auto &n) { return !n.reachable; }));
}

QString ClusterNodesModel::summary() const
{
    if (m_nodes.isEmpty())
        return {};
    QString text = tr("%1 primaries / %2 nodes").arg(primaryCount()).arg(m_nodes.size());
    if (const int down = unreachableCount())
        text += u" · "_s + tr("%n not reachable", nullptr, down);
    return text;
}

QString ClusterNodesModel::slotText(const QList<std::pair<int, int>> &ranges)
{
    QStringList parts;
    for (const auto &[first, last] : ranges)
        parts << (first == last ? QString::number(first) : u"%1-%2"_s.arg(first).arg(last));
    if (ranges.size() <= 1)
        return parts.join(u", "_s);
    return tr("%1 (%2 slots)").arg(parts.join(u", "_s), QLocale().toString(slotCount(ranges)));
}

QVariant ClusterNodesModel::display(const ClusterNodeStatus &n, int column) const
{
    switch (column) {
    case Node:
        return n.key;
    case Role:
        return n.primary ? tr("primary") : tr("replica");
    case Shard:
        return n.shard;
    case Slots:
        return slotText(n.slots);
    case Clients:
        return count(n.pubsubClients);
    case Channels:
        return count(n.classicChannels);
    case ShardChannels:
        return count(n.shardChannels);
    case Patterns:
        return count(n.patterns);
    case OutputBuffers:
        return n.outputBufferBytes < 0
                   ? Unknown
                   : QLocale().formattedDataSize(n.outputBufferBytes, 1, QLocale::DataSizeTraditionalFormat);
    case Reachable:
        if (!n.reachable)
            return tr("no: %1").arg(n.error);
        return n.healthy ? tr("yes · %1 ms").arg(n.replyMs) : tr("yes · the Cluster marks it failing");
    default:
        return {};
    }
}

QVariant ClusterNodesModel::sortValue(const ClusterNodeStatus &n, int column) const
{
    switch (column) {
    case Node:
        return n.key;
    case Role:
        return n.primary ? 0 : 1;
    case Shard:
        return n.shard;
    case Slots:
        return n.slots.isEmpty() ? -1 : n.slots.first().first;
    case Clients:
        return n.pubsubClients;
    case Channels:
        return n.classicChannels;
    case ShardChannels:
        return n.shardChannels;
    case Patterns:
        return n.patterns;
    case OutputBuffers:
        return n.outputBufferBytes;
    case Reachable:
        return n.reachable ? n.replyMs : qint64(-1);
    default:
        return {};
    }
}

QVariant ClusterNodesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClusterNodeStatus &n = m_nodes[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(n, index.column());
    case SortRole:
        return sortValue(n, index.column());
    case NodeKeyRole:
        return n.key;
    case ReachableRole:
        return n.reachable;
    case Qt::ToolTipRole:
        if (index.column() == Node)
            return tr("Node id %1").arg(QString::fromLatin1(n.id));
        if (index.column() == Role && !n.primary)
            return tr("Replica of %1").arg(n.primaryKey);
        if (index.column() == Reachable && !n.error.isEmpty())
            return n.error;
        return headerData(index.column(), Qt::Horizontal, Qt::ToolTipRole);
    case Qt::TextAlignmentRole:
        if (index.column() >= Clients && index.column() <= OutputBuffers)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant ClusterNodesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const titles[ColumnCount] = {
        QT_TR_NOOP("Node"),     QT_TR_NOOP("Role"),           QT_TR_NOOP("Shard"),
        QT_TR_NOOP("Slots"),    QT_TR_NOOP("Clients"), QT_TR_NOOP("Channels"),
        QT_TR_NOOP("Sharded"),  QT_TR_NOOP("Patterns"),       QT_TR_NOOP("Output buffers"),
        QT_TR_NOOP("Reachable")};
    static const char *const tips[ColumnCount] = {
        QT_TR_NOOP("host:port as the Cluster announces it (CLUSTER SHARDS)"),
        QT_TR_NOOP("Primary, or the primary a replica follows"),
        QT_TR_NOOP("The shard, numbered in the order the Cluster lists them"),
        QT_TR_NOOP("Hash slots the shard serves"),
        QT_TR_NOOP("Connections in Pub/Sub mode on this node (CLIENT LIST TYPE pubsub)"),
        QT_TR_NOOP("Classic channels with subscribers on this node (PUBSUB CHANNELS)"),
        QT_TR_NOOP("Sharded channels with subscribers on this node (PUBSUB SHARDCHANNELS)"),
        QT_TR_NOOP("Pattern subscriptions on this node (PUBSUB NUMPAT)"),
        QT_TR_NOOP("Output-buffer memory of its pub/sub clients (omem in CLIENT LIST)"),
        QT_TR_NOOP("Whether the node answered the last round, and its slowest reply")};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}
