// SPDX-License-Identifier: MIT
#include "channellistmodel.h"

#include "rowdiff.h"

#include <algorithm>

using namespace ChannelColumns;

ChannelListModel::ChannelListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ChannelListModel::relaysFor(const Row &row) const
{
    return int(qMin<qint64>(row.subscribers, m_relayConnections));
}

void ChannelListModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    int relays = 0;
    for (const PubSubClient &c : snapshot.clients) {
        if (c.isRelay() && c.channels > 0)
            ++relays;
    }
    const bool relaysChanged = relays != m_relayConnections;
    m_relayConnections = relays;

    const QList<PubSubSnapshot::Channel> &incoming = snapshot.channels;
    auto present = [&incoming](const QByteArray &name) {
        auto it = std::lower_bound(
            incoming.cbegin(), incoming.cend(), name,
            [](const PubSubSnapshot::Channel &c, const QByteArray &n) { return c.name < n; });
        return it != incoming.cend() && it->name == name;
    };
    // Remove rows whose channel vanished, in contiguous ranges from the bottom.
    removeVanishedRows(
        m_rows, [&present](const Row &r) { return present(r.name); },
        [this](int first, int last) {
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        });
    // Merge: insert new channels in ranges, update counts in place.
    int changedFirst = -1;
    int changedLast = -1;
    int row = 0;
    qsizetype i = 0;
    while (i < incoming.size()) {
        if (row < m_rows.size() && m_rows[row].name == incoming[i].name) {
            if (m_rows[row].subscribers != incoming[i].subscribers) {
                m_rows[row].subscribers = incoming[i].subscribers;
                changedFirst = changedFirst < 0 ? row : changedFirst;
                changedLast = row;
            }
            ++row;
            ++i;
            continue;
        }
        // incoming[i] is new (rows only hold names that are in incoming, both sorted).
        qsizetype j = i;
        while (j < incoming.size() && (row >= m_rows.size() || incoming[j].name < m_rows[row].name))
            ++j;
        const int count = int(j - i);
        beginInsertRows({}, row, row + count - 1);
        QList<Row> fresh;
        fresh.reserve(count);
        for (qsizetype k = i; k < j; ++k)
            fresh.append({incoming[k].name, incoming[k].subscribers});
        m_rows.insert(row, count, Row());
        std::move(fresh.begin(), fresh.end(), m_rows.begin() + row);
        endInsertRows();
        row += count;
        i = j;
    }
    if (relaysChanged && !m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, Subscribers), index(int(m_rows.size()) - 1, Relays),
                           {Qt::DisplayRole, SortRole});
    } else if (changedFirst >= 0) {
        Q_EMIT dataChanged(index(changedFirst, Subscribers), index(changedLast, Relays),
                           {Qt::DisplayRole, SortRole});
    }
}

void ChannelListModel::setTraffic(const ChannelTrafficMap &traffic)
{
    m_traffic = traffic;
    if (!m_rows.isEmpty() && !traffic.isEmpty())
        Q_EMIT dataChanged(index(0, MessagesPerSecond), index(int(m_rows.size()) - 1, LastMessage),
                           {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
}

int ChannelListModel::rowOf(const QByteArray &channel) const
{
    auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), channel,
                               [](const Row &r, const QByteArray &n) { return r.name < n; });
    return it != m_rows.cend() && it->name == channel ? int(it - m_rows.cbegin()) : -1;
}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChannelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    if (role == ChannelRole)
        return r.name;
    if (role == IsGroupRole)
        return false;
    if (role == IsChannelRole)
        return true;
    if (index.column() == Name) {
        if (role == Qt::DisplayRole)
            return QString::fromUtf8(r.name);
        if (role == SortRole)
            return QString::fromUtf8(r.name);
        return {};
    }
    const auto t = m_traffic.constFind(r.name);
    return ChannelColumns::data(index.column(),
                                {r.subscribers, relaysFor(r), t == m_traffic.cend() ? nullptr : &*t}, role);
}

QVariant ChannelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return orientation == Qt::Horizontal ? ChannelColumns::header(section, role) : QVariant();
}
