// SPDX-License-Identifier: MIT
#include "channellistmodel.h"

#include "relaydirectory.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ChannelColumns {

namespace {
const QString Unknown = u"\u2013"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("ChannelColumns", text);
}
} // namespace

unsigned changedColumns(const Values &a, const Values &b)
{
    unsigned mask = 0;
    if (a.subscribers != b.subscribers)
        mask |= 1u << Subscribers;
    if (a.relays != b.relays)
        mask |= 1u << Relays;
    if (a.relayClients != b.relayClients)
        mask |= 1u << RelayClients;
    const ChannelTraffic none;
    const ChannelTraffic &ta = a.traffic ? *a.traffic : none;
    const ChannelTraffic &tb = b.traffic ? *b.traffic : none;
    const bool presence = a.traffic.has_value() != b.traffic.has_value();
    if (presence || ta.messagesPerSecond != tb.messagesPerSecond)
        mask |= 1u << MessagesPerSecond;
    if (presence || ta.bytesPerSecond != tb.bytesPerSecond)
        mask |= 1u << BytesPerSecond;
    if (presence || ta.lastMessageAt != tb.lastMessageAt || ta.messages != tb.messages)
        mask |= 1u << LastMessage;
    if (a.kind != b.kind)
        mask |= 1u << Kind;
    return mask;
}

bool Values::operator==(const Values &other) const
{
    return changedColumns(*this, other) == 0;
}

QString kindText(const PubSubSnapshot &snapshot, const QByteArray &channel)
{
    if (snapshot.clusterNodes <= 0)
        return {};
    const auto it = snapshot.sharded.constFind(channel);
    if (it == snapshot.sharded.cend())
        return tr("classic");
    if (!it->alsoClassic)
        return tr("sharded · shard %1").arg(it->shard);
    return tr("classic + sharded (%1) · shard %2")
        .arg(it->subscribers < 0 ? Unknown : QLocale().toString(it->subscribers))
        .arg(it->shard);
}

QString headerText(int column)
{
    switch (column) {
    case Name:
        return tr("Channel");
    case Subscribers:
        return tr("Subscribers");
    case Relays:
        return tr("Relays");
    case RelayClients:
        return tr("Relay clients");
    case MessagesPerSecond:
        return tr("Messages/s");
    case BytesPerSecond:
        return tr("Bytes/s");
    case LastMessage:
        return tr("Last message");
    case Kind:
        return tr("Kind");
    default:
        return {};
    }
}

QString headerToolTip(int column)
{
    switch (column) {
    case Name:
        return tr("The Redis Pub/Sub channel (PUBSUB CHANNELS).");
    case Subscribers:
        return tr("Connections subscribed to the channel by name (PUBSUB NUMSUB); pattern subscriptions "
                  "are not counted.");
    case Relays:
        return tr("Of the subscribers, how many are Switchboard relays (from their heartbeats on "
                  "switchboard:relays, under any channel prefix).");
    case RelayClients:
        return tr("WebSocket clients the relays serve on this channel.");
    case MessagesPerSecond:
        return tr("Messages per second while the channel is tapped.");
    case BytesPerSecond:
        return tr("Payload bytes per second while the channel is tapped.");
    case LastMessage:
        return tr("When the tap last saw a message on the channel.");
    case Kind:
        return tr("Classic (SUBSCRIBE, counted on every node) or sharded (SSUBSCRIBE, on the shard that owns "
                  "the channel's hash slot; shards are numbered as in the Nodes view).");
    default:
        return {};
    }
}

QVariant display(int column, const Values &v)
{
    const QLocale locale;
    switch (column) {
    case Subscribers:
        return v.subscribers < 0 ? Unknown : locale.toString(v.subscribers);
    case Relays:
        return v.relays ? locale.toString(*v.relays) : Unknown;
    case RelayClients:
        return v.relayClients ? locale.toString(*v.relayClients) : Unknown;
    case MessagesPerSecond:
        return v.traffic ? locale.toString(v.traffic->messagesPerSecond, 'f', 1) : Unknown;
    case BytesPerSecond:
        if (!v.traffic)
            return Unknown;
        // "591 B/s" rather than QLocale's "591 bytes/s": it fits the column as "2.8 kB/s" does.
        if (v.traffic->bytesPerSecond < 1024)
            return u"%1 B/s"_s.arg(locale.toString(qint64(v.traffic->bytesPerSecond)));
        return locale.formattedDataSize(qint64(v.traffic->bytesPerSecond), 1,
                                        QLocale::DataSizeTraditionalFormat) +
               u"/s"_s;
    case LastMessage:
        return v.traffic && v.traffic->lastMessageAt.isValid()
                   ? locale.toString(v.traffic->lastMessageAt.toLocalTime().time(), QLocale::ShortFormat)
                   : Unknown;
    case Kind:
        return v.kind;
    default:
        return {};
    }
}

QVariant sortValue(int column, const Values &v)
{
    switch (column) {
    case Subscribers:
        return v.subscribers;
    case Relays:
        return v.relays ? qint64(*v.relays) : qint64(-1);
    case RelayClients:
        return v.relayClients.value_or(-1);
    case MessagesPerSecond:
        return v.traffic ? v.traffic->messagesPerSecond : -1.0;
    case BytesPerSecond:
        return v.traffic ? v.traffic->bytesPerSecond : -1.0;
    case LastMessage:
        return v.traffic && v.traffic->lastMessageAt.isValid() ? v.traffic->lastMessageAt.toMSecsSinceEpoch()
                                                               : qint64(-1);
    case Kind:
        return v.kind;
    default:
        return {};
    }
}

QVariant alignment(int column)
{
    if (column == Name || column == Kind)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
}

} // namespace ChannelColumns

using namespace ChannelColumns;

ChannelListModel::ChannelListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size() + m_tail.size() - m_tailPos);
}

int ChannelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = rowAt(size_t(index.row()));
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return column == Name ? QVariant(QString::fromUtf8(row.name)) : display(column, row.values);
    case SortRole:
        return column == Name ? QVariant(QString::fromUtf8(row.name)) : sortValue(column, row.values);
    case Qt::TextAlignmentRole:
        return alignment(column);
    case Qt::ToolTipRole:
        if (column == Name)
            return QString::fromUtf8(row.name);
        return headerToolTip(column);
    case ChannelNameRole:
        return row.name;
    case IsGroupRole:
        return false;
    case IsChannelRole:
        return true;
    default:
        return {};
    }
}

QVariant ChannelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return headerText(section);
    if (role == Qt::ToolTipRole)
        return headerToolTip(section);
    if (role == Qt::TextAlignmentRole)
        return alignment(section);
    return {};
}

Values ChannelListModel::valuesFor(const QByteArray &name, qint64 subscribers) const
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

void ChannelListModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    const auto byName = [](const PubSubSnapshot::Channel &a, const PubSubSnapshot::Channel &b) {
        return a.name < b.name;
    };
    QList<PubSubSnapshot::Channel> sortedCopy;
    const QList<PubSubSnapshot::Channel> *incoming = &snapshot.channels;
    if (!std::is_sorted(snapshot.channels.cbegin(), snapshot.channels.cend(), byName)) {
        sortedCopy = snapshot.channels;
        std::sort(sortedCopy.begin(), sortedCopy.end(), byName);
        incoming = &sortedCopy;
    }
    const QList<PubSubSnapshot::Channel> &next = *incoming;

    // One merge pass. Rows already passed live in m_rows, the rest in m_tail from m_tailPos; vanished
    // rows are removed and new ones inserted in contiguous ranges at the boundary.
    m_tail = std::move(m_rows);
    m_rows.clear();
    m_rows.reserve(size_t(next.size()));
    m_tailPos = 0;
    std::vector<unsigned> masks;
    masks.reserve(size_t(next.size()));
    m_totalSubscribers = 0;
    qsizetype j = 0;
    while (m_tailPos < m_tail.size() || j < next.size()) {
        const int at = int(m_rows.size());
        if (m_tailPos < m_tail.size() && j < next.size() && m_tail[m_tailPos].name == next[j].name) {
            Row &row = m_tail[m_tailPos];
            unsigned mask = 0;
            if (row.values.subscribers != next[j].subscribers) {
                row.values.subscribers = next[j].subscribers;
                mask = 1u << Subscribers;
            }
            if (QString kind = kindText(snapshot, next[j].name); row.values.kind != kind) {
                row.values.kind = std::move(kind);
                mask |= 1u << Kind;
            }
            m_totalSubscribers += std::max<qint64>(0, next[j].subscribers);
            m_rows.push_back(std::move(row));
            masks.push_back(mask);
            ++m_tailPos;
            ++j;
        } else if (m_tailPos < m_tail.size() && (j >= next.size() || m_tail[m_tailPos].name < next[j].name)) {
            size_t end = m_tailPos;
            while (end < m_tail.size() && (j >= next.size() || m_tail[end].name < next[j].name))
                ++end;
            beginRemoveRows({}, at, at + int(end - m_tailPos) - 1);
            m_tailPos = end;
            endRemoveRows();
        } else {
            qsizetype end = j;
            while (end < next.size() &&
                   (m_tailPos >= m_tail.size() || next[end].name < m_tail[m_tailPos].name))
                ++end;
            beginInsertRows({}, at, at + int(end - j) - 1);
            for (; j < end; ++j) {
                m_totalSubscribers += std::max<qint64>(0, next[j].subscribers);
                m_rows.push_back({next[j].name, valuesFor(next[j].name, next[j].subscribers)});
                m_rows.back().values.kind = kindText(snapshot, next[j].name);
                masks.push_back(0);
            }
            endInsertRows();
        }
    }
    m_tail.clear();
    m_tailPos = 0;
    emitChanged(masks);
}

const ChannelListModel::Row &ChannelListModel::rowAt(size_t row) const
{
    return row < m_rows.size() ? m_rows[row] : m_tail[row - m_rows.size() + m_tailPos];
}

void ChannelListModel::updateRows(const std::function<Values(const Row &)> &compute)
{
    std::vector<unsigned> masks(m_rows.size(), 0);
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Values v = compute(m_rows[i]);
        v.kind = m_rows[i].values.kind;
        masks[i] = changedColumns(m_rows[i].values, v);
        if (masks[i])
            m_rows[i].values = std::move(v);
    }
    emitChanged(masks);
}

void ChannelListModel::emitChanged(const std::vector<unsigned> &masks)
{
    static const QList<int> roles{Qt::DisplayRole, SortRole};
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
            Q_EMIT dataChanged(index(int(first), column), index(int(i - 1), column), roles);
        }
    }
}

void ChannelListModel::setTraffic(const ChannelTrafficMap &traffic)
{
    m_traffic = traffic;
    updateRows([this](const Row &row) {
        Values v = row.values;
        if (const auto it = m_traffic.constFind(row.name); it != m_traffic.cend())
            v.traffic = *it;
        else
            v.traffic.reset();
        return v;
    });
}

void ChannelListModel::setRelayDirectory(RelayDirectory *directory)
{
    if (m_directory == directory)
        return;
    disconnect(m_directoryConnection);
    m_directory = directory;
    if (directory)
        m_directoryConnection =
            connect(directory, &RelayDirectory::changed, this, &ChannelListModel::refreshRelays);
    refreshRelays();
}

RelayDirectory *ChannelListModel::relayDirectory() const
{
    return m_directory;
}

void ChannelListModel::refreshRelays()
{
    updateRows([this](const Row &row) {
        Values v = row.values;
        v.relays = m_directory ? m_directory->relaysFor(row.name) : std::nullopt;
        v.relayClients = m_directory ? m_directory->relayClientsFor(row.name) : std::nullopt;
        return v;
    });
}

QByteArray ChannelListModel::channelAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)].name : QByteArray();
}

int ChannelListModel::rowOf(const QByteArray &channel) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), channel,
                                     [](const Row &r, const QByteArray &name) { return r.name < name; });
    return it != m_rows.cend() && it->name == channel ? int(it - m_rows.cbegin()) : -1;
}

qint64 ChannelListModel::subscribersFor(const QByteArray &channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : m_rows[size_t(row)].values.subscribers; // -1: unknown
}
